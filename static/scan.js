// Live camera scanning where the browser has BarcodeDetector; otherwise the photo form above still works.
(function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var section = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var form = document.getElementById("code-form");
  section.hidden = false;
  document.getElementById("camera-start").addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["ean_13", "ean_8", "upc_a"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.play();
      status.textContent = "Visez le code-barres…";
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            form.elements.code.value = codes[0].rawValue;
            form.submit();
          } else { window.setTimeout(tick, 200); }
        }).catch(function () { window.setTimeout(tick, 400); });
      };
      tick();
    }).catch(function () { status.textContent = "Caméra indisponible : utilisez la photo."; });
  });
})();

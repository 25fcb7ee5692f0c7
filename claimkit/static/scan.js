// Live camera scanning: the browser's BarcodeDetector when it has one, otherwise the pinned @zxing/browser build
// served by claimkit itself. Without JavaScript or a camera, the photo form above does the same job.
// The messages come translated from the page (data-* attributes of #camera-status), never from this file.
(function () {
  "use strict";
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var section = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var form = document.getElementById("code-form");
  section.hidden = false;

  function found(code) {
    status.textContent = status.dataset.found.replace("{code}", code);
    form.elements.code.value = code;
    form.submit();
  }

  function withDetector() {
    var detector = new window.BarcodeDetector({ formats: ["ean_13", "ean_8", "upc_a"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.play();
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            found(codes[0].rawValue);
          } else { window.setTimeout(tick, 200); }
        }).catch(function () { window.setTimeout(tick, 400); });
      };
      tick();
    }).catch(function () { status.textContent = status.dataset.noCamera; });
  }

  function withZxing() {
    var script = document.createElement("script");
    script.src = "/static/vendor/zxing-browser.min.js";
    script.onload = function () {
      var reader = new window.ZXingBrowser.BrowserMultiFormatReader();
      reader.decodeFromConstraints({ video: { facingMode: "environment" } }, video, function (result, error, controls) {
        if (result) { controls.stop(); found(result.getText()); }
      }).catch(function () { status.textContent = status.dataset.noCamera; });
    };
    script.onerror = function () { status.textContent = status.dataset.noReader; };
    document.head.appendChild(script);
  }

  document.getElementById("camera-start").addEventListener("click", function () {
    status.textContent = status.dataset.aiming;
    if ("BarcodeDetector" in window) { withDetector(); } else { withZxing(); }
  });
})();

// "Partager" the packet: the phone's share sheet with the PDF file (Web Share API level 2) when it can take
// files; otherwise the link just downloads the PDF, as it does without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("a[data-share]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!navigator.share || !navigator.canShare || !window.File) { return; }  // fallback: the download
      event.preventDefault();
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.blob();
      }).then(function (blob) {
        var file = new File([blob], link.getAttribute("download") || "dossier.pdf", { type: "application/pdf" });
        if (!navigator.canShare({ files: [file] })) { throw new Error("files not shareable"); }
        return navigator.share({ files: [file], title: link.dataset.share });
      }).catch(function (error) {
        if (error && error.name === "AbortError") { return; }  // the student closed the share sheet
        window.location.href = link.href;  // the download, as without JavaScript
      });
    });
  });
})();

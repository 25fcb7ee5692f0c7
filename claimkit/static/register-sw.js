// Registers the service worker (progressive enhancement: every page works without it).
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js"); });
}

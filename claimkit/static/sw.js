// Offline support: the shell (CSS, icons, offline page) is cached at install; pages are fetched from the network
// first and their last copy is kept, so the dashboard, every claim page the student opened and the last packet
// of each stay readable without a connection. Logout sends Clear-Site-Data, which empties these caches.
"use strict";
var CACHE = "claimkit-v2";
var KEPT = /^\/(dossiers\/\d+(\/packet\.pdf)?)?$/;  // the dashboard, a claim page, its packet
var SHELL = ["/static/app.css", "/static/icon-192.png", "/hors-ligne"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) { return; }
  var kept = KEPT.test(new URL(request.url).pathname);
  if (request.mode === "navigate" || kept) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && kept && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) {
        return hit || (request.mode === "navigate" ? caches.match("/hors-ligne") : Response.error());
      });
    }));
    return;
  }
  event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
});

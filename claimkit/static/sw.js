// Offline support: the shell (CSS, icons, offline page) is cached at install; pages are fetched from the network
// first and their last copy is kept, so the dashboard's last state stays readable without a connection.
"use strict";
var CACHE = "claimkit-v1";
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
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && new URL(request.url).pathname === "/") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) { return hit || caches.match("/hors-ligne"); });
    }));
    return;
  }
  event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
});

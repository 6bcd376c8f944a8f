// Keeps the facilitator's page working with the network off: the page and its files are
// fetched from the network when it answers and kept; when it does not, the kept copy serves.
// Notes are not cached here: the page keeps them on the device itself (facilitate.js).
"use strict";
var CACHE = "ronda-facilitate-v1";
var FILES = ["/facilitate", "/static/css/live.css", "/static/js/live.js", "/static/js/facilitate.js"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(FILES); }).catch(function () {})
  );
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var path = new URL(request.url).pathname;
  if (FILES.indexOf(path) < 0) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(path, copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(path); });
    })
  );
});

// The hub's service worker: the shell and what a learner keeps, for when the hub is away.
// Network first: on the hub's Wi-Fi every page is fresh; away from it, the kept copy answers.
// Answers and progress made away from the hub wait in IndexedDB (offline.js) until it answers.
"use strict";
var VERSION = "__HUB_VERSION__";
var SHELL_CACHE = "hub-shell-" + VERSION;
var SHELL = ["/", "/offline", "/offline/fallback", "/offline/saved", "/manifest.webmanifest",
             "/static/hub.css", "/static/hub.js", "/static/offline.js", "/static/icon.svg",
             "/static/icons.svg"];
importScripts("/static/offline.js");  // self.hubOffline: the queue
var KEPT_CACHE = self.hubOffline.keptCache;

function cacheShell() {
  // Fetched with the learner's cookie, so the offline pages come in the learner's language.
  return caches.open(SHELL_CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return fetch(url, {credentials: "same-origin"}).then(function (r) {
        return r.ok ? cache.put(url, r) : null;
      });
    }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(cacheShell().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("hub-shell-") === 0 && n !== SHELL_CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data === "refresh-shell") { event.waitUntil(cacheShell()); }
  if (event.data === "flush") { event.waitUntil(self.hubOffline.flush()); }
});

// A cached file answers a Range request with the bytes asked for, as media players expect.
function sliced(response, range) {
  return response.arrayBuffer().then(function (buffer) {
    var total = buffer.byteLength;
    var m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    var start = m && m[1] !== "" ? Number(m[1]) : (m && m[2] !== "" ? Math.max(0, total - Number(m[2])) : 0);
    var end = m && m[1] !== "" && m[2] !== "" ? Math.min(Number(m[2]), total - 1) : total - 1;
    if (!m || start >= total || start > end) {
      return new Response(null, {status: 416, headers: {"Content-Range": "bytes */" + total}});
    }
    return new Response(buffer.slice(start, end + 1), {status: 206, headers: {
      "Content-Type": response.headers.get("Content-Type") || "application/octet-stream",
      "Content-Range": "bytes " + start + "-" + end + "/" + total,
      "Content-Length": String(end - start + 1), "Accept-Ranges": "bytes"}});
  });
}

function fromCache(request) {
  var url = new URL(request.url);
  return caches.match(url.pathname + url.search).then(function (response) {
    var range = request.headers.get("Range");
    if (response && range && response.status === 200) { return sliced(response, range); }
    if (response || request.mode !== "navigate") { return response || Response.error(); }
    return caches.match("/offline/fallback").then(function (page) { return page || Response.error(); });
  });
}

function networkFirst(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (request.mode === "navigate" && response.ok) {
      // Keep kept pages and the shell fresh while on the hub, and send what waits.
      var url = new URL(request.url), path = url.pathname + url.search;
      var copy = response.clone();
      event.waitUntil(self.hubOffline.flush().then(function () {
        return Promise.all([caches.open(KEPT_CACHE), caches.open(SHELL_CACHE)]);
      }).then(function (both) {
        return both[0].match(path).then(function (old) {
          if (old) { return both[0].put(path, copy); }
          return SHELL.indexOf(path) >= 0 ? both[1].put(path, copy) : null;
        });
      }));
    }
    return response;
  }, function () { return fromCache(request); });
}

function savedPage(name) {
  return caches.match(name).then(function (page) {
    return page || new Response("", {status: 503});
  });
}

// A form sent away from the hub: answers on kept pages wait on the phone; the answer key never
// leaves the hub, so the learner is told it will be checked back on the hub's Wi-Fi.
function postOrQueue(request) {
  var copy = request.clone();
  var url = new URL(request.url), path = url.pathname + url.search;
  return fetch(request).catch(function () {
    return self.hubOffline.keptPosts().then(function (posts) {
      if (posts.indexOf(path) < 0) { return savedPage("/offline/fallback"); }
      return copy.arrayBuffer().then(function (body) {
        return self.hubOffline.queuePost(path, body, copy.headers.get("Content-Type"));
      }).then(function () { return savedPage("/offline/saved"); });
    });
  });
}

// Events sent while the hub is away wait in IndexedDB with their ids; 202 says "queued".
function eventsOrQueue(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.json().then(function (body) {
      return self.hubOffline.store((body && body.events) || [], body && body.learner);
    }).then(function (queued) {
      return new Response(JSON.stringify({accepted: 0, duplicates: 0, queued: queued}),
                          {status: 202, headers: {"Content-Type": "application/json"}});
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || request.headers.has(self.hubOffline.replayHeader)) {
    return;  // other hosts, and replays of the queue, go straight to the network
  }
  if (request.method === "GET") {
    if (url.pathname === "/sw.js") { return; }
    event.respondWith(networkFirst(event));
  } else if (request.method === "POST" && url.pathname === "/api/v1/events") {
    event.respondWith(eventsOrQueue(request));
  } else if (request.method === "POST" && request.mode === "navigate") {
    event.respondWith(postOrQueue(request));
  }
});

// Learning events from a resource or question page: time spent, how far along, where a
// video or audio stopped (to resume there), completion. Batched, retried with backoff; every
// event carries its own id, so a retry that reaches the hub twice is counted once. Pages work
// without it: the hub records "started" when the page opens and "completed" from the
// "I finished" form, and estimates time from page views (hub.learning.learning_time).
// Each batch says when it was sent (sent_at, the phone's clock) and whose it is (learner): the
// hub dates every event by the difference, and refuses a batch made by someone else.
// Time is counted while the page is visible (Page Visibility API); when it hides, what was
// seen since the last report is sent at once as a beacon (fetch keepalive), so short visits
// and question pages count too.
// html5 apps report through a small bridge (docs/html5-bridge.md): the app posts
// {"hub": "activity", "type": "completed" | "progressed", "score"?: 0..1, "progress"?: 0..1}
// to its parent; only messages from this page's own app frame are taken.
(function () {
  "use strict";
  var root = document.querySelector("[data-activity]");
  if (!root || !window.fetch || !window.JSON) { return; }
  var url = root.getAttribute("data-events-url");
  var resource = root.getAttribute("data-resource");
  // Whose events these are: a learner id, "" for an anonymous session; a page that does not
  // say (no data-learner) sends no owner, and the hub records them for whoever is signed in.
  var mark = root.getAttribute("data-learner");
  var owner = mark === null ? undefined : (mark ? Number(mark) : null);
  var BATCH = 20;            // events per request
  var FLUSH_MS = 10000;      // send at least this often while events wait
  var TICK_S = 15;           // report playing/reading time this often
  var MAX_DELAY_MS = 60000;  // longest wait between retries
  var queue = [];
  var sending = false;
  var delay = 1000;
  var timer = null;

  function uuid() {
    var c = window.crypto;
    if (c && c.randomUUID) { return c.randomUUID(); }
    var b = new Uint8Array(16);
    if (c && c.getRandomValues) { c.getRandomValues(b); }
    else { for (var i = 0; i < 16; i++) { b[i] = Math.floor(Math.random() * 256); } }
    b[6] = (b[6] & 0x0f) | 0x40;  // version 4
    b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function push(verb, fields) {
    var event = { id: uuid(), resource: resource, verb: verb, timestamp: new Date().toISOString() };
    for (var key in fields) { if (fields[key] !== undefined) { event[key] = fields[key]; } }
    queue.push(event);
    if (queue.length >= BATCH) { send(); } else if (!timer) { timer = setTimeout(send, FLUSH_MS); }
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(send, ms);
  }

  function send(keepalive) {
    clearTimeout(timer);
    timer = null;
    if (sending || !queue.length) { return; }
    var batch = queue.slice(0, BATCH);
    sending = true;
    fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sent_at: new Date().toISOString(), learner: owner, events: batch })
    }).then(function (response) {
      sending = false;
      if (response.status === 409 && window.hubOffline) {
        // Someone else signed in meanwhile: keep the batch for its learner, never give it away.
        window.hubOffline.store(batch, owner).then(function () { queue.splice(0, batch.length); }, retry);
      } else if (response.ok || response.status === 400 || response.status === 409 || response.status === 413) {
        // Stored, or refused for good (retrying would be refused again): drop the batch.
        queue.splice(0, batch.length);
        delay = 1000;
        if (queue.length) { schedule(0); }
      } else {
        retry();
      }
    }, function () {
      sending = false;
      // Away from the hub: offline.js keeps the batch in IndexedDB and sends it when it answers.
      if (!window.hubOffline) { retry(); return; }
      window.hubOffline.store(batch, owner).then(function () { queue.splice(0, batch.length); }, retry);
    });
  }

  // After finishing (media ended, an app said so): say so, and show the way on.
  function finished() {
    var after = document.querySelector("[data-after-finish]");
    if (after) {
      after.hidden = false;
      var on = after.querySelector("[data-rel=next]");
      if (on) { on.setAttribute("rel", "next"); }
    }
    var form = root.querySelector("form[action$='/done']");
    if (form) { form.hidden = true; }
  }

  function retry() {
    delay = Math.min(delay * 2, MAX_DELAY_MS);
    schedule(delay / 2 + Math.random() * delay / 2);  // jitter: devices do not retry in step
  }

  // Video and audio: resume where the learner stopped, report position and time played.
  var media = document.querySelector("main video, main audio");
  if (media) {
    var resume = parseFloat(root.getAttribute("data-resume") || "");
    var played = 0;
    var last = null;
    var report = function (verb) {
      var duration = isFinite(media.duration) && media.duration > 0 ? media.duration : null;
      push(verb, {
        duration_s: Math.round(played * 10) / 10,
        progress: duration ? Math.min(1, media.currentTime / duration) : undefined,
        data: { position_s: Math.round(media.currentTime * 10) / 10 }
      });
      played = 0;
    };
    var onMeta = function () {
      if (resume > 0 && (!isFinite(media.duration) || resume < media.duration - 3)) {
        media.currentTime = resume;
      }
    };
    if (media.readyState >= 1) { onMeta(); } else { media.addEventListener("loadedmetadata", onMeta); }
    media.addEventListener("timeupdate", function () {
      var now = media.currentTime;
      if (last !== null && now > last && now - last < 2) { played += now - last; }
      last = now;
      if (played >= TICK_S) { report("progressed"); }
    });
    media.addEventListener("seeking", function () { last = null; });
    media.addEventListener("pause", function () { if (!media.ended) { report("progressed"); } });
    media.addEventListener("ended", function () { report("completed"); send(); finished(); });
  } else {
    // Other kinds: time on the page while it is visible, and how far an article was read.
    var seen = 0;
    var furthest = 0;
    var readFraction = function () {
      var doc = document.documentElement;
      var total = doc.scrollHeight - window.innerHeight;
      return total <= 0 ? 1 : Math.min(1, Math.max(0, window.scrollY / total));
    };
    if (root.getAttribute("data-kind") === "article") {
      window.addEventListener("scroll", function () { furthest = Math.max(furthest, readFraction()); }, { passive: true });
    }
    var reportSeen = function () {
      if (seen > 0) {
        push("progressed", { duration_s: seen, progress: furthest > 0 ? Math.round(furthest * 100) / 100 : undefined });
        seen = 0;
      }
    };
    setInterval(function () {
      if (document.visibilityState !== "visible") { return; }
      seen += 1;
      if (seen >= TICK_S) { reportSeen(); }
    }, 1000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { reportSeen(); }
    });
    window.addEventListener("pagehide", reportSeen);
  }

  // The html5 bridge: an app in this page's frame reports progress and completion.
  var frame = document.querySelector("main iframe.app-frame");
  if (frame) {
    var appDone = false;
    window.addEventListener("message", function (e) {
      var m = e.data;
      if (e.source !== frame.contentWindow || !m || m.hub !== "activity") { return; }
      var clamp = function (x) { return typeof x === "number" && isFinite(x) ? Math.min(1, Math.max(0, x)) : undefined; };
      if (m.type === "completed" && !appDone) {
        appDone = true;
        push("completed", { progress: 1, score: clamp(m.score) });
        send();
        finished();
      } else if (m.type === "progressed") {
        push("progressed", { progress: clamp(m.progress) });
      }
    });
  }

  // Other scripts of the page (the H5P bridge) queue their events here, batched and retried alike.
  window.hubActivity = { push: push, send: send };

  // Leaving the page: send what waits, with keepalive so the request outlives the page.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      if (media && !media.paused) { media.dispatchEvent(new Event("pause")); }
      send(true);
    }
  });
  window.addEventListener("pagehide", function () { send(true); });
})();

// Offline on the learner's phone. Three parts:
// 1. the queue (IndexedDB): progress events and exercise answers made away from the hub, kept
//    with their client ids and sent when the hub answers again (a repeat is a harmless
//    duplicate by the contract). Each item keeps the learner it belongs to (null: an anonymous
//    session); the hub refuses it (409) while someone else is signed in, and it waits for its
//    learner. Every send says when it was sent (sent_at), so the hub dates each item right
//    however long it waited. Answers go to the hub's checker, POST /api/v1/answers.
//    The service worker loads this file too, for this part only;
// 2. the "Keep on this phone" buttons on resource pages;
// 3. the "Kept on this phone" page.
// Every page works without this file; it only adds what a browser that can keep pages allows.
(function (global) {
  "use strict";
  var DB_NAME = "hub-offline";
  var KEPT_CACHE = "hub-kept";
  var EVENTS_URL = "/api/v1/events";
  var REPLAY_HEADER = "X-Hub-Replay";  // tells the service worker not to queue a replay again
  var BATCH = 100;

  // ---- 1. The queue --------------------------------------------------------------------
  var opening = null;
  function openDb() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var req = global.indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () {
          var db = req.result;
          db.createObjectStore("kept", {keyPath: "url"});   // what is kept, its files and size
          db.createObjectStore("events", {keyPath: "id"});  // client event id: stored once
          db.createObjectStore("posts", {keyPath: "id"});   // exercise answers to send later
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { opening = null; reject(req.error); };
      });
    }
    return opening;
  }

  // One transaction on one store; `work(store, out)` issues requests, sets out.value.
  function tx(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(name, mode), out = {};
        work(t.objectStore(name), out);
        t.oncomplete = function () { resolve(out.value); };
        t.onerror = t.onabort = function () { reject(t.error); };
      });
    });
  }

  function getAll(name) {
    return tx(name, "readonly", function (store, out) {
      store.getAll().onsuccess = function (e) { out.value = e.target.result; };
    });
  }

  function get(name, key) {
    return tx(name, "readonly", function (store, out) {
      store.get(key).onsuccess = function (e) { out.value = e.target.result; };
    });
  }

  function putAll(name, records) {
    return tx(name, "readwrite", function (store, out) {
      records.forEach(function (r) { store.put(r); });
      out.value = records.length;
    });
  }

  function removeKeys(name, keys) {
    return tx(name, "readwrite", function (store) {
      keys.forEach(function (k) { store.delete(k); });
    });
  }

  // Read and delete in one transaction: whoever takes a record sends it; nobody else can.
  function take(name, key) {
    return tx(name, "readwrite", function (store, out) {
      store.get(key).onsuccess = function (e) {
        out.value = e.target.result;
        if (out.value) { store.delete(key); }
      };
    });
  }

  function uuid() {
    if (global.crypto && global.crypto.randomUUID) { return global.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  var ANSWERS_URL = "/api/v1/answers";
  var QUESTION_PATH = /^\/packs\/([^\/]+)\/([^\/]+)\/question\/([^\/?]+)$/;

  function ownerOf(value) {
    return value === undefined || value === null || value === "" ? null : Number(value);
  }

  /** Keep events (contract shape, each with its client-made id) for their learner until the
      hub answers; `owner` is the learner's id, or null for an anonymous session. */
  function store(events, owner) {
    var list = (Array.isArray(events) ? events : [events]).filter(function (e) {
      return e && typeof e.id === "string";
    });
    var now = Date.now();
    return putAll("events", list.map(function (e, i) {
      // No owner given (an older page's script): sent for whoever is signed in, as before.
      return {id: e.id, event: e, queued: now + i, learner: owner === undefined ? undefined : ownerOf(owner)};
    }));
  }

  /** Keep a form POST to send when the hub answers. An exercise question's form becomes an
      answer for POST /api/v1/answers, made now, for the learner named in the form. */
  function queuePost(url, body, type) {
    var match = QUESTION_PATH.exec(url.split("?")[0]);
    var form = null;
    try { form = new URLSearchParams(new TextDecoder().decode(body)); } catch (err) { form = null; }
    var owner = form && form.has("learner") ? ownerOf(form.get("learner")) : undefined;
    if (match && form) {
      var answers = form.getAll("answer");
      var answer = {id: form.get("attempt") || uuid(), resource: decodeURIComponent(match[1]) + "/" + decodeURIComponent(match[2]),
                    question: decodeURIComponent(match[3]),
                    answer: form.get("answer_kind") === "multiple_choice" ? answers : (answers[0] || ""),
                    timestamp: new Date().toISOString()};
      return putAll("posts", [{id: uuid(), url: ANSWERS_URL, body: JSON.stringify(answer),
                               type: "application/json", queued: Date.now(), learner: owner}]);
    }
    return putAll("posts", [{id: uuid(), url: url, body: body, type: type, queued: Date.now(), learner: owner}]);
  }

  // Send one learner's events, a batch at a time; resolves with how many went.
  function sendOwnEvents(rows, sent) {
    if (!rows.length) { return Promise.resolve(sent); }
    var batch = rows.slice(0, BATCH);
    var ids = batch.map(function (r) { return r.id; });
    var body = {sent_at: new Date().toISOString(), events: batch.map(function (r) { return r.event; })};
    if (batch[0].learner !== undefined) { body.learner = batch[0].learner; }
    var headers = {"Content-Type": "application/json"};
    headers[REPLAY_HEADER] = "1";
    return fetch(EVENTS_URL, {method: "POST", credentials: "same-origin", headers: headers,
                              body: JSON.stringify(body)})
      .then(function (response) {
        if (response.ok) {
          return removeKeys("events", ids).then(function () { return sendOwnEvents(rows.slice(BATCH), sent + ids.length); });
        }
        if (response.status === 400) {
          // The batch was refused whole: drop the events the hub named (they can never be
          // taken), or the whole batch when it named none; send the rest next time round.
          return response.json().catch(function () { return {}; }).then(function (answer) {
            var bad = (answer.details || []).map(function (d) { return ids[d.index]; })
              .filter(Boolean);
            return removeKeys("events", bad.length ? bad : ids).then(function () { return sent; });
          });
        }
        return sent;  // 409: another learner is signed in, they wait for theirs; or the hub is busy
      });
  }

  function sendEvents(sent) {
    return getAll("events").then(function (rows) {
      rows.sort(function (a, b) { return a.queued - b.queued; });
      var owners = [], byOwner = {};
      rows.forEach(function (r) {
        var key = String(r.learner);  // "undefined": kept before items had owners
        if (!byOwner[key]) { byOwner[key] = []; owners.push(key); }
        byOwner[key].push(r);
      });
      var chain = Promise.resolve(sent);
      owners.forEach(function (key) {
        chain = chain.then(function (n) { return sendOwnEvents(byOwner[key], n); });
      });
      return chain;
    });
  }

  function replay(record) {
    var headers = {"Content-Type": record.type};
    headers[REPLAY_HEADER] = "1";
    var body = record.body;
    if (record.url === ANSWERS_URL) {
      var answer = JSON.parse(record.body);
      answer.sent_at = new Date().toISOString();
      if (record.learner !== undefined) { answer.learner = record.learner; }
      body = JSON.stringify(answer);
    }
    return fetch(record.url, {method: "POST", credentials: "same-origin", headers: headers,
                              body: body, redirect: "follow"});
  }

  function sendPosts(sent) {
    return getAll("posts").then(function (rows) {
      rows.sort(function (a, b) { return a.queued - b.queued; });
      var chain = Promise.resolve(true);
      rows.forEach(function (row) {
        chain = chain.then(function (goOn) {
          if (!goOn) { return false; }
          return take("posts", row.id).then(function (record) {
            if (!record) { return true; }  // someone else is sending it
            return replay(record).then(function (response) {
                if (response.status >= 500) { return putAll("posts", [record]).then(function () { return false; }); }
                // Made by another learner than the one signed in: it waits for its learner.
                if (response.status === 409) { return putAll("posts", [record]).then(function () { return true; }); }
                sent += 1;  // checked by the hub (or refused for good, e.g. an expired form)
                return true;
              }, function () { return putAll("posts", [record]).then(function () { return false; }); });
          });
        });
      });
      return chain.then(function () { return sent; });
    });
  }

  var flushing = null;
  /** Send what waits in the queue; resolves with how many events and answers went. */
  function flush() {
    if (!flushing) {
      var result = {events: 0, posts: 0};
      flushing = sendEvents(0)
        .then(function (n) { result.events = n; return sendPosts(0); })
        .then(function (n) { result.posts = n; return result; })
        .catch(function () { return result; })  // offline: try again later
        .then(function (r) { flushing = null; return r; });
    }
    return flushing;
  }

  /** How many events and answers wait to be sent. */
  function pending() {
    return Promise.all([getAll("events"), getAll("posts")]).then(function (both) {
      return {events: both[0].length, posts: both[1].length};
    });
  }

  /** The form addresses on kept pages: only those are queued when the hub is away. */
  function keptPosts() {
    return getAll("kept").then(function (rows) {
      return rows.reduce(function (all, r) { return all.concat(r.posts || []); }, []);
    });
  }

  var api = {store: store, queuePost: queuePost, flush: flush, pending: pending,
             keptPosts: keptPosts, replayHeader: REPLAY_HEADER, keptCache: KEPT_CACHE};
  global.hubOffline = api;
  if (typeof global.document === "undefined" || !global.indexedDB) { return; }  // worker: done

  // ---- 2. Keep on this phone ---------------------------------------------------------------
  var doc = global.document;
  var canKeep = global.isSecureContext && "serviceWorker" in global.navigator && "caches" in global;
  if (canKeep) {
    global.navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
  }

  function sameOrigin(raw, base) {
    try {
      var u = new URL(raw, base);
      return u.origin === global.location.origin ? u.pathname + u.search : null;
    } catch (err) { return null; }
  }

  // Everything a kept page needs: itself, its media and pictures, its styles and scripts.
  function pageParts(url, html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var base = new URL(url, global.location.href).href;
    var files = [];
    var attrs = {img: "src", video: "src", audio: "src", source: "src", track: "src",
                 script: "src", link: "href", object: "data", embed: "src"};
    Object.keys(attrs).forEach(function (tag) {
      page.querySelectorAll(tag + "[" + attrs[tag] + "]").forEach(function (el) {
        if (tag === "link" && !/stylesheet|icon|manifest/.test(el.rel)) { return; }
        var path = sameOrigin(el.getAttribute(attrs[tag]), base);
        if (path && files.indexOf(path) < 0) { files.push(path); }
      });
    });
    // Posters, and the icon sheets that inline SVG pictures <use>.
    page.querySelectorAll("video[poster], use[href], image[href]").forEach(function (el) {
      var path = sameOrigin(el.getAttribute(el.hasAttribute("poster") ? "poster" : "href"), base);
      if (path && files.indexOf(path) < 0) { files.push(path); }
    });
    var posts = [];
    page.querySelectorAll("main form").forEach(function (form) {
      if ((form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
      var path = sameOrigin(form.getAttribute("action") || url, base);
      if (path && posts.indexOf(path) < 0) { posts.push(path); }
    });
    return {files: files, posts: posts};
  }

  /** Keep a page and its files in the cache; resolves with the record stored. */
  function keep(url, title, kind) {
    // bytes: what this resource itself takes (page and content files); sizes: every file,
    // so the total counts a file shared by several kept pages (styles, scripts) once.
    var record = {url: url, title: title, kind: kind, bytes: 0, sizes: {}, kept: Date.now()};
    return caches.open(KEPT_CACHE).then(function (cache) {
      return fetch(url, {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) { throw new Error("page " + response.status); }
        var copy = response.clone();
        return response.text().then(function (html) {
          var parts = pageParts(url, html);
          record.files = [url].concat(parts.files);
          record.posts = parts.posts;
          return cache.put(url, copy).then(function () {
            record.sizes[url] = new Blob([html]).size;
            record.bytes += record.sizes[url];
            return Promise.all(parts.files.map(function (path) {
              return fetch(path, {credentials: "same-origin"}).then(function (r) {
                if (r.status !== 200) { throw new Error(path + " " + r.status); }
                return r.clone().blob().then(function (blob) {
                  record.sizes[path] = blob.size;
                  if (path.indexOf("/static/") !== 0) { record.bytes += blob.size; }
                  return cache.put(path, r);
                });
              });
            }));
          });
        });
      });
    }).then(function () {
      if (global.navigator.serviceWorker.controller) {
        global.navigator.serviceWorker.controller.postMessage("refresh-shell");
      }
      return putAll("kept", [record]);
    }).then(function () { return record; });
  }

  /** Remove a kept page, and each of its files no other kept page uses. */
  function unkeep(url) {
    return getAll("kept").then(function (rows) {
      var target = rows.filter(function (r) { return r.url === url; })[0];
      if (!target) { return null; }
      var used = {};
      rows.forEach(function (r) {
        if (r.url !== url) { (r.files || []).forEach(function (f) { used[f] = true; }); }
      });
      return caches.open(KEPT_CACHE).then(function (cache) {
        return Promise.all((target.files || []).filter(function (f) { return !used[f]; })
          .map(function (f) { return cache.delete(f); }));
      }).then(function () { return removeKeys("kept", [url]); });
    });
  }
  api.keep = keep;
  api.unkeep = unkeep;
  api.kept = function () { return getAll("kept"); };

  function formatSize(bytes, box) {
    var lang = doc.documentElement.lang || undefined;
    var mb = bytes >= 1024 * 1024;
    var n = mb ? Math.round(bytes / 104857.6) / 10 : Math.max(1, Math.round(bytes / 1024));
    var text = new Intl.NumberFormat(lang).format(n);
    return (mb ? box.dataset.mb : box.dataset.kb).replace("{n}", text);
  }

  function setupButton(box) {
    var add = box.querySelector(".keep-add");
    if (!add) { box.hidden = false; return; }  // too big: the note says so
    var remove = box.querySelector(".keep-remove");
    var done = box.querySelector(".keep-done");
    var note = box.querySelector(".keep-note");
    var status = box.querySelector(".keep-status");
    var url = box.dataset.keepUrl;
    function show(isKept) {
      add.hidden = isKept; note.hidden = isKept; done.hidden = !isKept; remove.hidden = !isKept;
    }
    get("kept", url).then(function (r) { show(!!r); box.hidden = false; });
    add.addEventListener("click", function () {
      add.disabled = true;
      status.textContent = box.dataset.keeping;
      keep(url, box.dataset.keepTitle, box.dataset.keepKind).then(function () {
        status.textContent = ""; show(true); box.dataset.kept = "yes";
      }, function () {
        status.textContent = box.dataset.failed;
        unkeep(url);
      }).then(function () { add.disabled = false; });
    });
    remove.addEventListener("click", function () {
      unkeep(url).then(function () { show(false); box.dataset.kept = "no"; add.focus(); });
    });
  }

  // ---- 3. The "Kept on this phone" page ----------------------------------------------------
  function showKept(box) {
    doc.getElementById("kept-needs-js").hidden = true;
    if (!canKeep) { doc.getElementById("kept-unsupported").hidden = false; }
    var list = doc.getElementById("kept-list");
    var item = doc.getElementById("kept-item");
    var usage = doc.getElementById("kept-usage");
    var empty = doc.getElementById("kept-empty");
    var waiting = doc.getElementById("kept-pending");
    function render() {
      getAll("kept").then(function (rows) {
        rows.sort(function (a, b) { return b.kept - a.kept; });
        list.textContent = "";
        var sizes = {}, total = 0;
        rows.forEach(function (r) {
          Object.keys(r.sizes || {}).forEach(function (f) { sizes[f] = r.sizes[f]; });
          var li = item.content.firstElementChild.cloneNode(true);
          var link = li.querySelector(".kept-title");
          link.href = r.url;
          link.textContent = r.title || r.url;
          li.querySelector(".kept-size").textContent = formatSize(r.bytes, box);
          li.querySelector(".kept-remove").addEventListener("click", function () {
            unkeep(r.url).then(function () {
              doc.getElementById("kept-status").textContent = box.dataset.removed;
              render();
            });
          });
          list.appendChild(li);
        });
        Object.keys(sizes).forEach(function (f) { total += sizes[f]; });
        empty.hidden = rows.length > 0;
        usage.hidden = rows.length === 0;
        usage.textContent = box.dataset.usage.replace("{size}", formatSize(total, box));
      });
      pending().then(function (p) {
        var count = p.events + p.posts;
        waiting.hidden = count === 0;
        // The page holds one wording per plural category of its language (data-pending-one, ...).
        var lang = doc.documentElement.lang, hasIntl = !!(window.Intl && Intl.PluralRules);
        var category = hasIntl ? new Intl.PluralRules(lang).select(count) : "other";
        var words = box.dataset["pending" + category.charAt(0).toUpperCase() + category.slice(1)] || box.dataset.pendingOther;
        waiting.textContent = words.replace("{count}", hasIntl ? new Intl.NumberFormat(lang).format(count) : String(count));
      });
    }
    render();
    api.render = render;
  }

  function start() {
    doc.querySelectorAll(".keep[data-keep-url]").forEach(function (box) {
      if (canKeep) { setupButton(box); }
    });
    var box = doc.getElementById("kept");
    if (box) { showKept(box); }
    var refresh = function () {
      flush().then(function (r) { if (api.render && (r.events || r.posts)) { api.render(); } });
    };
    global.addEventListener("online", refresh);
    if (global.navigator.onLine !== false) { refresh(); }
  }
  start();
})(typeof self !== "undefined" ? self : this);

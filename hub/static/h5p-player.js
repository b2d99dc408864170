// Inside the sandboxed H5P player page: start h5p-standalone on this resource's package and
// pass each xAPI statement up to the resource page, which alone may record events (the
// player runs in an opaque origin with no cookies and no access to the hub's API).
(function () {
  "use strict";
  // The sandbox (an opaque origin) has no storage, and H5P reads localStorage as it starts:
  // it gets a memory store instead, so nothing of the content outlives the page.
  function memoryStorage() {
    var items = {};
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(items, k) ? items[k] : null; },
      setItem: function (k, v) { items[k] = String(v); },
      removeItem: function (k) { delete items[k]; },
      clear: function () { items = {}; },
      key: function (i) { return Object.keys(items)[i] || null; },
      get length() { return Object.keys(items).length; }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try { window[name].getItem("probe"); } catch (e) {
      try { Object.defineProperty(window, name, { value: memoryStorage(), configurable: true }); } catch (ignored) { /* stays as it is */ }
    }
  });
  window.addEventListener("load", start);

  function start() {
  var el = document.getElementById("h5p-container");
  if (!el || !window.H5PStandalone) { return; }
  var options = {
    h5pJsonPath: el.getAttribute("data-h5p-json"),
    contentJsonPath: el.getAttribute("data-content-json"),
    librariesPath: el.getAttribute("data-libraries"),
    frameJs: el.getAttribute("data-frame-js"),
    frameCss: el.getAttribute("data-frame-css"),
    // "div": a frame inside the sandboxed page would get an origin of its own and stay empty.
    embedType: "div",
    frame: false, copyright: false, export: false, embed: false, icon: false, fullScreen: false
  };
  function tell(message) {
    if (window.parent && window.parent !== window) { window.parent.postMessage(message, "*"); }
  }
  new window.H5PStandalone.H5P(el, options).then(function () {
    tell({ hub: "h5p", type: "ready" });
    window.H5P.externalDispatcher.on("xAPI", function (event) {
      var statement = event && event.data && event.data.statement;
      if (!statement) { return; }
      // Only what the hub needs: the verb, the result, and whether it is a part of the content.
      var context = statement.context && statement.context.contextActivities;
      tell({ hub: "h5p", type: "xapi", verb: statement.verb && statement.verb.id,
             result: statement.result || null, sub: !!(context && context.parent) });
    });
  }, function (error) {
    tell({ hub: "h5p", type: "error", message: String(error && error.message || error) });
  });
  }
})();

// The hub's bridge for H5P: the sandboxed player (h5p-player.js) posts xAPI statements here;
// this page, which alone may speak for the learner, turns them into events through
// activity.js' queue. A score is kept as the content reports it (data.xapi_*), apart from
// exercise mastery, which only the hub's checker gives. Parts of a content (sub-questions)
// are left out: the content's own statement about the whole is what counts.
(function () {
  "use strict";
  var frame = document.querySelector("iframe[data-h5p-player]");
  if (!frame) { return; }
  var DONE = { completed: 1, answered: 1, passed: 1, failed: 1, mastered: 1 };

  function scaled(result) {
    var score = result && result.score;
    if (!score) { return undefined; }
    if (typeof score.scaled === "number" && isFinite(score.scaled)) {
      return Math.min(1, Math.max(0, score.scaled));
    }
    if (typeof score.raw === "number" && typeof score.max === "number" && score.max > 0) {
      return Math.min(1, Math.max(0, score.raw / score.max));
    }
    return undefined;
  }

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow) { return; }
    var message = event.data;
    var activity = window.hubActivity;
    if (!message || message.hub !== "h5p" || message.type !== "xapi" || message.sub || !activity) { return; }
    var verb = String(message.verb || "").split("/").pop();
    var result = message.result || {};
    var score = scaled(result);
    var data = { xapi_verb: verb.slice(0, 40) };
    if (result.score && typeof result.score.raw === "number") { data.xapi_score_raw = result.score.raw; }
    if (result.score && typeof result.score.max === "number") { data.xapi_score_max = result.score.max; }
    if (DONE[verb] && (score !== undefined || result.completion === true)) {
      if (score !== undefined) { data.xapi_score_scaled = Math.round(score * 1000) / 1000; }
      activity.push("completed", { progress: 1, score: score, data: data });
      activity.send();
      frame.setAttribute("data-last-score", score === undefined ? "" : String(score));
    } else if (verb === "progressed" || verb === "attempted") {
      activity.push("progressed", { data: data });
    }
  });
})();

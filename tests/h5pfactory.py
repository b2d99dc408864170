"""Test helper: small H5P packages with a library of our own (no H5P content type copied).

H5P.HubCheck shows a question and one button; a click reports a scored xAPI statement
(3 of 4) through H5P's own EventDispatcher.triggerXAPIScored, as real content types do.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

LIBRARY_JS = """var H5P = H5P || {};
H5P.HubCheck = (function () {
  function HubCheck(params, contentId) {
    H5P.EventDispatcher.call(this);
    this.params = params;
    this.contentId = contentId;
  }
  HubCheck.prototype = Object.create(H5P.EventDispatcher.prototype);
  HubCheck.prototype.constructor = HubCheck;
  HubCheck.prototype.attach = function ($container) {
    var self = this;
    var root = $container.get(0);
    root.classList.add("h5p-hubcheck");
    var question = document.createElement("p");
    question.className = "hubcheck-question";
    question.textContent = this.params.question;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "hubcheck-answer";
    button.textContent = this.params.answer;
    button.addEventListener("click", function () {
      self.triggerXAPIScored(3, 4, "answered");
      question.textContent = self.params.done;
    });
    root.appendChild(question);
    root.appendChild(button);
  };
  return HubCheck;
})();
"""
LIBRARY_CSS = ".h5p-hubcheck .hubcheck-answer { font-size: 1.2em; padding: .5em 1em; }\n"


def library_json(patch: int = 2) -> dict:
    """H5P.HubCheck 1.0.<patch>'s library.json."""
    return {"title": "Hub check", "machineName": "H5P.HubCheck", "majorVersion": 1, "minorVersion": 0,
            "patchVersion": patch, "runnable": 1, "license": "MIT", "author": "Hub tests",
            "preloadedJs": [{"path": "hubcheck.js"}], "preloadedCss": [{"path": "hubcheck.css"}]}


def make_h5p(path: Path, *, title="Hub check", question="What is 3 + 4?", language="en",
             with_library=True, patch=2, library_js=LIBRARY_JS) -> Path:
    """Write an .h5p: h5p.json, content/content.json and (unless told not to) H5P.HubCheck-1.0/."""
    h5p = {"title": title, "language": language, "mainLibrary": "H5P.HubCheck", "embedTypes": ["div"],
           "license": "CC BY", "authors": [{"name": "A. Teacher", "role": "Author"}],
           "preloadedDependencies": [{"machineName": "H5P.HubCheck", "majorVersion": "1", "minorVersion": "0"}]}
    content = {"question": question, "answer": "7", "done": "Thank you!"}
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("h5p.json", json.dumps(h5p))
        archive.writestr("content/content.json", json.dumps(content))
        if with_library:
            archive.writestr("H5P.HubCheck-1.0/library.json", json.dumps(library_json(patch)))
            archive.writestr("H5P.HubCheck-1.0/hubcheck.js", library_js)
            archive.writestr("H5P.HubCheck-1.0/hubcheck.css", LIBRARY_CSS)
    return path

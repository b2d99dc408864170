/* Count the mangoes: a tiny offline counting game. No network, no storage, no libraries. */
(function () {
  "use strict";
  var body = document.body;
  var text = function (key, values) {
    var s = body.getAttribute("data-" + key) || "";
    Object.keys(values || {}).forEach(function (k) { s = s.replace("{" + k + "}", values[k]); });
    return s;
  };
  var digits = text("digits") || "0123456789";
  var num = function (n) {
    return String(n).replace(/[0-9]/g, function (d) { return digits.charAt(+d); });
  };
  var ROUNDS = 10;
  var board = document.getElementById("board");
  var SVG = board.namespaceURI; // the SVG namespace, taken from the page itself
  var choices = document.getElementById("choices");
  var message = document.getElementById("message");
  var next = document.getElementById("next");
  var round = 0, score = 0, answer = 0, firstTry = true, tapped = 0;

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function mango(x, y) {
    var g = el("g", { "class": "fruit", tabindex: "0", role: "button" });
    g.appendChild(el("ellipse", { cx: x, cy: y, rx: 15, ry: 18, fill: "#f59e0b", stroke: "#92400e", "stroke-width": 2 }));
    g.appendChild(el("ellipse", { cx: x + 7, cy: y - 20, rx: 7, ry: 3, fill: "#15803d" }));
    var label = el("text", { x: x, y: y + 6, "text-anchor": "middle", "class": "count" });
    g.appendChild(label);
    var mark = function () {
      if (label.textContent) { return; }
      tapped += 1;
      label.textContent = num(tapped);
      g.setAttribute("class", "fruit counted");
    };
    g.addEventListener("click", mark);
    g.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); mark(); } });
    return g;
  }

  function shuffle(list) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)), t = list[i];
      list[i] = list[j]; list[j] = t;
    }
    return list;
  }

  function newRound() {
    round += 1; firstTry = true; tapped = 0;
    answer = 1 + Math.floor(Math.random() * 10);
    while (board.firstChild) { board.removeChild(board.firstChild); }
    // two rows of five, like a ten-frame, so children can see "five and two more"
    for (var i = 0; i < answer; i++) {
      board.appendChild(mango(30 + (i % 5) * 50, 40 + Math.floor(i / 5) * 55));
    }
    var options = [answer];
    while (options.length < 3) {
      var guess = answer + (Math.random() < 0.5 ? -1 : 1) * (1 + Math.floor(Math.random() * 2));
      if (guess >= 1 && guess <= 12 && options.indexOf(guess) < 0) { options.push(guess); }
    }
    while (choices.firstChild) { choices.removeChild(choices.firstChild); }
    shuffle(options).forEach(function (n) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = num(n);
      b.addEventListener("click", function () { pick(n, b); });
      choices.appendChild(b);
    });
    message.textContent = text("question");
    document.getElementById("round").textContent = text("round", { n: num(round), total: num(ROUNDS) });
    next.hidden = true;
  }

  function pick(n, button) {
    if (!next.hidden) { return; }
    if (n === answer) {
      if (firstTry) { score += 1; }
      button.className = "right";
      message.textContent = text("right", { n: num(answer) });
      next.hidden = false;
      next.textContent = round < ROUNDS ? text("next") : text("finish");
      next.focus();
    } else {
      firstTry = false;
      button.disabled = true;
      message.textContent = text("wrong");
    }
  }

  next.addEventListener("click", function () {
    if (round < ROUNDS) { newRound(); return; }
    while (board.firstChild) { board.removeChild(board.firstChild); }
    while (choices.firstChild) { choices.removeChild(choices.firstChild); }
    message.textContent = text("done", { score: num(score), total: num(ROUNDS) });
    // The hub's bridge (docs/html5-bridge.md): tell the page around the game it was finished.
    if (window.parent && window.parent !== window) {
      window.parent.postMessage({ hub: "activity", type: "completed", score: score / ROUNDS }, "*");
    }
    round = 0; score = 0;
    next.textContent = text("again");
  });

  document.getElementById("play").hidden = false;
  newRound();
}());

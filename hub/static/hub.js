// Small enhancements only: every page works without this file.
(function () {
  "use strict";
  // Close the language menu when a choice is made or focus leaves it.
  document.querySelectorAll("details.lang").forEach(function (menu) {
    menu.addEventListener("focusout", function (event) {
      if (!menu.contains(event.relatedTarget)) { menu.removeAttribute("open"); }
    });
  });
})();

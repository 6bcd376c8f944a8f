// On a phone or a narrow tablet the top menu folds behind a "Menu" button. Without this script
// (or before it runs) the menu is simply shown in full.
(function () {
  "use strict";
  document.documentElement.classList.add("js-menu");
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".menu-button");
    var top = document.querySelector(".top");
    if (!button || !top) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = top.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();

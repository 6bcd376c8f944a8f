// Long lists of tick boxes (the participants who request or offer a topic): a search box above
// each list shows only the options whose name holds what is typed, ignoring capitals and
// accents. Hidden options keep their ticks and are sent with the form; the box itself is not.
(function () {
  "use strict";
  var FEW = 12; // shorter lists are read at a glance

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function enhance(root) {
    root.querySelectorAll("fieldset.choices.many").forEach(function (set) {
      var options = set.querySelectorAll(".option");
      if (set.dataset.filtered || options.length < FEW) { return; }
      set.dataset.filtered = "yes";
      var box = document.createElement("input");
      box.type = "search";
      box.className = "choices-filter";
      box.id = set.id + "-find";
      box.setAttribute("aria-label", set.dataset.findLabel || "Find");
      box.setAttribute("autocomplete", "off");
      box.addEventListener("input", function () {
        var wanted = fold(box.value);
        options.forEach(function (option) {
          option.hidden = wanted !== "" && fold(option.textContent).indexOf(wanted) < 0;
        });
      });
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); } // typing, not sending the form
      });
      set.querySelector(".options").before(box);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.detail.elt); });
})();

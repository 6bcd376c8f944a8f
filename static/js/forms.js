// Organizer pages: after a form comes back with problems, put the keyboard on the first field
// to fix; say in the toast when the server refused a change or could not be reached.
(function () {
  "use strict";
  function focusProblem(root) {
    var bad = root.querySelector('[aria-invalid="true"]');
    if (bad && bad.tagName === "FIELDSET") { bad = bad.querySelector("input"); }
    if (bad) { bad.focus(); }
  }
  function toast(text, clearAfter) {
    var box = document.getElementById("toast");
    if (!box) { return; }
    box.textContent = text;
    if (clearAfter) { setTimeout(function () { box.textContent = ""; }, clearAfter); }
  }
  function label(name) {
    var box = document.getElementById("toast");
    return box ? box.getAttribute("data-" + name) || "" : "";
  }
  document.addEventListener("DOMContentLoaded", function () { focusProblem(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    setTimeout(function () { focusProblem(event.detail.elt); }, 0);
  });
  // A change refused by the server (the row was removed meanwhile, ...): its own message.
  document.addEventListener("htmx:responseError", function (event) {
    var page = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
    var found = page.querySelector("[role=alert]");
    toast(found ? found.textContent.trim() : label("failed"), 8000);
  });
  document.addEventListener("htmx:sendError", function () { toast(label("offline")); });
})();

// The room's screen: a long list of names is shown a page at a time, turning every 12 s.
(function () {
  "use strict";
  var page = 0;
  function turn() {
    var lists = document.querySelectorAll(".seating:not([hidden]) .names");
    for (var i = 0; i < lists.length; i++) {
      var items = lists[i].children;
      var per = Math.max(1, Math.floor((window.innerHeight - 260) / 48) * 3);
      var pages = Math.ceil(items.length / per);
      var shown = pages ? page % pages : 0;
      for (var j = 0; j < items.length; j++) {
        items[j].hidden = Math.floor(j / per) !== shown;
      }
      lists[i].setAttribute("data-page", (shown + 1) + " / " + pages);
    }
  }
  document.addEventListener("ronda:state", function () { page = 0; turn(); });
  window.addEventListener("resize", turn);
  setInterval(function () { page += 1; turn(); }, 12000);
  turn();
})();

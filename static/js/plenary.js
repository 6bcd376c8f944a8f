// The plenary's speaker clock: counts down from the server's end time ([data-speaker-ends]),
// corrected by the difference between the server's clock and this device's.
(function () {
  "use strict";
  var root = document.querySelector("[data-server-time]");
  var skew = root ? Date.parse(root.getAttribute("data-server-time")) - Date.now() : 0;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var clocks = document.querySelectorAll("[data-speaker-ends]");
    for (var i = 0; i < clocks.length; i++) {
      var left = Date.parse(clocks[i].getAttribute("data-speaker-ends")) - (Date.now() + skew);
      var s = Math.max(0, Math.round(left / 1000));
      clocks[i].textContent = Math.floor(s / 60) + ":" + pad(s % 60);
      clocks[i].classList.toggle("over", left <= 0);
    }
  }
  setInterval(tick, 250);
  tick();
})();

// Live pages (attendee, projector, console): follow the session's state as the server sends it.
//
// The root element [data-stream] holds the stream's address, the state's address and the state
// the page was rendered with. Each state shows the blocks that belong to it: [data-when] (the
// status: before, running, paused, change, after), [data-now="k"] and [data-next="k"] (round k
// now and next), [data-round-item="k"] in lists. The countdown is counted from the server's end
// time, corrected by the difference between the server's clock and this device's. A message that
// names a new plan version (or a new topic on the plenary's floor) makes the page fetch itself
// again. When the stream fails the page
// asks for the state every few seconds, and tries the stream again.
(function () {
  "use strict";
  var root = document.querySelector("[data-stream]");
  if (!root) return;
  var state = JSON.parse(root.getAttribute("data-state"));
  var skew = 0; // server clock minus this device's clock, in ms
  var source = null;
  var lastHeard = Date.now();
  var polling = null;
  var failures = 0;

  function heard(serverTime) {
    lastHeard = Date.now();
    if (serverTime) skew = Date.parse(serverTime) - Date.now();
  }

  function when(s) {
    if (s.status === "not_started") return "before";
    if (s.status === "finished") return "after";
    if (s.status === "paused") return "paused";
    return s.phase === "change" ? "change" : "running";
  }

  function show(selector, visible) {
    var nodes = root.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) nodes[i].hidden = !visible(nodes[i]);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock(ms) {
    var total = Math.max(0, Math.round(ms / 1000));
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return (h ? h + ":" + pad(m) : m) + ":" + pad(s);
  }

  function tick() {
    var node = root.querySelector("[data-countdown]");
    if (!node) return;
    var left = null;
    if (state.status === "paused" && state.remaining_seconds != null) {
      left = state.remaining_seconds * 1000;
    } else if (state.status === "running" && state.phase_ends_at) {
      left = Date.parse(state.phase_ends_at) - (Date.now() + skew);
    }
    var label = root.querySelector("[data-countdown-label]");
    if (left === null) {
      node.textContent = "";
      if (label) label.textContent = "";
      return;
    }
    node.textContent = clock(left);
    node.classList.toggle("over", left <= 0);
    if (label) {
      var key = left <= 0 ? "over" : state.status === "paused" ? "paused" : "left";
      label.textContent = root.getAttribute("data-label-" + key) || "";
    }
  }

  // Pages that show more than the state (the console, the plenary) fetch themselves on every
  // change; a page can start or stop doing so when it is fetched again.
  function refreshAll() { return root.hasAttribute("data-refresh-on-change"); }

  function apply(next) {
    var reload = state.plan_version !== next.plan_version && next.plan_version != null;
    if ((state.plenary_topic || null) !== (next.plenary_topic || null)) reload = true; // the plenary's topic
    if (refreshAll() && state.state_version !== next.state_version) reload = true;
    state = next;
    var status = when(state);
    var round = state.round || 0;
    var upcoming = status === "before" ? 1 : status === "change" ? round : round + 1;
    root.setAttribute("data-status", status);
    root.setAttribute("data-round", String(round));
    show("[data-when]", function (n) {
      return n.getAttribute("data-when").split(" ").indexOf(status) >= 0;
    });
    show("[data-now]", function (n) {
      return Number(n.getAttribute("data-now")) === round && status !== "before" && status !== "after";
    });
    show("[data-next]", function (n) {
      return Number(n.getAttribute("data-next")) === upcoming && status !== "after";
    });
    var items = root.querySelectorAll("[data-round-item]");
    for (var i = 0; i < items.length; i++) {
      var k = Number(items[i].getAttribute("data-round-item"));
      items[i].classList.toggle("current", k === round && status !== "before" && status !== "after");
      items[i].classList.toggle("past", k < round || status === "after");
    }
    var numbers = root.querySelectorAll("[data-round-number]");
    for (var j = 0; j < numbers.length; j++) numbers[j].textContent = String(round || "");
    tick();
    document.dispatchEvent(new CustomEvent("ronda:state", { detail: state }));
    if (reload) refresh();
  }

  function refresh() {
    // A new plan version: fetch this page again and put its live part in place.
    fetch(location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-stream]");
        if (!fresh) return;
        if (fresh.hasAttribute("data-refresh-on-change")) root.setAttribute("data-refresh-on-change", "yes");
        else root.removeAttribute("data-refresh-on-change");
        var parts = root.querySelectorAll("[data-live-part]");
        if (parts.length) {
          for (var i = 0; i < parts.length; i++) {
            var name = parts[i].getAttribute("data-live-part");
            var part = fresh.querySelector('[data-live-part="' + name + '"]');
            if (part) parts[i].innerHTML = part.innerHTML;
          }
        } else {
          root.innerHTML = fresh.innerHTML;
        }
        state = JSON.parse(fresh.getAttribute("data-state"));
        apply(state);
      })
      .catch(function () { setTimeout(refresh, 3000); });
  }

  function receive(text) {
    var data = JSON.parse(text);
    heard(data.server_time);
    if (data.status === "gone") return;
    if (data.state_version !== state.state_version || data.plan_version !== state.plan_version) {
      apply(data);
    }
  }

  function poll() {
    fetch(root.getAttribute("data-state-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (text) { receive(text); setOnline(true); })
      .catch(function () { setOnline(false); });
  }

  function setOnline(online) {
    root.classList.toggle("offline", !online);
  }

  function startPolling() {
    if (!polling) polling = setInterval(poll, 5000);
  }

  function connect() {
    if (source) source.close();
    if (!window.EventSource) { startPolling(); return; }
    source = new EventSource(root.getAttribute("data-stream"));
    source.addEventListener("state", function (e) {
      failures = 0;
      setOnline(true);
      if (polling) { clearInterval(polling); polling = null; }
      receive(e.data);
    });
    source.addEventListener("ping", function (e) { heard(e.data); setOnline(true); });
    source.onerror = function () {
      failures += 1;
      setOnline(false);
      if (failures >= 2) startPolling();
    };
  }

  // A stream that went quiet (a sleeping phone, a proxy that dropped it) is opened again.
  setInterval(function () {
    var silent = Date.now() - lastHeard > 40000;
    if (!source || source.readyState === 2 || silent) {
      lastHeard = Date.now();
      poll();
      connect();
    }
  }, 5000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { poll(); if (!source || source.readyState === 2) connect(); }
  });
  window.addEventListener("online", function () { poll(); connect(); });

  setInterval(tick, 250);
  heard(root.getAttribute("data-server-time"));
  apply(state);
  connect();
})();

// The facilitator's notes: written to this device first (localStorage), then sent; never lost.
//
// Each note has an id made here, so sending it twice stores it once. A note is "dirty" until
// the server has its latest text. Sending happens a moment after typing stops, when the page is
// left, when the network returns, and every few seconds while notes wait. A write that the
// server refuses as stale (409) keeps both texts on screen for the person to merge.
(function () {
  "use strict";
  var root = document.querySelector("[data-facilitate]");
  if (!root) return;
  var rounds = JSON.parse(root.getAttribute("data-rounds"));
  var labels = JSON.parse(root.getAttribute("data-labels"));
  var url = root.getAttribute("data-notes-url");
  var key = "ronda-notes-" + root.getAttribute("data-event") + "-" + root.getAttribute("data-who");
  var list = document.getElementById("note-list");
  var statusLine = document.getElementById("sync-status");
  var store = {};
  var sending = false;
  var timer = null;

  try { store = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { store = {}; }

  function keep() {
    localStorage.setItem(key, JSON.stringify(store));
    showStatus();
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var hex = "";
    for (var i = 0; i < 32; i++) hex += Math.floor(Math.random() * 16).toString(16);
    return hex;
  }

  function waiting() {
    return Object.keys(store).filter(function (id) { return store[id].dirty; }).length;
  }

  function showStatus() {
    var n = waiting();
    statusLine.textContent = n === 0 ? labels.saved : n === 1 ? labels.unsent_one : labels.unsent.replace("{count}", n);
    statusLine.classList.toggle("pending", n > 0);
  }

  function chips(note, kind, options, box) {
    box.innerHTML = "";
    options.forEach(function (option) {
      var value = kind === "people" ? option.code : option;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.textContent = kind === "people" ? option.name : option;
      var on = note[kind].indexOf(value) >= 0;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.addEventListener("click", function () {
        var at = note[kind].indexOf(value);
        if (at >= 0) note[kind].splice(at, 1); else note[kind].push(value);
        button.setAttribute("aria-pressed", at >= 0 ? "false" : "true");
        changed(note);
      });
      box.appendChild(button);
    });
  }

  function editor(note) {
    var box = document.getElementById("note-" + note.id);
    if (!box) {
      box = document.createElement("article");
      box.id = "note-" + note.id;
      box.className = "note";
      box.innerHTML = '<h3></h3><textarea rows="4" maxlength="20000"></textarea>' +
        '<div class="tags people-tags"></div><div class="tags topic-tags"></div>' +
        '<p class="note-error" role="alert"></p><div class="conflict" hidden>' +
        '<p class="conflict-why"></p><p><strong class="theirs-label"></strong></p>' +
        '<blockquote class="theirs"></blockquote><textarea class="merged" rows="6"></textarea>' +
        '<button type="button" class="primary keep"></button></div>';
      var area = box.querySelector("textarea");
      area.placeholder = labels.placeholder;
      area.setAttribute("aria-label", labels.round + " " + note.round + " · " + note.table);
      area.addEventListener("input", function () { note.text = area.value; changed(note); });
      box.querySelector(".keep").textContent = labels.keep;
      box.querySelector(".keep").addEventListener("click", function () {
        note.text = box.querySelector(".merged").value;
        note.base = note.conflict.version;
        note.conflict = null;
        area.value = note.text;
        changed(note);
        paint(note);
      });
      list.insertBefore(box, list.firstChild);
    }
    return box;
  }

  function paint(note) {
    var box = editor(note);
    box.querySelector("h3").textContent = labels.round + " " + note.round + " · " + note.table;
    var area = box.querySelector("textarea");
    if (document.activeElement !== area && area.value !== note.text) area.value = note.text;
    var here = rounds[note.round] || { people: [], topics: [] };
    chips(note, "people", here.people, box.querySelector(".people-tags"));
    chips(note, "topics", here.topics, box.querySelector(".topic-tags"));
    box.querySelector(".note-error").textContent = note.error ? labels.error + " " + note.error : "";
    var conflict = box.querySelector(".conflict");
    conflict.hidden = !note.conflict;
    if (note.conflict) {
      box.querySelector(".conflict-why").textContent = labels.conflict;
      box.querySelector(".theirs-label").textContent = labels.theirs;
      box.querySelector(".theirs").textContent = note.conflict.text;
      var merged = box.querySelector(".merged");
      if (!merged.value) merged.value = note.conflict.text + "\n\n" + note.text;
    }
    box.classList.toggle("dirty", !!note.dirty);
  }

  function changed(note) {
    note.dirty = true;
    note.error = "";
    keep();
    clearTimeout(timer);
    timer = setTimeout(send, 1200);
  }

  function body(note) {
    return JSON.stringify({
      round: Number(note.round), table: note.table, text: note.text,
      participants: note.people, topics: note.topics, base_version: note.base || 0
    });
  }

  function sendOne(note) {
    var sent = body(note);
    return fetch(url + "/" + encodeURIComponent(note.id), {
      method: "PUT", credentials: "same-origin", keepalive: sent.length < 60000,
      headers: { "Content-Type": "application/json" }, body: sent
    }).then(function (reply) {
      return reply.json().then(function (data) {
        if (reply.ok) {
          note.base = data.version;
          if (body(note) === sent.replace(/"base_version":\d+/, '"base_version":' + data.version)) note.dirty = false;
        } else if (reply.status === 409 && data.current) {
          note.conflict = { text: data.current.text, version: data.current.version };
        } else {
          note.error = data.detail || String(reply.status);
        }
        keep();
        paint(note);
      });
    });
  }

  function send() {
    if (sending) return;
    var due = Object.keys(store).map(function (id) { return store[id]; })
      .filter(function (n) { return n.dirty && !n.conflict && !n.error; });
    if (!due.length) return;
    sending = true;
    var chain = Promise.resolve();
    due.forEach(function (note) { chain = chain.then(function () { return sendOne(note); }); });
    chain.then(function () { root.classList.remove("offline"); })
      .catch(function () { root.classList.add("offline"); })
      .then(function () { sending = false; showStatus(); });
  }

  function fetchStored() {
    // Notes written on another device (or before this one was reset) come back here.
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (notes) {
        notes.forEach(function (n) {
          var mine = store[n.id];
          if (!mine) {
            store[n.id] = { id: n.id, round: n.round, table: n.table, text: n.text, people: n.participants, topics: n.topics, base: n.version, dirty: false, created: Date.parse(n.updated_at) };
          } else if (!mine.dirty && n.version > (mine.base || 0)) {
            mine.text = n.text; mine.people = n.participants; mine.topics = n.topics; mine.base = n.version;
          }
        });
        keep();
        all();
      })
      .catch(function () {});
  }

  function all() {
    Object.keys(store).map(function (id) { return store[id]; })
      .sort(function (a, b) { return a.created - b.created; })
      .forEach(paint);
    showStatus();
  }

  document.getElementById("new-note").addEventListener("click", function () {
    var select = document.getElementById("note-round");
    var round = select.value;
    if (!rounds[round]) return;
    var note = { id: newId(), round: Number(round), table: rounds[round].table, text: "", people: [], topics: [], base: 0, dirty: false, created: Date.now() };
    store[note.id] = note;
    keep();
    paint(note);
    document.querySelector("#note-" + note.id + " textarea").focus();
  });

  document.addEventListener("ronda:state", function (e) {
    var round = e.detail.round;
    var select = document.getElementById("note-round");
    if (round && rounds[round] && document.activeElement !== select) select.value = String(round);
  });
  window.addEventListener("online", send);
  window.addEventListener("pagehide", function () { keep(); send(); });
  document.addEventListener("visibilitychange", function () { if (document.hidden) { keep(); send(); } });
  setInterval(send, 5000);

  // Initiatives the facilitator proposes: kept here like notes until the server has them.
  var form = document.getElementById("initiative-form");
  var ikey = key + "-initiatives";
  var proposals = {};
  try { proposals = JSON.parse(localStorage.getItem(ikey) || "{}"); } catch (e) { proposals = {}; }

  function showProposals() {
    var ul = document.getElementById("initiative-list");
    ul.innerHTML = "";
    Object.keys(proposals).forEach(function (id) {
      var li = document.createElement("li");
      var p = proposals[id];
      li.textContent = p.body.topic + (p.sent ? " ✓" : " …") + (p.error ? " " + labels.error + " " + p.error : "");
      ul.appendChild(li);
    });
  }

  function sendProposals() {
    Object.keys(proposals).forEach(function (id) {
      var p = proposals[id];
      if (p.sent || p.error) return;
      fetch(form.getAttribute("data-url") + "/" + encodeURIComponent(id), {
        method: "PUT", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(p.body)
      }).then(function (reply) {
        return reply.json().then(function (data) {
          if (reply.ok) p.sent = true; else p.error = data.detail || String(reply.status);
          localStorage.setItem(ikey, JSON.stringify(proposals));
          showProposals();
        });
      }).catch(function () {});
    });
  }

  function codes(text) {
    return text.split(/[;,]/).map(function (c) { return c.trim(); }).filter(Boolean);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var f = form.elements;
    proposals[newId()] = { sent: false, error: "", body: {
      subject: form.getAttribute("data-subject"), topic: f.topic.value, request: f.request.value,
      requesting: codes(f.requesting.value), offering: codes(f.offering.value),
      offer: f.offer.value, contact: f.contact.value, status: "proposed"
    } };
    localStorage.setItem(ikey, JSON.stringify(proposals));
    form.reset();
    showProposals();
    sendProposals();
  });
  window.addEventListener("online", sendProposals);
  setInterval(sendProposals, 7000);
  showProposals();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/facilitate-sw.js", { scope: "/" }).catch(function () {});
  }
  all();
  fetchStored();
  send();
})();

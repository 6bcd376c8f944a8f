/* The plan pages: drag a participant to another table (move) or onto someone else (swap).
 * Drops post the same requests as the keyboard forms, through htmx, and the plan's body comes
 * back re-scored. Listeners sit on the document, so they survive every htmx swap. */
(function () {
  "use strict";

  let dragged = null;

  function seatOf(target) {
    return target && target.closest ? target.closest("[data-seat]") : null;
  }

  function cellOf(target) {
    return target && target.closest ? target.closest("[data-drop]") : null;
  }

  function clearMarks() {
    document.querySelectorAll(".drop-here").forEach((el) => el.classList.remove("drop-here"));
  }

  // The grid's cell where a participant was dropped or tapped: the page keeps it in place.
  let droppedOn = null;

  function send(url, values, cell) {
    const body = document.getElementById("plan-body");
    values.part = body ? body.dataset.part : "seating";
    droppedOn = '.seat-cell[data-round="' + CSS.escape(cell.dataset.round) + '"][data-table="' +
      CSS.escape(cell.dataset.table) + '"]';
    htmx.ajax("POST", url, { target: "#plan-body", swap: "outerHTML", values: values });
  }

  document.addEventListener("dragstart", (e) => {
    const seat = seatOf(e.target);
    if (!seat || seat.getAttribute("draggable") !== "true") return;
    dragged = seat;
    seat.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", seat.dataset.code);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearMarks();
  });

  document.addEventListener("dragover", (e) => {
    const cell = cellOf(e.target);
    if (!dragged || !cell || cell.dataset.round !== dragged.dataset.round) return;
    e.preventDefault(); // allows the drop
    e.dataTransfer.dropEffect = "move";
    clearMarks();
    const other = seatOf(e.target);
    (other && other !== dragged ? other : cell).classList.add("drop-here");
  });

  document.addEventListener("drop", (e) => {
    const cell = cellOf(e.target);
    const body = document.getElementById("plan-body");
    if (!dragged || !cell || !body || cell.dataset.round !== dragged.dataset.round) return;
    e.preventDefault();
    const other = seatOf(e.target);
    const round = dragged.dataset.round;
    if (other && other !== dragged) {
      if (other.dataset.table !== dragged.dataset.table) {
        send(body.dataset.swapUrl, { round: round, first: dragged.dataset.code, second: other.dataset.code }, cell);
      }
    } else if (cell.dataset.table !== dragged.dataset.table) {
      send(body.dataset.moveUrl, { round: round, participant: dragged.dataset.code, table: cell.dataset.table }, cell);
    }
    clearMarks();
  });

  // A change keeps the page where it was. What was acted on (the form, or the grid's cell) is
  // the anchor: after the new body is in place, the grid's box and the window scroll so that it
  // sits where it sat, whatever grew above it (the message, marks, pairs who meet again). The
  // message sticks to the top of the window and takes the focus, so keyboard and screen-reader
  // users hear what happened.
  const GRID = "#plan-body .plan-grid"; // the grid scrolls in its own box
  let place = null;

  function top(element) {
    return element ? element.getBoundingClientRect().top : 0;
  }

  document.addEventListener("htmx:beforeRequest", (e) => {
    const config = e.detail && e.detail.requestConfig;
    if (!config || config.verb !== "post" || !document.getElementById("plan-body")) {
      droppedOn = null;
      return;
    }
    const source = e.detail.elt;
    const anchor = droppedOn || (source && source.id ? "#" + CSS.escape(source.id) : null);
    droppedOn = null;
    const element = anchor ? document.querySelector(anchor) : null;
    const grid = document.querySelector(GRID);
    place = {
      anchor: element ? anchor : null,
      at: top(element),
      inGrid: element && grid ? top(element) - top(grid) : null,
      x: window.scrollX,
      y: window.scrollY,
      grid: grid ? [grid.scrollLeft, grid.scrollTop] : null,
    };
  });

  document.addEventListener("htmx:afterSettle", (e) => {
    const config = e.detail && e.detail.requestConfig;
    if (!config || config.verb !== "post") return;
    const message = document.getElementById("plan-message");
    if (message) message.focus({ preventScroll: true });
    if (!place) return;
    const grid = document.querySelector(GRID);
    if (grid && place.grid) [grid.scrollLeft, grid.scrollTop] = place.grid;
    window.scrollTo(place.x, place.y);
    const element = place.anchor ? document.querySelector(place.anchor) : null;
    if (element) {
      if (grid && place.inGrid !== null && grid.contains(element)) {
        grid.scrollTop += top(element) - top(grid) - place.inGrid;
      }
      window.scrollBy(0, top(element) - place.at);
    }
    place = null;
  });

  document.addEventListener("click", (e) => {
    if (e.target && e.target.closest && e.target.closest("[data-print]")) window.print();
  });

  // Tap to move, for touch screens (no drag and drop there): with "Tap to move" on, tap a
  // participant, then a participant at another table of the same round (a swap) or an empty
  // spot of another table (a move); tap the first one again to let go.
  let tapMode = false;
  let picked = null;

  function letGo() {
    if (picked) picked.classList.remove("dragging");
    picked = null;
  }

  function applyTapMode() {
    document.querySelectorAll(".plan-grid").forEach((grid) => grid.classList.toggle("tap-mode", tapMode));
    document.querySelectorAll("[data-tap-mode]").forEach((button) => {
      button.setAttribute("aria-pressed", String(tapMode));
    });
  }

  function pick(seat) {
    if (seat && seat.getAttribute("draggable") === "true") {
      picked = seat;
      seat.classList.add("dragging");
    }
  }

  document.addEventListener("click", (e) => {
    const toggle = e.target && e.target.closest && e.target.closest("[data-tap-mode]");
    if (toggle) {
      tapMode = !tapMode;
      letGo();
      applyTapMode();
      return;
    }
    if (!tapMode) return;
    const seat = seatOf(e.target);
    const cell = cellOf(e.target);
    if (!seat && !cell) return;
    e.preventDefault(); // a tap picks, it does not open the itinerary
    if (!picked) { pick(seat); return; }
    if (seat === picked) { letGo(); return; }
    const body = document.getElementById("plan-body");
    const round = picked.dataset.round;
    if (!body || !cell || cell.dataset.round !== round) { letGo(); pick(seat); return; }
    if (seat && seat.dataset.table !== picked.dataset.table) {
      send(body.dataset.swapUrl, { round: round, first: picked.dataset.code, second: seat.dataset.code }, cell);
    } else if (!seat && cell.dataset.table !== picked.dataset.table) {
      send(body.dataset.moveUrl, { round: round, participant: picked.dataset.code, table: cell.dataset.table }, cell);
    }
    letGo();
  });
  document.addEventListener("htmx:afterSwap", applyTapMode);

  // Find a participant's path: their seat is marked in every round (name or code, without
  // capitals or accents); the mark stays after an edit.
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function applyFind() {
    const input = document.querySelector("[data-grid-find]");
    const wanted = input ? fold(input.value) : "";
    let found = 0;
    document.querySelectorAll(".plan-grid [data-seat]").forEach((seat) => {
      const link = seat.querySelector("a");
      const name = link ? link.getAttribute("title") || "" : "";
      const hit = wanted !== "" && (fold(seat.dataset.code) === wanted || fold(name).indexOf(wanted) >= 0);
      seat.classList.toggle("found", hit);
      if (hit) found += 1;
    });
    document.querySelectorAll(".grid-find").forEach((p) => { p.hidden = false; });
    return found;
  }
  let kept = "";
  document.addEventListener("input", (e) => {
    if (e.target && e.target.matches && e.target.matches("[data-grid-find]")) {
      kept = e.target.value;
      applyFind();
    }
  });
  document.addEventListener("htmx:afterSwap", () => {
    const input = document.querySelector("[data-grid-find]");
    if (input && kept) input.value = kept;
    applyFind();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", applyFind);
  else applyFind();

  // Names or codes in the seating grid: the choice is kept on this device, and applied again
  // when htmx puts a new grid in place after an edit.
  const LABELS = "ronda-grid-labels";
  function applyLabels() {
    const codes = localStorage.getItem(LABELS) === "codes";
    document.querySelectorAll(".plan-grid").forEach((grid) => grid.classList.toggle("show-codes", codes));
    document.querySelectorAll("[data-grid-labels]").forEach((button) => {
      button.setAttribute("aria-pressed", String((button.dataset.gridLabels === "codes") === codes));
    });
    document.querySelectorAll(".grid-labels").forEach((p) => { p.hidden = false; });
  }
  document.addEventListener("click", (e) => {
    const button = e.target && e.target.closest && e.target.closest("[data-grid-labels]");
    if (!button) return;
    localStorage.setItem(LABELS, button.dataset.gridLabels);
    applyLabels();
  });
  document.addEventListener("htmx:afterSwap", applyLabels);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", applyLabels);
  else applyLabels();
})();

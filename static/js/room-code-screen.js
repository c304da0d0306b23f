// The room's screen (desk/attendance_screen.html): keeps the rotating room
// code current by asking the status URL when it changes, and at least every
// 15 seconds for the count of people present. Without this script the page
// names the time the code changes and links to itself.
(function () {
  "use strict";
  var screen = document.getElementById("room-screen");
  if (!screen || !window.fetch) {
    return;
  }
  var statusUrl = screen.getAttribute("data-status-url");
  var openBox = document.getElementById("room-screen-open");
  var message = document.getElementById("room-screen-message");
  var code = document.getElementById("room-code");
  var qr = document.getElementById("room-code-qr");
  var changesAt = document.getElementById("room-code-changes-at");
  var present = document.getElementById("room-screen-present");
  var timer = null;

  function show(state) {
    openBox.hidden = !state.open;
    message.hidden = state.open;
    message.textContent = state.message || "";
    present.textContent = String(state.present);
    if (state.open) {
      if (code.textContent !== state.code) {
        code.textContent = state.code;
        // The server's own SVG, drawn by segno: no markup from anyone else.
        qr.innerHTML = state.qr;
      }
      changesAt.textContent = state.changes_at;
    }
  }

  function schedule(state) {
    var wait = 15;
    if (state && state.open && typeof state.seconds_left === "number") {
      wait = Math.min(wait, state.seconds_left + 1);
    }
    clearTimeout(timer);
    timer = setTimeout(poll, Math.max(wait, 1) * 1000);
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        schedule(state);
      })
      .catch(function () {
        schedule(null); // offline for a moment: the code on screen stays until the next try
      });
  }

  var refresh = document.getElementById("room-code-refresh");
  if (refresh) {
    refresh.addEventListener("click", function (event) {
      event.preventDefault();
      poll();
    });
  }
  poll();
})();

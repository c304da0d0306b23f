// Progressive enhancement of the progress pages (a programme or list being
// typeset, a desk document, a message being sent): asks the page's status URL
// how far the work is, at growing intervals, and says so in the page's live
// region and <progress>. When the file is ready it opens it (or links to it).
// Without JavaScript the page's "Check again" link does the same by hand.
(function () {
  "use strict";
  var FINISHED = ["ready", "done", "failed"];
  var FIRST_DELAY = 1000;
  var LONGEST_DELAY = 10000;

  function watch(box) {
    var url = box.getAttribute("data-progress-status");
    var region = box.querySelector("[data-progress-text]");
    var bar = box.querySelector("progress");
    var navigate = box.hasAttribute("data-progress-navigate");
    var said = region ? region.textContent.trim() : "";
    var delay = FIRST_DELAY;

    function show(status) {
      if (bar) {
        if (typeof status.total === "number" && status.total > 0 && typeof status.done === "number") {
          bar.max = status.total;
          bar.value = Math.min(status.done, status.total);
          bar.textContent = status.done + " of " + status.total;
        }
        if (FINISHED.indexOf(status.state) !== -1) bar.hidden = true;
      }
      var text = status.text || "";
      // Only a change is written: a live region re-announces what it is given.
      if (region && text && text !== said) {
        said = text;
        region.textContent = text + (status.url ? " " : "");
        if (status.url) {
          var link = document.createElement("a");
          link.href = status.url;
          link.textContent = status.url_label || "Open it";
          if (status.state === "ready") link.className = "button";
          region.appendChild(link);
        }
      }
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.status >= 400 && response.status < 500) throw new Error("stop");
          if (!response.ok) throw new Error("retry");
          return response.json();
        })
        .then(function (status) {
          show(status);
          if (FINISHED.indexOf(status.state) !== -1) {
            if (status.state === "ready" && status.url && navigate) window.location.assign(status.url);
            return;
          }
          later();
        })
        .catch(function (error) {
          // Refused (signed out, no longer allowed): the "Check again" link stays.
          if (error && error.message !== "stop") later();
        });
    }

    function later() {
      window.setTimeout(poll, delay);
      delay = Math.min(Math.round(delay * 1.5), LONGEST_DELAY);
    }

    later();
  }

  if (!window.fetch) return;
  var boxes = document.querySelectorAll("[data-progress-status]");
  for (var i = 0; i < boxes.length; i++) watch(boxes[i]);
})();

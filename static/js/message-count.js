// Progressive enhancement of the compose form on the desk's Messages page: the
// number of recipients follows the filters as they change (the count URL
// answers {count}), in the live region and on the Send button, and the count
// the organiser saw goes with the form, so the server refuses to send to a
// different number. Without JavaScript the Preview button shows the count.
(function () {
  "use strict";
  var form = document.getElementById("message-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var url = form.getAttribute("data-count-url");
  var region = document.getElementById("recipient-count");
  var send = form.querySelector("[data-send-button]");
  var expected = form.querySelector("input[name=expected]");
  var FILTERS = ["status", "type", "economy", "to"];
  var timer = null;
  var asked = 0;

  function people(count) {
    return count + (count === 1 ? " person" : " people");
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (FILTERS.indexOf(name) !== -1) params.append(name, value);
    });
    return params.toString();
  }

  function update() {
    var mine = ++asked;
    fetch(url + "?" + query(), { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (answer) {
        if (mine !== asked) return; // a later change was asked about meanwhile
        if (!answer.ok || typeof answer.body.count !== "number") {
          region.textContent = answer.body.error || "";
          expected.value = "";
          send.textContent = "Send message";
          return;
        }
        var count = answer.body.count;
        region.textContent = "These choices select " + people(count) + ".";
        expected.value = String(count);
        send.textContent = "Send to " + people(count);
        send.disabled = count === 0;
      })
      .catch(function () {
        /* the Preview button still tells */
      });
  }

  form.addEventListener("change", function (event) {
    if (!event.target || FILTERS.indexOf(event.target.name) === -1) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 250);
  });
})();

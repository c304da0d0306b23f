// Stars on the agenda, in place: each star is a button of the page's one
// star form (form="star-form", its own formaction). Without this script the
// form posts and the server redirects back to the session; with it the post
// is a fetch and the button's aria-pressed (and so its icon) changes here.
(function () {
  var form = document.getElementById("star-form");
  if (!form || form.method.toLowerCase() !== "post" || !window.fetch) return;
  var tokenField = form.querySelector("input[name=csrfmiddlewaretoken]");
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  form.parentNode.insertBefore(live, form);

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.star[data-uid]") : null;
    if (!button || button.disabled) return;
    event.preventDefault();
    var wantOn = button.getAttribute("aria-pressed") !== "true";
    var body = new FormData();
    body.append("star", wantOn ? "on" : "off");
    if (tokenField) body.append("csrfmiddlewaretoken", tokenField.value);
    button.disabled = true;
    fetch(button.getAttribute("formaction"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": tokenField ? tokenField.value : "" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        button.setAttribute("aria-pressed", answer.starred ? "true" : "false");
        button.value = answer.starred ? "off" : "on";
        var title = button.querySelector(".visually-hidden");
        var name = title ? title.textContent.replace(/^On my agenda: /, "") : "The session";
        live.textContent = answer.starred ? name + " is on your agenda." : name + " is off your agenda.";
      })
      .catch(function () {
        // Fall back to the plain form post, which always works.
        button.disabled = false;
        form.action = button.getAttribute("formaction");
        var state = document.createElement("input");
        state.type = "hidden";
        state.name = "star";
        state.value = wantOn ? "on" : "off";
        form.appendChild(state);
        form.submit();
      })
      .finally(function () {
        button.disabled = false;
      });
  });
})();

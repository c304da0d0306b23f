// Progressive enhancement: offers the reader's own zone, which only the browser knows.
(function () {
  var button = document.getElementById("use-my-zone");
  if (!button || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  button.value = zone;
  button.textContent = "Use my time zone (" + zone + ")";
  button.hidden = false;
})();

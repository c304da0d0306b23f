// Progressive enhancement: a copy button where the Clipboard API exists; the field stays selectable without it.
(function () {
  var button = document.getElementById("copy-feed");
  if (!button || !navigator.clipboard) return;
  var field = document.querySelector(button.dataset.copy);
  var status = document.getElementById("copy-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    // Said at once: the Clipboard API can take a moment to answer.
    status.textContent = "Copying…";
    navigator.clipboard.writeText(field.value).then(function () {
      status.textContent = "Copied.";
    }, function () {
      field.select();
      status.textContent = "Press Ctrl+C (⌘C) to copy.";
    });
  });
})();

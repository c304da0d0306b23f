// "Select all on this page" for a list of checkboxes: shown only where scripts run
// (without them every row's own checkbox still works). Reflects a partial choice.
(function () {
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    var name = box.dataset.selectAll;
    var form = box.form;
    if (!form) return;
    var rows = function () {
      return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + name + '"]'));
    };
    var wrapper = box.closest("[hidden]");
    if (wrapper) wrapper.hidden = false;
    box.addEventListener("change", function () {
      rows().forEach(function (row) { row.checked = box.checked; });
      box.indeterminate = false;
    });
    form.addEventListener("change", function (event) {
      if (event.target.name !== name) return;
      var list = rows();
      var ticked = list.filter(function (row) { return row.checked; }).length;
      box.checked = ticked > 0 && ticked === list.length;
      box.indeterminate = ticked > 0 && ticked < list.length;
    });
  });
})();

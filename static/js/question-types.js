// The register form's own questions asked of some participation types only:
// shown only while one of those types is chosen. Without scripts every
// question shows, its label saying whom it is for, and the server asks only
// the chosen type's questions.
(function () {
  var fields = document.querySelectorAll("[data-question-for]");
  if (!fields.length) return;
  var form = fields[0].form;
  var chosen = function () {
    var checked = form.querySelector('input[name="participation_type"]:checked');
    return checked ? checked.value : null;
  };
  var update = function () {
    var type = chosen();
    fields.forEach(function (input) {
      var group = input.closest(".field");
      if (!group) return;
      // No type chosen yet: everything shows, as without scripts.
      group.hidden = type !== null && input.dataset.questionFor.split(" ").indexOf(type) === -1;
    });
  };
  form.addEventListener("change", function (event) {
    if (event.target.name === "participation_type") update();
  });
  update();
})();

// Ask for confirmation before leaving a page whose form has unsaved changes.
// Forms opt in with the data-warn-unsaved attribute; data-dirty marks content not yet saved
// (restored after a login, or refused by validation).
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-warn-unsaved]");
  if (!forms.length) return;
  var dirty = false;
  forms.forEach(function (form) {
    if (form.hasAttribute("data-dirty")) dirty = true;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();

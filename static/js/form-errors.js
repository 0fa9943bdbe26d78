// A refused form: the alert listing its errors (templates/includes/form_errors.html) takes the
// focus, so that a screen reader says it and the page shows it; its links focus their field.
// A refusal that is no form's (templates/includes/messages.html) takes it when no form's does.
(function () {
  "use strict";
  var alert = document.querySelector("[data-form-errors]");
  if (!alert) {
    var refusal = document.querySelector("[data-refusal]");
    if (refusal) {
      refusal.focus();
    }
    return;
  }
  alert.focus();
  alert.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    // A field inside a closed DSFR accordion or tab: open it first.
    var collapse = field.closest(".fr-collapse:not(.fr-collapse--expanded)");
    if (collapse && window.dsfr) {
      window.dsfr(collapse).collapse.disclose();
    }
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();

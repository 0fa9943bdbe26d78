// An accordion whose button is marked data-aps-open-wide starts open on a large screen (DSFR's
// "lg", 62em) and closed on a phone. Run before DSFR starts (a classic script runs before its
// module), which then reads the button's aria-expanded: no flash of the other state.
(function () {
  "use strict";
  if (!window.matchMedia("(min-width: 62em)").matches) {
    return;
  }
  document.querySelectorAll("[data-aps-open-wide]").forEach(function (button) {
    button.setAttribute("aria-expanded", "true");
  });
})();

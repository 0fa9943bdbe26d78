// A table wider than its container scrolls sideways inside it (DSFR tables, on a phone): the
// container then takes the keyboard focus, so that it scrolls without a mouse, and is a region
// named by the table's caption (RGAA 7.3; axe: scrollable-region-focusable). A container that
// does not scroll stays out of the tab order.
(function () {
  "use strict";
  var counter = 0;

  function mark() {
    document.querySelectorAll(".fr-table__container").forEach(function (container) {
      var caption = container.querySelector("caption");
      if (container.scrollWidth > container.clientWidth + 1) {
        container.tabIndex = 0;
        if (caption) {
          if (!caption.id) {
            counter += 1;
            caption.id = "aps-table-caption-" + counter;
          }
          container.setAttribute("role", "region");
          container.setAttribute("aria-labelledby", caption.id);
        }
      } else if (container.hasAttribute("tabindex")) {
        container.removeAttribute("tabindex");
        container.removeAttribute("role");
        container.removeAttribute("aria-labelledby");
      }
    });
  }

  mark();
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();

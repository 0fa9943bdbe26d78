// The commission's page: "Proposé" and "Reste après propositions" follow the amounts typed in
// the agenda, before they are saved. The server stays the authority (it checks and records
// the proposals, and renders both columns itself: without JavaScript the page says the same
// once saved). Amounts are read the French way ("1 200,50", "12,5 h", "300 €") and counted in
// whole hundredths, as the server does, never as floats.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("[data-aps-proposal]");
  if (!inputs.length) {
    return;
  }

  function hundredths(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f]/g, "").replace(/(€|h|HSE|IMP)$/i, "");
    if (!/^\d+([.,]\d{0,2})?$/.test(cleaned)) {
      return cleaned === "" ? 0 : null;
    }
    var parts = cleaned.replace(",", ".").split(".");
    var cents = (parts[1] || "").padEnd(2, "0");
    return parseInt(parts[0], 10) * 100 + parseInt(cents, 10);
  }

  function shown(value, kind) {
    var negative = value < 0;
    var whole = Math.floor(Math.abs(value) / 100);
    var cents = Math.abs(value) % 100;
    var text = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    if (kind === "euros") {
      text += "," + String(cents).padStart(2, "0") + "\u00a0€";
    } else if (cents) {
      text += "," + String(cents).padStart(2, "0").replace(/0$/, "");
    }
    return (negative ? "-" : "") + text;
  }

  function update() {
    var totals = { euros: 0, hse: 0, imp: 0 };
    var unreadable = false;
    inputs.forEach(function (input) {
      var value = hundredths(input.value);
      if (value === null) {
        unreadable = true;
      } else {
        totals[input.dataset.apsProposal] += value;
      }
    });
    Object.keys(totals).forEach(function (kind) {
      var proposed = document.querySelector('[data-aps-proposed="' + kind + '"]');
      var after = document.querySelector('[data-aps-after="' + kind + '"]');
      if (proposed) {
        proposed.textContent = shown(totals[kind], kind);
      }
      if (after && after.dataset.remaining !== "") {
        var rest = hundredths(after.dataset.remaining.replace("-", "")) * (after.dataset.remaining[0] === "-" ? -1 : 1) - totals[kind];
        after.textContent = shown(rest, kind) + (rest < 0 ? " (dépassement)" : "");
        after.classList.toggle("fr-text-default--error", rest < 0);
      }
    });
    var note = document.getElementById("proposals-typed");
    if (note) {
      note.textContent = unreadable
        ? "Un montant saisi n'est pas un nombre : il n'est pas compté."
        : "Montants recalculés pendant la saisie : enregistrez les propositions pour les conserver.";
    }
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", update);
  });
})();

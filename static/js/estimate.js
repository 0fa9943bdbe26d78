// The estimate edited in place (templates/funding/estimate.html): lines added and removed
// without a round trip, each line's result and the totals computed as one types.
//
// The rules are the server's (funding/estimate.py), in whole hundredths so that no float
// rounding creeps in: hours = weeks × hours per week × speakers; HSE = hours ÷ the hours per
// HSE of that kind of hour, rounded half up to the hundredth; ≈ euros = HSE × the HSE rate;
// an IMP line = its part × the annual base; totals are sums of the rounded lines. Numbers are
// read as aps/numbers.py reads them ("1 800,50 €") and written as it writes them ("1 800,50 €").
// The server stays the authority: these figures are shown, the saved ones are its own.
(function () {
  "use strict";

  var NBSP = "\u00a0";
  var SPACE = /[ \u00a0\u202f\u2007\u2009]/;
  var SPACES = /[ \u00a0\u202f\u2007\u2009]/g;
  var NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/;
  var GROUPED = /^[+-]?\d{1,3}([ \u00a0\u202f\u2007\u2009]\d{3})+([.,]\d+)?$/;

  // The hundredths of what a French user typed, or null: not a number, or more than two
  // decimals (the server refuses both).
  function hundredths(text) {
    var typed = String(text == null ? "" : text).trim();
    var last = typed.slice(-1);
    if (last === "€" || last === "h" || last === "H") typed = typed.slice(0, -1).trim();
    if (!typed) return null;
    if (SPACE.test(typed) && !GROUPED.test(typed)) return null;
    typed = typed.replace(SPACES, "");
    if (!NUMBER.test(typed)) return null;
    var parts = typed.replace(",", ".").split(".");
    var decimals = parts[1] || "";
    if (decimals.length > 2) return null;
    var whole = parts[0] === "" || parts[0] === "+" || parts[0] === "-" ? parts[0] + "0" : parts[0];
    var sign = whole.charAt(0) === "-" ? -1 : 1;
    var value = Math.abs(parseInt(whole, 10)) * 100 + parseInt((decimals + "00").slice(0, 2), 10);
    return Number.isSafeInteger(value) ? sign * value : null;
  }

  // a ÷ b rounded half up, for a ≥ 0 and b > 0 (integers).
  function divide(a, b) {
    return Math.floor((2 * a + b) / (2 * b));
  }

  function within(value, low, high, whole) {
    return value !== null && value >= low && value <= high && (!whole || value % 100 === 0);
  }

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  }

  // Hundredths written the French way, with both decimals ("1 800,00") or only those needed
  // ("72", "0,5", "1,88").
  function french(value, both) {
    var whole = group(String(Math.floor(value / 100)));
    var cents = String(value % 100).padStart(2, "0");
    if (!both) cents = cents.replace(/0+$/, "");
    return cents ? whole + "," + cents : whole;
  }

  function euros(value) {
    return french(value, true) + NBSP + "€";
  }

  function quantity(value, unit) {
    return french(value, false) + NBSP + unit;
  }

  // The figures of an HSE line (hundredths), or null while it is not a valid line.
  function hseFigures(values, rates) {
    var weeks = hundredths(values.weeks);
    var perWeek = hundredths(values.hours_per_week);
    var speakers = hundredths(values.speakers);
    if (
      !within(weeks, 100, 5200, true) ||
      !within(perWeek, 25, 6000, false) ||
      !within(speakers, 100, 5000, true) ||
      (values.hour_kind !== "face" && values.hour_kind !== "peripherique")
    ) {
      return null;
    }
    var hours = (weeks / 100) * perWeek * (speakers / 100);
    var perHse = values.hour_kind === "face" ? rates.face : rates.peripheral;
    var hse = divide(hours * 100, perHse);
    return { hours: hours, hse: hse, euros: divide(hse * rates.hseRate, 100) };
  }

  function impEuros(fraction, rates) {
    var part = hundredths(fraction);
    return part === null || part <= 0 ? null : divide(part * rates.impBase, 100);
  }

  function euroAmount(amount) {
    var value = hundredths(amount);
    return within(value, 1, 100000000, false) ? value : null;
  }

  // For the browser tests, which compare these rules with the server's over many cases.
  window.apsEstimate = { hseFigures: hseFigures, impEuros: impEuros, euroAmount: euroAmount };

  var form = document.querySelector("form[data-estimate]");
  if (!form) return;
  var rates = {
    face: hundredths(form.dataset.faceHoursPerHse),
    peripheral: hundredths(form.dataset.peripheralHoursPerHse),
    hseRate: hundredths(form.dataset.hseEuroRate),
    impBase: hundredths(form.dataset.impAnnualBase),
  };
  var maxLines = parseInt(form.dataset.maxLines, 10);
  var state = document.querySelector("[data-totals-state]");

  function valuesOf(row) {
    var values = {};
    row.querySelectorAll("[data-field]").forEach(function (cell) {
      var control = cell.querySelector("input, select, textarea");
      if (control) values[cell.dataset.field] = control.value;
    });
    return values;
  }

  function isBlank(values, prefilled) {
    return Object.keys(values).every(function (name) {
      return prefilled.indexOf(name) >= 0 || String(values[name]).trim() === "";
    });
  }

  function liveRows(prefix) {
    var table = form.querySelector('[data-lines="' + prefix + '"]');
    return Array.prototype.filter.call(table.querySelectorAll("tbody tr[data-line]"), function (row) {
      return !row.hidden;
    });
  }

  function show(row, text) {
    var output = row.querySelector("[data-result]");
    if (output) output.textContent = text;
  }

  function setTotal(name, text) {
    var element = document.querySelector('#estimate-totals [data-total="' + name + '"]');
    if (element) element.textContent = text;
  }

  // Each line's result and the totals, from what the rows hold now.
  function compute() {
    var totals = { hours: 0, hse: 0, hseEuros: 0, imp: 0, impEuros: 0, euros: 0 };
    var pending = 0;
    liveRows("hse").forEach(function (row) {
      var values = valuesOf(row);
      var figures = hseFigures(values, rates);
      if (figures) {
        totals.hours += figures.hours;
        totals.hse += figures.hse;
        totals.hseEuros += figures.euros;
        show(row, quantity(figures.hours, "h") + " · " + quantity(figures.hse, "HSE") + " · ≈" + NBSP + euros(figures.euros));
      } else {
        if (!isBlank(values, ["speakers"])) pending += 1;
        show(row, "—");
      }
    });
    liveRows("imp").forEach(function (row) {
      var values = valuesOf(row);
      var amount = impEuros(values.fraction, rates);
      if (amount !== null) {
        totals.imp += hundredths(values.fraction);
        totals.impEuros += amount;
        show(row, euros(amount));
      } else {
        if (!isBlank(values, [])) pending += 1;
        show(row, "—");
      }
    });
    liveRows("euro").forEach(function (row) {
      var values = valuesOf(row);
      var amount = euroAmount(values.amount);
      if (amount !== null) {
        totals.euros += amount;
      } else if (!isBlank(values, [])) {
        pending += 1;
      }
    });
    setTotal("euros", euros(totals.euros));
    setTotal("hse", quantity(totals.hse, "HSE"));
    setTotal("hours", quantity(totals.hours, "h"));
    setTotal("hse_euros", euros(totals.hseEuros));
    setTotal("imp", quantity(totals.imp, "IMP"));
    setTotal("imp_euros", euros(totals.impEuros));
    setTotal("overall", euros(totals.euros + totals.hseEuros + totals.impEuros));
    return pending;
  }

  function update() {
    var pending = compute();
    if (!state) return;
    var text = "Totaux recalculés pendant la saisie : enregistrez l'estimation pour les conserver.";
    if (pending) {
      text += " " + pending + (pending > 1 ? " lignes incomplètes ne sont pas comptées." : " ligne incomplète n'est pas comptée.");
    }
    state.textContent = text;
  }

  function lineCount() {
    return form.querySelectorAll("tbody tr[data-line]:not([hidden])").length;
  }

  function refreshAddButtons() {
    var full = lineCount() >= maxLines;
    form.querySelectorAll("[data-add-line]").forEach(function (button) {
      button.disabled = full;
      button.title = full ? "L'estimation compte déjà " + maxLines + " lignes." : "";
    });
  }

  function remove(row) {
    var box = row.querySelector("[data-delete-box] input[type=checkbox]");
    box.checked = true;
    row.hidden = true;
    var table = row.closest("[data-lines]");
    var next = row.nextElementSibling;
    while (next && next.hidden) next = next.nextElementSibling;
    var target = next ? next.querySelector("input, select") : table.querySelector("[data-add-line]");
    target.focus();
    refreshAddButtons();
    changed();
    if (state) {
      var number = row.querySelector(".aps-lines__number").textContent.replace(/\D/g, "");
      state.textContent = "Ligne " + number + " supprimée. " + state.textContent;
    }
  }

  // A line added or removed is a change like a value typed: the totals follow, and leaving
  // the page asks first (static/js/unsaved-changes.js listens to the form's changes).
  function changed() {
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function enhance(row) {
    var box = row.querySelector("[data-delete-box]");
    var button = row.querySelector("[data-remove-line]");
    box.hidden = true;
    button.hidden = false;
    button.addEventListener("click", function () { remove(row); });
    // A row the server sent back marked for deletion (a refused save) stays removed.
    if (box.querySelector("input").checked) row.hidden = true;
  }

  form.querySelectorAll("[data-lines]").forEach(function (table) {
    var prefix = table.dataset.lines;
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = table.querySelector("template");
    var tbody = table.querySelector("tbody");
    var add = table.querySelector("[data-add-line]");
    tbody.querySelectorAll("tr[data-line]").forEach(enhance);
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      tbody.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var row = tbody.lastElementChild;
      enhance(row);
      row.querySelector("input, select").focus();
      refreshAddButtons();
      changed();
    });
  });
  form.querySelectorAll("[data-without-script]").forEach(function (element) { element.hidden = true; });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  refreshAddButtons();
  // A refused save comes back with what was typed: its totals, and what they leave out, said.
  if (form.hasAttribute("data-dirty")) update();
  else compute();
})();

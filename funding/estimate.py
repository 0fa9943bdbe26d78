"""Computing the means of a cost estimate. Pure functions on Decimals, one rule each:

- HSE: hours = weeks × hours per week × speakers; HSE = hours ÷ the campaign's hours per HSE
  for that kind of hour (face-à-face 1, périphérique 2), rounded to the cent of an HSE;
- euro equivalent of HSE: HSE × the campaign's HSE rate, rounded to the cent;
- IMP: fraction × the campaign's annual base, rounded to the cent;
- totals are the sums of the lines' rounded values (as the exported workbook computes them).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse

from projects.checklist import MissingItem
from projects.sections import section

CENT = Decimal("0.01")
ZERO = Decimal("0")
# The checklist lists what the estimate lacks with the means requested.
MEANS_SECTION = section("means").key


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def hse_hours(weeks, hours_per_week, speakers) -> Decimal:
    return cents(Decimal(weeks) * Decimal(hours_per_week) * Decimal(speakers))


def hse_count(hours: Decimal, hour_kind: str, rates) -> Decimal:
    per_hse = (
        rates.face_to_face_hours_per_hse if hour_kind == "face" else rates.peripheral_hours_per_hse
    )
    return cents(hours / per_hse)


def hse_euros(hse: Decimal, rates) -> Decimal:
    return cents(hse * rates.hse_euro_rate)


def imp_euros(fraction: Decimal, rates) -> Decimal:
    return cents(Decimal(fraction) * rates.imp_annual_base)


@dataclass(frozen=True)
class HseFigures:
    hours: Decimal
    hse: Decimal
    euros: Decimal


def hse_figures(line, rates) -> HseFigures:
    """``line`` has weeks, hours_per_week, speakers, hour_kind (a model or a dict-like)."""
    get = line.get if isinstance(line, dict) else lambda name: getattr(line, name)
    hours = hse_hours(get("weeks"), get("hours_per_week"), get("speakers"))
    hse = hse_count(hours, get("hour_kind"), rates)
    return HseFigures(hours=hours, hse=hse, euros=hse_euros(hse, rates))


@dataclass(frozen=True)
class Totals:
    hours: Decimal = ZERO
    hse: Decimal = ZERO
    hse_euros: Decimal = ZERO
    imp: Decimal = ZERO
    imp_euros: Decimal = ZERO
    euros: Decimal = ZERO

    @property
    def overall_euros(self) -> Decimal:
        return self.euros + self.hse_euros + self.imp_euros


def stored_totals(totals: Totals) -> dict:
    """The Estimate fields that store these totals."""
    return {
        "total_hours": totals.hours,
        "total_hse": totals.hse,
        "hse_euros": totals.hse_euros,
        "total_imp": totals.imp,
        "imp_euros": totals.imp_euros,
        "total_euros": totals.euros,
    }


def compute_totals(hse_lines, imp_lines, euro_lines, rates) -> Totals:
    figures = [hse_figures(line, rates) for line in hse_lines]

    def value(line, name):
        return line[name] if isinstance(line, dict) else getattr(line, name)

    fractions = [Decimal(value(line, "fraction")) for line in imp_lines]
    return Totals(
        hours=sum((f.hours for f in figures), ZERO),
        hse=sum((f.hse for f in figures), ZERO),
        hse_euros=sum((f.euros for f in figures), ZERO),
        imp=sum(fractions, ZERO),
        imp_euros=sum((imp_euros(f, rates) for f in fractions), ZERO),
        euros=sum((Decimal(value(line, "amount")) for line in euro_lines), ZERO),
    )


def estimate_checklist(sheet) -> list[MissingItem]:
    """What the estimate lacks for submission (registered in the sheet's checklist)."""
    url = reverse("funding:estimate", kwargs={"pk": sheet.pk})
    estimate = getattr(sheet, "estimate", None) if sheet.pk else None
    if estimate is None or not (
        estimate.hse_lines.exists() or estimate.imp_lines.exists() or estimate.euro_lines.exists()
    ):
        return [
            MissingItem(MEANS_SECTION, "l'estimation du coût (au moins une ligne)", "estimate", url)
        ]
    missing = [
        MissingItem(
            MEANS_SECTION, f"le devis de la ligne « {line.label} »", f"euro-{line.position}", url
        )
        for line in estimate.euro_lines.filter(quote__isnull=True)
    ]
    missing += [
        MissingItem(
            MEANS_SECTION,
            f"le bénéficiaire de l'IMP n° {line.position}",
            f"imp-{line.position}",
            url,
        )
        for line in estimate.imp_lines.filter(beneficiary="")
    ]
    return missing

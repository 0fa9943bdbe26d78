from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funding.estimate import compute_totals, hse_figures
from funding.models import Rates

D = Decimal
RATES = Rates(
    face_to_face_hours_per_hse=D("1"),
    peripheral_hours_per_hse=D("2"),
    hse_euro_rate=D("40.00"),
    imp_annual_base=D("1250.00"),
    imp_fractions=["0.25", "0.5", "1", "2", "3"],
)


def hse(weeks, hours, speakers=1, kind="face"):
    return {"weeks": weeks, "hours_per_week": D(hours), "speakers": speakers, "hour_kind": kind}


def test_face_to_face_hour_is_one_hse():
    figures = hse_figures(hse(10, "2", 3), RATES)
    assert (figures.hours, figures.hse, figures.euros) == (D("60.00"), D("60.00"), D("2400.00"))


def test_two_peripheral_hours_make_one_hse_and_half_hse_is_kept():
    figures = hse_figures(hse(3, "1", 1, "peripherique"), RATES)
    assert (figures.hours, figures.hse, figures.euros) == (D("3.00"), D("1.50"), D("60.00"))


def test_weeks_times_hours_times_speakers():
    assert hse_figures(hse(24, "1.5", 2), RATES).hours == D("72.00")


def test_ratios_are_the_campaign_settings_not_constants():
    rates = Rates(
        face_to_face_hours_per_hse=D("1"),
        peripheral_hours_per_hse=D("3"),
        hse_euro_rate=D("31.50"),
        imp_annual_base=D("1250"),
    )
    figures = hse_figures(hse(3, "2", 1, "peripherique"), rates)
    assert (figures.hse, figures.euros) == (D("2.00"), D("63.00"))


def test_imp_split_between_beneficiaries():
    imp = [{"fraction": D("0.25")}, {"fraction": D("0.25")}, {"fraction": D("0.5")}]
    totals = compute_totals([], imp, [], RATES)
    assert (totals.imp, totals.imp_euros) == (D("1.00"), D("1250.00"))
    assert compute_totals([], [{"fraction": D("0.25")}], [], RATES).imp_euros == D("312.50")


def test_euro_total_and_overall_equivalent():
    totals = compute_totals(
        [hse(10, "1")],
        [{"fraction": D("0.5")}],
        [{"amount": D("420.50")}, {"amount": D("1800.00")}],
        RATES,
    )
    assert totals.euros == D("2220.50")
    assert totals.overall_euros == D("2220.50") + D("400.00") + D("625.00")


hse_lines = st.lists(
    st.fixed_dictionaries(
        {
            "weeks": st.integers(1, 52),
            "hours_per_week": st.decimals(D("0.25"), D("60"), places=2),
            "speakers": st.integers(1, 50),
            "hour_kind": st.sampled_from(["face", "peripherique"]),
        }
    ),
    max_size=20,
)
imp_lines = st.lists(
    st.fixed_dictionaries(
        {"fraction": st.sampled_from([D("0.25"), D("0.5"), D("1"), D("2"), D("3")])}
    ),
    max_size=10,
)
euro_lines = st.lists(
    st.fixed_dictionaries({"amount": st.decimals(D("0.01"), D("1000000"), places=2)}),
    max_size=10,
)


@settings(max_examples=200, deadline=None)
@given(hse_lines, imp_lines, euro_lines)
def test_totals_are_the_sums_of_the_lines(hse_rows, imp_rows, euro_rows):
    totals = compute_totals(hse_rows, imp_rows, euro_rows, RATES)
    figures = [hse_figures(line, RATES) for line in hse_rows]
    assert totals.hours == sum((f.hours for f in figures), D(0))
    assert totals.hse == sum((f.hse for f in figures), D(0))
    assert totals.hse_euros == sum((f.euros for f in figures), D(0))
    assert totals.imp == sum((line["fraction"] for line in imp_rows), D(0))
    assert totals.imp_euros == sum((line["fraction"] * D("1250") for line in imp_rows), D(0))
    assert totals.euros == sum((line["amount"] for line in euro_rows), D(0))
    for value in (totals.hours, totals.hse, totals.hse_euros, totals.imp_euros, totals.euros):
        assert value == value.quantize(D("0.01"))  # exact cents, never floats


@settings(max_examples=200, deadline=None)
@given(hse_lines)
def test_peripheral_hours_cost_half_the_hse_of_face_to_face(lines):
    for line in lines:
        face = hse_figures({**line, "hour_kind": "face"}, RATES)
        peripheral = hse_figures({**line, "hour_kind": "peripherique"}, RATES)
        assert abs(face.hse - 2 * peripheral.hse) <= D("0.01")


@pytest.mark.parametrize("fraction", ["0.25", "0.5", "1", "2", "3"])
def test_allowed_fractions_come_from_the_rates(fraction):
    assert D(fraction) in RATES.fractions

"""French numbers, in and out (issue 17, point 1): every number field accepts what French
users type and refuses the rest with a French message repeating it; every number shown is
written the French way (aps.numbers)."""

from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from aps.models import User
from aps.numbers import euros, file_size, french_number, parse_number, quantity
from funding.forms import EuroLineForm, HseLineForm
from projects.forms import SheetForm
from reviews.bilans.forms import BilanForm
from reviews.bilans.models import Bilan
from reviews.workflow import services
from reviews.workflow.diff import changes
from reviews.workflow.forms import ValidateForm
from tests.reviews.conftest import complete_sheet

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1 800,00", D("1800.00")),
        (f"1{NBSP}800,00", D("1800.00")),
        (f"1{NNBSP}800", D("1800")),
        ("1800.5", D("1800.5")),
        ("1 800 €", D("1800")),
        ("1 800,50€", D("1800.50")),
        ("12 h", D("12")),
        ("12h", D("12")),
        ("0,25", D("0.25")),
        ("  42  ", D("42")),
        ("1 000 000", D("1000000")),
    ],
)
def test_what_french_users_type_is_read(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize(
    "typed", ["12a", "1,2,3", "1 2", "12 €€", "€", "NaN", "Infinity", "1e3", "douze", "1.800,00"]
)
def test_anything_else_is_refused_in_french_repeating_what_was_typed(typed):
    with pytest.raises(ValidationError) as refused:
        parse_number(typed)
    assert refused.value.messages == [
        f"«\xa0{typed}\xa0» n'est pas un nombre : saisissez par exemple 1 800,50."
    ]


def test_numbers_are_written_the_french_way():
    assert french_number(D("1800"), 2) == f"1{NBSP}800,00"
    assert french_number(1234567) == f"1{NBSP}234{NBSP}567"
    assert euros(D("1800")) == f"1{NBSP}800,00{NBSP}€"
    assert euros(None) == f"0,00{NBSP}€"
    assert quantity(D("0.50"), "IMP") == f"0,5{NBSP}IMP"
    assert quantity(D("180.00"), "HSE") == f"180{NBSP}HSE"
    assert quantity("1500") == f"1{NBSP}500"
    assert file_size(11 * 1024 * 1024) == f"11,0{NBSP}Mo"


# --- Input forms ------------------------------------------------------------------------


def test_estimate_lines_accept_french_numbers():
    euro = EuroLineForm(
        data={"nature": "outils", "label": "Livres", "amount": "1 800,00 €", "quote": ""}
    )
    assert euro.is_valid(), euro.errors
    assert euro.cleaned_data["amount"] == D("1800.00")
    hse = HseLineForm(
        data={
            "activity": "Atelier",
            "speaker": "titulaire",
            "hour_kind": "face",
            "weeks": "10",
            "hours_per_week": "1,5 h",
            "speakers": "1",
        }
    )
    assert hse.is_valid(), hse.errors
    assert hse.cleaned_data["hours_per_week"] == D("1.5")


def test_estimate_lines_refuse_letters_keeping_what_was_typed():
    euro = EuroLineForm(data={"nature": "outils", "label": "Livres", "amount": "12a"})
    assert not euro.is_valid()
    assert euro.errors["amount"] == [
        "«\xa012a\xa0» n'est pas un nombre : saisissez par exemple 1 800,50."
    ]
    assert 'value="12a"' in str(euro["amount"])
    hse = HseLineForm(data={"weeks": "dix", "hours_per_week": "2", "speakers": "1"})
    assert not hse.is_valid()
    # A whole number's field gives a whole example, not "1 800,50".
    assert hse.errors["weeks"] == ["«\xa0dix\xa0» n'est pas un nombre : saisissez par exemple 12."]


def test_the_grant_form_reads_french_numbers_and_tells_the_request_the_french_way():
    requested = {"euros": D("1800.00"), "hse": D("180.00"), "imp": D("0.50")}
    form = ValidateForm(
        data={"euros": "1 500", "hse": f"180{NBSP}h", "imp": "0,5"}, requested=requested
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["euros"] == D("1500")
    assert form.fields["euros"].help_text == f"Demandé : 1{NBSP}800,00{NBSP}€"
    assert form.fields["imp"].help_text == f"Demandé : 0,5{NBSP}IMP"
    assert f'value="1{NBSP}800,00"' in str(ValidateForm(requested=requested)["euros"])

    too_much = ValidateForm(data={"euros": "1 900", "hse": "0", "imp": "0"}, requested=requested)
    assert not too_much.is_valid()
    assert "inférieure ou égale à 1\xa0800" in too_much.errors["euros"][0]
    letters = ValidateForm(data={"euros": "1 5OO", "hse": "0", "imp": "0"}, requested=requested)
    assert not letters.is_valid()
    assert "«\xa01 5OO\xa0» n'est pas un nombre" in letters.errors["euros"][0]


@pytest.mark.django_db
def test_the_bilan_form_reads_french_numbers():
    form = BilanForm(
        data={"consumed_euros": "1 800,00 €", "consumed_hse": "12,5", "pupils_reached": "1 200"},
        stage=Bilan.Stage.FINAL,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["consumed_euros"] == D("1800.00")
    assert form.cleaned_data["consumed_hse"] == D("12.5")
    assert form.cleaned_data["pupils_reached"] == 1200
    refused = BilanForm(data={"consumed_euros": "12a", "pupils_reached": "2,5"}, stage="final")
    assert not refused.is_valid()
    assert "«\xa012a\xa0» n'est pas un nombre" in refused.errors["consumed_euros"][0]
    assert "«\xa02,5\xa0» n'est pas un nombre entier" in refused.errors["pupils_reached"][0]


@pytest.mark.django_db  # the form's champs and typologies are read from the database
def test_the_sheet_counts_read_french_numbers():
    field = SheetForm().fields["expected_pupils"]
    assert field.clean(f"1{NNBSP}200") == 1200
    with pytest.raises(ValidationError) as refused:
        field.clean("12a")
    assert "«\xa012a\xa0» n'est pas un nombre" in refused.value.messages[0]


# --- Outputs ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_history_and_email_show_the_grant_the_french_way(
    personas, django_capture_on_commit_callbacks
):
    sheet = complete_sheet(state="in_review", euros=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.validate(
            sheet=sheet,
            by=User.objects.get(email="dsden93@aps.test"),
            euros=D("300"),
            hse=D("1.5"),
            imp=D("0"),
        )
    expected = f"300,00{NBSP}€, 1,5{NBSP}HSE, 0{NBSP}IMP"
    assert mail.outbox and all(f"Moyens accordés : {expected}." in m.body for m in mail.outbox)
    page = render_to_string("reviews/history.html", {"events": sheet.events.all()})
    assert f"Accordé : {expected}" in page


@pytest.mark.django_db
def test_a_grant_above_the_request_says_so_the_french_way(personas):
    sheet = complete_sheet(state="in_review", euros=True)
    with pytest.raises(services.ReviewError) as refused:
        services.validate(
            sheet=sheet,
            by=User.objects.get(email="dsden93@aps.test"),
            euros=D("1800"),
            hse=D("0"),
            imp=D("0"),
        )
    assert f"(1{NBSP}800,00{NBSP}€) dépasse le montant demandé (300,00{NBSP}€)" in str(
        refused.value
    )


def test_the_diff_shows_totals_the_french_way():
    shown = changes(
        {"total_euros": "2610.00", "total_imp": "0.50", "expected_pupils": 1200},
        {"total_euros": "216.00", "total_imp": "1.00", "expected_pupils": 1500},
    )
    by_field = {change.field: (change.before, change.after) for change in shown}
    assert by_field["total_euros"] == (f"2{NBSP}610,00{NBSP}€", f"216,00{NBSP}€")
    assert by_field["total_imp"] == (f"0,5{NBSP}IMP", f"1{NBSP}IMP")
    assert by_field["expected_pupils"] == (f"1{NBSP}200", f"1{NBSP}500")


def test_the_admin_grant_form_reads_french_numbers():
    from funding.admin import GrantAdminForm

    field = GrantAdminForm.base_fields["euros"]
    assert field.clean("1 500,50 €") == D("1500.50")
    with pytest.raises(ValidationError) as refused:
        field.clean("1 5OO")
    assert "«\xa01 5OO\xa0» n'est pas un nombre" in refused.value.messages[0]


def test_counts_take_the_french_plural():
    """0 and 1 are singular in French (Django's pluralize says "0 fiches"); the filter also
    serves the sentences that change more than an ending."""
    from django.template import Context, Template

    page = Template(
        "{% load numbers %}{% for n in counts %}{{ n|quantity }} fiche{{ n|plural }} ; {% endfor %}"
        '{{ two|plural:"le champ signalé,les champs signalés" }} ; {{ one|plural:"le champ,les champs" }}'
    ).render(Context({"counts": [0, 1, D("1.5"), 2, 1500], "two": ["a", "b"], "one": ["a"]}))
    assert page == (
        f"0 fiche ; 1 fiche ; 1,5 fiche ; 2 fiches ; 1{NBSP}500 fiches ; "
        "les champs signalés ; le champ"
    )

"""The registry of the sheet's sections (projects.sections) and the screens that follow it:
the edit form and the checklist."""

import pytest
from crispy_forms.layout import Field, Fieldset

from projects import sections
from projects.checklist import missing_items
from projects.forms import SheetForm
from projects.services import CONTENT_FIELDS
from tests.factories import SheetFactory

LISTS = {"objectives", "criteria"}  # the sheet's numbered lists, not columns


def registry_fields() -> list[str]:
    return [name for section in sections.SECTIONS for name in section.field_names]


def test_the_registry_holds_every_content_field_exactly_once():
    names = registry_fields()
    assert len(names) == len(set(names))
    assert set(names) == set(CONTENT_FIELDS) | LISTS
    # The sheet's columns come in the same order as the content a renewal copies.
    assert [name for name in names if name not in LISTS] == list(CONTENT_FIELDS)


def test_keys_are_unique_and_titles_are_not_keys():
    entries = [*sections.SECTIONS, *sections.DOCUMENTS, sections.RENEWAL]
    keys = [entry.key for entry in entries]
    assert len(keys) == len(set(keys))
    assert all(key.isascii() and key == key.lower() and " " not in key for key in keys)
    assert {entry.title for entry in entries}.isdisjoint(keys)
    assert [section.key for section in sections.ASKABLE] == keys[:-1]


def test_rows_of_the_official_form_show_known_sections():
    assert [row.key for row in sections.ROWS] == [
        "objectives",
        "criteria",
        "public",
        "organisation",
        "calendar",
        "pupils",
        "staff",
        "partners",
        "means",
    ]
    keys = {section.key for section in sections.SECTIONS}
    assert all(row.section in keys for row in sections.ROWS)
    bilan_fields = [name for row in sections.ROWS for name in row.bilan_fields]
    assert len(bilan_fields) == len(set(bilan_fields))


def test_a_stored_value_that_is_no_key_is_shown_as_it_is():
    assert sections.title_of("calendar") == "Calendrier"
    assert sections.title_of("Rubrique d'autrefois") == "Rubrique d'autrefois"
    with pytest.raises(KeyError):
        sections.section("Calendrier")


def _names(fieldset: Fieldset) -> list[str]:
    return [item.fields[0] if isinstance(item, Field) else item for item in fieldset.fields]


@pytest.mark.django_db
def test_the_edit_form_lays_out_the_registry_in_its_order():
    form = SheetForm(instance=SheetFactory(complete=True))
    fieldsets = list(form.helper.layout)
    assert [(f.legend, f.css_id) for f in fieldsets] == [
        (section.title, f"section-{section.key}") for section in sections.SECTIONS
    ]
    shown = {f.css_id: _names(f) for f in fieldsets}
    assert shown["section-header"] == ["version", "title", "is_renewal"]
    assert shown["section-objectives"] == ["objective_1", "objective_2", "objective_3"]
    assert shown["section-criteria"] == ["criterion_1", "criterion_2", "criterion_3"]
    for section in sections.SECTIONS:
        if section.key not in ("header", "objectives", "criteria"):
            assert shown[section.html_id] == list(section.field_names)
    # Every field of the form has its place in the layout.
    laid_out = {name for names in shown.values() for name in names}
    assert laid_out == set(form.fields)


@pytest.mark.django_db
def test_an_empty_sheet_lacks_every_field_in_the_order_of_the_registry():
    sheet = SheetFactory(title="")
    assert [(item.section, item.label) for item in missing_items(sheet)] == [
        *(
            (section.key, missing)
            for section in sections.SECTIONS
            for name, missing in section.fields
            if name != "gpds_consulted_on"  # asked only when the GPDS was associated
        ),
        ("means", "l'estimation du coût (au moins une ligne)"),
    ]


@pytest.mark.django_db
def test_the_gpds_date_is_asked_when_the_gpds_was_associated():
    def lacks(sheet):
        return [item.label for item in missing_items(sheet) if item.section == "diagnostic"]

    sheet = SheetFactory(complete=True, gpds_associated="non", gpds_consulted_on=None)
    assert lacks(sheet) == []
    sheet.gpds_associated = "oui"
    assert lacks(sheet) == ["la date de la consultation du GPDS"]
    sheet.gpds_associated = ""
    assert lacks(sheet) == ["l'association du GPDS (oui ou non)"]

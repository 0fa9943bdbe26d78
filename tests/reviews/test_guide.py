"""The guide (reviews.guide): its pages read the current campaign's calendar and rates, the
sections' help and the answers' meanings; the sheet's form links each section to its part."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import Rates
from projects import section_help, sections
from projects.action_types import VADEMECUM
from projects.models import Campaign
from reviews.guide.pages import GUIDE, PAGES
from reviews.workflow.table import ANSWER_MEANINGS, ANSWERS, TRANSITIONS
from tests.factories import SheetFactory


def page_text(response) -> str:
    """The page's HTML, entities decoded and every non-breaking space a plain one."""
    assert response.status_code == 200
    return re.sub(r"[\xa0\u202f]", " ", html.unescape(response.content.decode()))


def main_of(text: str) -> str:
    return text[text.index("<main") : text.index("</main>")]


def guide(client, url_name: str) -> str:
    return main_of(page_text(client.get(reverse(f"reviews:{url_name}"))))


def words(text: str) -> str:
    """The text without its tags ("soit <strong>20 HSE</strong>" reads "soit 20 HSE")."""
    return re.sub(r"<[^>]+>", "", text)


def test_guide_shows_the_current_campaigns_deadlines(client, personas):
    calendar = guide(client, "guide_calendar")
    assert "Calendrier de la campagne" in calendar
    assert "campagne 2024-2025" in calendar
    assert "jusqu'au 23 juin 2024" in calendar
    assert "jusqu'au 15 septembre 2024" in calendar
    assert "pour le 31 mars 2025" in calendar and "pour le 30 juin 2025" in calendar

    Campaign.objects.filter(pk=personas.campaign.pk).update(
        euro_deadline=datetime.date(2024, 6, 20), hse_imp_deadline=datetime.date(2024, 9, 30)
    )
    for name in ("guide_calendar", "guide_filing", "guide"):
        shown = guide(client, name)
        assert "20 juin 2024" in shown and "30 septembre 2024" in shown, name
        assert "23 juin 2024" not in shown and "15 septembre 2024" not in shown, name


def test_guide_shows_the_current_campaigns_rates_and_follows_them(client, personas):
    means = words(guide(client, "guide_means"))
    assert "1 h = 1 HSE" in means and "2 h = 1 HSE" in means
    assert "10 semaines de 2 h de face-à-face font 20 h, soit 20 HSE (environ 800,00 €)" in means
    assert "10 semaines de 1 h périphériques font 10 h, soit 5 HSE" in means
    assert "une IMP vaut 1 250,00 € par an" in means
    assert "¼ IMP" in means and "312,50 €" in means

    Rates.objects.update_or_create(
        campaign=personas.campaign,
        defaults={
            "face_to_face_hours_per_hse": Decimal("1.5"),
            "peripheral_hours_per_hse": Decimal("3"),
            "hse_euro_rate": Decimal("45"),
            "imp_annual_base": Decimal("1300"),
            "imp_fractions": ["0.5", "1"],
        },
    )
    means = words(guide(client, "guide_means"))
    assert "1,5 h = 1 HSE" in means and "3 h = 1 HSE" in means
    assert "font 20 h, soit 13,33 HSE (environ 599,85 €)" in means
    assert "font 10 h, soit 3,33 HSE" in means
    assert "une IMP vaut 1 300,00 € par an" in means
    assert "½ IMP" in means and "650,00 €" in means
    assert "¼ IMP" not in means and "312,50 €" not in means
    assert "au taux de 45,00 € par HSE" in means


def test_guide_shows_the_academies_defaults_for_a_campaign_without_rates_and_writes_none(
    client, personas
):
    Rates.objects.all().delete()
    means = guide(client, "guide_means")
    assert "1 h = 1 HSE" in means and "¼ IMP" in means
    assert not Rates.objects.exists()


def test_guide_shows_the_three_answers_with_their_meanings_in_order(client, personas):
    answers = guide(client, "guide_answers")
    positions = []
    for name in ANSWERS:
        label = TRANSITIONS[name].target.label
        assert f"<dt>{label}</dt><dd>{ANSWER_MEANINGS[name]}</dd>" in answers, name
        positions.append(answers.index(ANSWER_MEANINGS[name]))
    assert positions == sorted(positions)


def test_guide_says_whether_the_network_gives_its_opinion_this_campaign(client, personas):
    assert "pré-validé par le comité de pilotage" in guide(client, "guide_answers")
    Campaign.objects.filter(pk=personas.campaign.pk).update(requires_prevalidation=False)
    answers = guide(client, "guide_answers")
    assert "le réseau FOQUALE ne donne pas d'avis préalable" in answers
    assert "pré-validé par le comité de pilotage" not in answers


def test_guide_without_a_current_campaign_says_so(client, personas):
    Campaign.objects.update(is_current=False)
    for name in ("guide", "guide_calendar", "guide_means"):
        assert "Aucune campagne n'est ouverte" in guide(client, name), name


def test_guide_pages_list_what_each_section_expects(client, personas):
    shown = guide(client, "guide_sections")
    for entry in sections.ASKABLE:
        assert f'id="{entry.guide_anchor}"' in shown
        assert section_help.help_for(entry.key).expected in shown
    for default in VADEMECUM:
        assert f"<dt>{default.label}</dt>" in shown
    assert "N'écrivez jamais le nom d'un élève" in shown


def test_every_section_document_field_and_typology_has_its_help():
    assert set(section_help.HELP) == {entry.key for entry in sections.ASKABLE}
    assert all(default.description for default in VADEMECUM)


@pytest.mark.parametrize("key", sorted(PAGES))
def test_every_entry_of_a_pages_summary_leads_to_a_part_of_it(client, personas, key):
    page = PAGES[key]
    shown = main_of(page_text(client.get(reverse(page.url))))
    assert f"<h1>{page.title}</h1>" in shown
    for anchor, label in page.anchors:
        assert f'href="#{anchor}">{label}</a>' in shown
        assert f'id="{anchor}"' in shown, anchor


def test_each_section_of_the_sheets_form_links_to_its_part_of_the_guide(client, personas):
    sheet = SheetFactory(establishment=personas.college, created_by=personas.college_staff)
    client.force_login(personas.college_staff)
    form = page_text(client.get(reverse("projects:sheet_edit", kwargs={"pk": sheet.pk})))
    guide_url = reverse("reviews:guide_sections")
    links = re.findall(rf'href="({re.escape(guide_url)}#[^"]+)" target="_blank"', form)
    assert len(links) == len(sections.SECTIONS)
    target = page_text(client.get(guide_url))
    for entry in sections.SECTIONS:
        fieldset = form[form.index(f'id="{entry.html_id}"') :]
        fieldset = fieldset[: fieldset.index("</fieldset>")]
        assert f'href="{guide_url}#{entry.guide_anchor}"' in fieldset
        assert "Aide : que mettre dans cette rubrique ?" in fieldset
        assert f'id="{entry.guide_anchor}"' in target
    # The form without a sheet (a new one) links too.
    new = page_text(client.get(reverse("projects:sheet_create")))
    assert new.count("Aide : que mettre dans cette rubrique ?") == len(sections.SECTIONS)


def test_estimate_page_links_to_the_rules_of_the_means(client, personas):
    sheet = SheetFactory(establishment=personas.college, created_by=personas.college_staff)
    client.force_login(personas.college_staff)
    estimate = page_text(client.get(reverse("funding:estimate", kwargs={"pk": sheet.pk})))
    assert f'href="{reverse("reviews:guide_means")}"' in estimate


def test_guide_is_in_the_main_navigation_of_every_signed_in_user(client, personas):
    for user in personas.users():
        client.force_login(user)
        home = page_text(client.get(reverse("home")))
        navigation = home[
            home.index('id="navigation"') : home.index("</nav>", home.index('id="navigation"'))
        ]
        assert f'href="{reverse("reviews:guide")}"' in navigation, user.email
        assert ">Guide</a>" in navigation


def test_guide_is_readable_without_an_account_and_marks_the_current_page(client, personas):
    shown = page_text(client.get(reverse("reviews:guide_bilan")))
    menu = shown[shown.index('class="fr-sidemenu"') :]
    for page in GUIDE:
        assert f'href="{reverse(page.url)}"' in menu
    assert 'aria-current="page">Bilan et renouvellement</a>' in menu


def test_guide_names_the_academie_from_the_one_setting(client, personas, settings):
    settings.ACADEMIE_NAME = "académie de Nulle-Part"
    for page in PAGES.values():
        shown = main_of(page_text(client.get(reverse(page.url))))
        assert "Créteil" not in shown, page.key
    assert "l'académie de Nulle-Part" in guide(client, "guide")
    assert "le rectorat de l'académie de Nulle-Part" in guide(client, "legal_notice")

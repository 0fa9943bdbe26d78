import pytest
from django.contrib import admin
from django.urls import reverse

from aps.models import User

pytestmark = pytest.mark.django_db

# The application's models, administered by the académie's staff through their role; the
# machinery's (groups, the task queue, login lockouts) are the superusers'.
APS_APPS = {"aps", "projects", "funding", "reviews"}
ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label in APS_APPS]
MACHINERY = [model for model in admin.site._registry if model._meta.app_label not in APS_APPS]


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_academie_admin_opens_every_changelist_and_add_page(client, personas, model):
    client.force_login(User.objects.get(email="academie@aps.test"))
    assert client.get(admin_url(model, "changelist")).status_code == 200
    add = client.get(admin_url(model, "add"))
    assert add.status_code in (200, 403)  # 403 only where adding is disabled on purpose


@pytest.mark.parametrize("model", MACHINERY, ids=lambda m: m._meta.label)
def test_the_machinery_is_the_superusers(client, personas, model):
    client.force_login(User.objects.get(email="academie@aps.test"))
    assert client.get(admin_url(model, "changelist")).status_code == 403
    client.force_login(User.objects.create_superuser("root@aps.test", "x", full_name="Root"))
    assert client.get(admin_url(model, "changelist")).status_code == 200


def test_admin_user_page_has_memberships_inline(client, personas):
    client.force_login(User.objects.get(email="academie@aps.test"))
    head = User.objects.get(email="chef.college@aps.test")
    page = client.get(reverse("admin:aps_user_change", args=[head.pk])).content.decode()
    assert "Rôles" in page
    assert "Collège Jacques Prévert" in page


def test_admin_search_and_filter_establishments(client, personas):
    client.force_login(User.objects.get(email="academie@aps.test"))
    url = reverse("admin:projects_establishment_changelist")
    page = client.get(url, {"q": "0930123D"}).content.decode()
    assert "Olympe de Gouges" in page and "Jacques Prévert" not in page


@pytest.mark.parametrize(
    "email", ["chef.college@aps.test", "foquale@aps.test", "mlds@aps.test", "dsden93@aps.test"]
)
def test_admin_pages_are_refused_to_other_roles(client, personas, email):
    """The admin's index is in the access matrix; its other pages are refused alike."""
    client.force_login(User.objects.get(email=email))
    response = client.get(reverse("admin:projects_establishment_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_action_makes_a_campaign_current(client, personas):
    from projects.models import Campaign

    old = Campaign.objects.get(is_current=True)
    new = Campaign.objects.create(
        school_year="2025-2026",
        **{
            f.name: getattr(old, f.name).replace(year=getattr(old, f.name).year + 1)
            for f in Campaign._meta.get_fields()
            if f.get_internal_type() == "DateField"
        },
    )
    action = {"action": "make_current", "_selected_action": [new.pk]}
    changelist = reverse("admin:projects_campaign_changelist")
    # The campaign is every académie's: one académie's staff cannot move it.
    client.force_login(User.objects.get(email="academie@aps.test"))
    assert "make_current" not in client.get(changelist).content.decode()
    client.post(changelist, action, follow=True)
    assert list(Campaign.objects.filter(is_current=True)) == [old]
    client.force_login(User.objects.get(email="ministere@aps.test"))
    response = client.post(changelist, action, follow=True)
    assert "Campagne 2025-2026 est désormais la campagne en cours." in response.content.decode()
    assert list(Campaign.objects.filter(is_current=True)) == [new]


def test_admin_sheet_page_shows_objectives_and_is_not_for_adding(client, demo_sheets):
    from projects.models import ProjectSheet

    sheet = ProjectSheet.objects.get(title="Parcours individualisés pour élèves absentéistes")
    client.force_login(User.objects.get(email="academie@aps.test"))
    page = client.get(reverse("admin:projects_projectsheet_change", args=[sheet.pk]))
    assert "Proposer à chaque élève un emploi du temps aménagé" in page.content.decode()
    assert client.get(reverse("admin:projects_projectsheet_add")).status_code == 403


def test_renaming_in_the_admin_makes_the_sheets_searchable_by_the_new_name(client, personas):
    from projects.models import Establishment, ProjectSheet
    from tests.factories import SheetFactory

    college = Establishment.objects.get(uai="0931610V")
    sheet = SheetFactory(establishment=college, title="Théâtre forum")
    client.force_login(User.objects.get(email="academie@aps.test"))
    response = client.post(
        reverse("admin:projects_establishment_change", args=[college.pk]),
        {
            "uai": college.uai,
            "name": "Collège Marie Curie",
            "kind": college.kind,
            "sector": college.sector,
            "city": college.city,
            "postcode": college.postcode,
            "department": college.department_id,
            "district": college.district_id or "",
        },
    )
    assert response.status_code == 302
    college.refresh_from_db()
    assert college.search_text == " college marie curie noisy le sec 0931610v"
    assert "college marie curie" in ProjectSheet.objects.get(pk=sheet.pk).search_text
    # A sheet's title corrected in the admin is searched at once, its copies left alone.
    ProjectSheet.objects.filter(pk=sheet.pk).update(requested_euros=42)
    before = ProjectSheet.objects.get(pk=sheet.pk).updated_at
    response = client.post(
        reverse("admin:projects_projectsheet_change", args=[sheet.pk]),
        {
            "title": "Ateliers d'écriture",
            "is_renewal": "",
            "renewal_of": "",
            "campaign": sheet.campaign_id,
            "objectives-TOTAL_FORMS": "0",
            "objectives-INITIAL_FORMS": "0",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ProjectSheet.objects.get(pk=sheet.pk)
    assert saved.search_text.startswith(" ateliers d ecriture college marie curie")
    assert saved.requested_euros == 42
    assert saved.updated_at > before  # the edit form opened before sees a newer version

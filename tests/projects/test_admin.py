import pytest
from django.contrib import admin
from django.urls import reverse

from aps.models import User

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label != "dsfr"]


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_academie_admin_opens_every_changelist_and_add_page(client, personas, model):
    client.force_login(User.objects.get(email="academie@aps.test"))
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in (200, 403)  # 403 only where adding is disabled on purpose


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
    client.force_login(User.objects.get(email="academie@aps.test"))
    response = client.post(
        reverse("admin:projects_campaign_changelist"),
        {"action": "make_current", "_selected_action": [new.pk]},
        follow=True,
    )
    assert "Campagne 2025-2026 est désormais la campagne en cours." in response.content.decode()
    assert list(Campaign.objects.filter(is_current=True)) == [new]


def test_admin_sheet_page_shows_objectives_and_is_not_for_adding(client, demo_sheets):
    from projects.models import ProjectSheet

    sheet = ProjectSheet.objects.get(title="Parcours individualisés pour élèves absentéistes")
    client.force_login(User.objects.get(email="academie@aps.test"))
    page = client.get(reverse("admin:projects_projectsheet_change", args=[sheet.pk]))
    assert "Proposer à chaque élève un emploi du temps aménagé" in page.content.decode()
    assert client.get(reverse("admin:projects_projectsheet_add")).status_code == 403

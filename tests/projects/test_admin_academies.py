"""The administration narrowed to the académie (projects.admin_scope): the staff of Créteil
see, open and choose only what lies in Créteil, cannot give rights beyond it; the ministry's
staff see every académie."""

import pytest
from django.urls import reverse

from aps.models import User
from projects.models import Establishment, Membership
from tests.factories import EstablishmentFactory, SheetFactory, department

pytestmark = pytest.mark.django_db
R = Membership.Role


@pytest.fixture
def poitiers(personas):
    """A collège of the Vienne with a sheet and its head."""
    college = EstablishmentFactory(department=department("86"), name="Collège Jules Verne")
    head = User.objects.create_user("chef.verne@aps.test", full_name="Hugo Verne")
    Membership.objects.create(user=head, role=R.HEAD, establishment=college)
    sheet = SheetFactory(establishment=college, title="Atelier du Clain", submitted=True)
    return {"college": college, "head": head, "sheet": sheet}


def missing(response) -> bool:
    """The admin's answer to an object outside the queryset: back to its index, "n'existe pas"."""
    page = response.content.decode().replace("’", "'")
    return response.redirect_chain and "n'existe pas" in page


def signed_in(client, email):
    client.force_login(User.objects.get(email=email))
    return client


LISTS = [
    ("admin:projects_establishment_changelist", "Collège Jules Verne", "Jacques Prévert"),
    ("admin:projects_projectsheet_changelist", "Atelier du Clain", None),
    ("admin:aps_user_changelist", "chef.verne@aps.test", "chef.college@aps.test"),
    ("admin:projects_membership_changelist", "Hugo Verne", "Claire Martin"),
    ("admin:projects_department_changelist", "Vienne", "Seine-Saint-Denis"),
    ("admin:projects_academy_changelist", "Poitiers", "Créteil"),
]


@pytest.mark.parametrize(("url", "poitiers_text", "creteil_text"), LISTS)
def test_lists_hold_the_staffs_academie_only(client, poitiers, url, poitiers_text, creteil_text):
    creteil_page = signed_in(client, "academie@aps.test").get(reverse(url)).content.decode()
    assert poitiers_text not in creteil_page
    if creteil_text:
        assert creteil_text in creteil_page
    poitiers_page = (
        signed_in(client, "academie.poitiers@aps.test").get(reverse(url)).content.decode()
    )
    assert poitiers_text in poitiers_page
    if creteil_text:
        assert creteil_text not in poitiers_page
    everything = signed_in(client, "ministere@aps.test").get(reverse(url)).content.decode()
    assert poitiers_text in everything
    if creteil_text:
        assert creteil_text in everything


def test_another_academies_objects_do_not_open(client, poitiers):
    signed_in(client, "academie@aps.test")
    for name, obj in [
        ("projects_establishment", poitiers["college"]),
        ("projects_projectsheet", poitiers["sheet"]),
        ("aps_user", poitiers["head"]),
    ]:
        response = client.get(reverse(f"admin:{name}_change", args=[obj.pk]), follow=True)
        assert missing(response), name
    assert (
        client.post(
            reverse("admin:projects_establishment_delete", args=[poitiers["college"].pk]),
            {"post": "yes"},
        ).status_code
        == 302
    )
    assert Establishment.objects.filter(pk=poitiers["college"].pk).exists()


def test_choices_and_autocomplete_are_narrowed(client, poitiers):
    signed_in(client, "academie@aps.test")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "projects",
            "model_name": "membership",
            "field_name": "establishment",
            "term": "Collège",
        },
    )
    names = [result["text"] for result in response.json()["results"]]
    assert names and not any("Jules Verne" in name for name in names)
    page = client.get(reverse("admin:projects_membership_add")).content.decode()
    assert "Ministère (toutes les académies)" not in page
    # Typed by hand, the ministry's role and another académie's establishment are refused.
    head = User.objects.get(email="chef.college@aps.test")
    for data in [
        {"user": head.pk, "role": R.NATIONAL},
        {"user": head.pk, "role": R.HEAD, "establishment": poitiers["college"].pk},
    ]:
        response = client.post(reverse("admin:projects_membership_add"), data)
        assert response.status_code == 200  # the form again, with its error
        assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Membership.objects.filter(user=head, role=R.NATIONAL).exists()
    assert not head.memberships.filter(establishment=poitiers["college"]).exists()


def test_academie_staff_give_no_superuser_rights(client, personas):
    root = User.objects.create_superuser("root@aps.test", "x", full_name="Root")
    signed_in(client, "academie@aps.test")
    staff = User.objects.get(email="staff.college@aps.test")
    page = client.get(reverse("admin:aps_user_change", args=[staff.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' in page
    assert missing(client.get(reverse("admin:aps_user_change", args=[root.pk]), follow=True))
    ministry = signed_in(client, "ministere@aps.test")
    page = ministry.get(reverse("admin:aps_user_change", args=[staff.pk])).content.decode()
    assert 'name="is_superuser"' in page


def test_a_shared_setting_is_read_only_to_an_academie(client, personas):
    from projects.models import Campaign

    campaign = Campaign.objects.get(is_current=True)
    signed_in(client, "academie@aps.test")
    page = client.get(reverse("admin:projects_campaign_change", args=[campaign.pk]))
    assert page.status_code == 200
    assert 'name="euro_deadline"' not in page.content.decode()  # shown, not editable
    assert client.get(reverse("admin:projects_campaign_add")).status_code == 403

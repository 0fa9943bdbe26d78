from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from aps.models import User
from projects.models import Campaign, District, FoqualeNetwork, Membership

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count() for model in (User, Membership, Campaign, District, FoqualeNetwork)
    ]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@override_settings(DEBUG=True)
def test_seed_demo_creates_one_account_per_role_and_prints_them(demo_establishments):
    output = seed()
    assert "mot de passe : demo-aps" in output
    for email in ("chef.college@aps.test", "dsden93@aps.test", "academie@aps.test"):
        assert email in output
        assert User.objects.get(email=email).check_password("demo-aps")
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles["chef.college@aps.test"] == "chef_etablissement"
    assert roles["staff.lycee@aps.test"] == "etablissement"
    assert roles["foquale@aps.test"] == "reseau_foquale"
    assert roles["mlds@aps.test"] == "mlds"
    assert User.objects.get(email="academie@aps.test").is_staff
    assert not User.objects.get(email="dsden77@aps.test").is_staff


@override_settings(DEBUG=True)
def test_demo_network_holds_both_establishments_and_mlds_covers_their_district(demo):
    network = Membership.objects.get(user__email="foquale@aps.test").network
    assert set(network.members.values_list("uai", flat=True)) == {"0931610V", "0930123D"}
    assert network.lead_establishment.uai == "0930123D"
    district = Membership.objects.get(user__email="mlds@aps.test").district
    assert district.name == "Montreuil - Noisy-le-Sec"
    assert Membership.objects.get(user__email="dsden94@aps.test").department.code == "94"


@override_settings(DEBUG=True)
def test_campaign_2024_2025_has_the_seed_calendar_and_is_current(demo):
    campaign = Campaign.objects.get(is_current=True)
    assert campaign.school_year == "2024-2025"
    assert str(campaign.euro_deadline) == "2024-06-23"
    assert str(campaign.hse_imp_deadline) == "2024-09-15"
    assert campaign.requires_prevalidation


@override_settings(DEBUG=True)
def test_running_seed_demo_twice_changes_nothing(demo):
    before = counts()
    seed()
    assert counts() == before
    assert Membership.objects.filter(user__email="chef.college@aps.test").count() == 1


@override_settings(DEBUG=False)
def test_seed_demo_refuses_to_run_without_debug_unless_forced(demo_establishments):
    with pytest.raises(CommandError, match="DEBUG est désactivé"):
        seed()
    assert not User.objects.exists()
    seed("--force")
    assert User.objects.filter(email="academie@aps.test").exists()


@override_settings(DEBUG=True)
def test_seed_demo_without_establishments_says_to_import_first(db):
    with pytest.raises(CommandError, match="lancez d'abord import_establishments"):
        seed()


@override_settings(DEBUG=True)
def test_seed_demo_files_sheets_in_several_states_and_an_earlier_campaign(demo):
    from projects.models import ProjectSheet

    states = set(ProjectSheet.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "in_review", "validated"} <= states
    assert ProjectSheet.objects.filter(network__isnull=False).count() == 1
    previous = ProjectSheet.objects.filter(campaign__school_year="2023-2024")
    assert previous.count() == 2 and all(s.status == "validated" for s in previous)
    college_sheet = ProjectSheet.objects.get(
        title="Parcours individualisés pour élèves absentéistes"
    )
    assert college_sheet.objectives.count() == 2 and college_sheet.criteria.count() == 2


@override_settings(DEBUG=True)
def test_seed_demo_gives_filed_sheets_their_history_and_grants(demo_establishments):
    from funding.models import Estimate, Grant
    from projects.models import ProjectSheet
    from reviews.models import SheetEvent

    seed()
    filed = ProjectSheet.objects.exclude(status="draft")
    assert filed.exists()
    for sheet in filed:
        assert SheetEvent.objects.filter(sheet=sheet, transition="submit").exists(), sheet
        assert sheet.events.last().to_status == sheet.status
    for sheet in filed.filter(status="validated"):
        grant = Grant.objects.get(sheet=sheet)
        assert grant.hse <= Estimate.objects.get(sheet=sheet).total_hse
    assert Estimate.objects.count() == ProjectSheet.objects.exclude(typology="").count()

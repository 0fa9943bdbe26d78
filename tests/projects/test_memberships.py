import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import Membership
from projects.rules import establishments_in_scope, establishments_of, has_role
from tests.factories import (
    DistrictFactory,
    EstablishmentFactory,
    NetworkFactory,
    UserFactory,
    department,
    member,
)

R = Membership.Role
pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    """Two districts of the 93, one establishment of the 94; a network holding two of the 93."""
    north, south = DistrictFactory(name="Nord"), DistrictFactory(name="Sud")
    college = EstablishmentFactory(district=north)
    lycee = EstablishmentFactory(district=north, lycee=True)
    other = EstablishmentFactory(district=south)
    val_de_marne = EstablishmentFactory(department=department("94"), city="Créteil")
    network = NetworkFactory(members=[college, other])
    return {
        "north": north,
        "college": college,
        "lycee": lycee,
        "other": other,
        "val_de_marne": val_de_marne,
        "network": network,
    }


def uais(queryset):
    return set(queryset.values_list("uai", flat=True))


def test_staff_and_head_see_only_their_establishment(directory):
    head = member(role=R.HEAD, establishment=directory["college"])
    staff = member(role=R.STAFF, establishment=directory["lycee"])
    assert uais(establishments_in_scope(head)) == {directory["college"].uai}
    assert uais(establishments_in_scope(staff)) == {directory["lycee"].uai}
    assert establishments_of(head) == [directory["college"]]


def test_network_lead_covers_the_network_members(directory):
    lead = member(role=R.NETWORK_LEAD, network=directory["network"])
    assert uais(establishments_in_scope(lead)) == {
        directory["college"].uai,
        directory["other"].uai,
    }
    assert [m.user for m in directory["network"].memberships.filter(role=R.NETWORK_LEAD)] == [lead]


def test_mlds_coordinator_covers_the_district(directory):
    coordinator = member(role=R.MLDS, district=directory["north"])
    assert uais(establishments_in_scope(coordinator)) == {
        directory["college"].uai,
        directory["lycee"].uai,
    }


def test_dsden_covers_the_department_only(directory):
    dsden94 = member(role=R.DSDEN, department=department("94"))
    assert uais(establishments_in_scope(dsden94)) == {directory["val_de_marne"].uai}


def test_academie_covers_its_academie_and_the_ministry_every_one(directory):
    academie = member(role=R.ACADEMIE, academy=department("93").academy)
    assert establishments_in_scope(academie).count() == 4
    EstablishmentFactory(department=department("86"))
    assert establishments_in_scope(academie).count() == 4
    assert establishments_in_scope(member(role=R.NATIONAL)).count() == 5


def test_user_without_membership_covers_nothing(directory):
    assert not establishments_in_scope(UserFactory()).exists()


def test_several_memberships_add_up(directory):
    user = member(role=R.HEAD, establishment=directory["lycee"])
    member(user, role=R.DSDEN, department=department("94"))
    assert uais(establishments_in_scope(user)) == {
        directory["lycee"].uai,
        directory["val_de_marne"].uai,
    }
    assert has_role(user, R.HEAD) and has_role(user, R.DSDEN)
    assert not has_role(user, R.ACADEMIE)


def test_database_refuses_a_scope_that_does_not_match_the_role(directory):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=R.DSDEN, establishment=directory["college"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=R.HEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=R.ACADEMIE, department=department("93"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=R.ACADEMIE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=R.NATIONAL, academy=department("93").academy)


def test_same_role_on_same_scope_is_held_once(directory):
    user = member(role=R.STAFF, establishment=directory["college"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=R.STAFF, establishment=directory["college"])


def test_form_validation_names_the_wrong_scope_in_french(directory):
    membership = Membership(user=UserFactory(), role=R.MLDS, department=department("93"))
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert error.value.message_dict["district"] == ["Ce périmètre est obligatoire pour ce rôle."]
    assert error.value.message_dict["department"] == ["Ce périmètre ne s'applique pas à ce rôle."]


def test_membership_describes_role_and_scope(directory):
    user = member(role=R.MLDS, district=directory["north"])
    membership = user.memberships.get()
    assert str(membership) == "Coordonnateur·rice-conseil MLDS — Nord (93)"
    creteil = department("93").academy
    assert member(role=R.ACADEMIE, academy=creteil).memberships.get().scope_label == (
        "académie de Créteil"
    )
    assert member(role=R.NATIONAL).memberships.get().scope_label == "Toutes les académies"

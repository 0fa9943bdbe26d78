"""One scope per role (projects.rules.SCOPES), read three ways: the sheets a membership covers
(lists), whether it covers a loaded sheet (rules), and who covers a sheet (e-mail recipients).
The three must agree, for every role and every kind of sheet."""

import itertools

import pytest
from django.utils import timezone

from projects.models import Establishment, Membership, ProjectSheet
from projects.rules import (
    SCOPES,
    Reach,
    carrier_team,
    reach_of,
    sheets_visible_to,
    users_covering,
)
from tests.factories import (
    DistrictFactory,
    EstablishmentFactory,
    NetworkFactory,
    SheetFactory,
    department,
    member,
)

pytestmark = pytest.mark.django_db
R = Membership.Role
S = ProjectSheet.Status


@pytest.fixture
def world():
    """Two districts of 93 and one of 94; a network spanning both districts of 93; sheets of
    establishments and of the network, drafts and filed; one membership of every role."""
    district, other_district = DistrictFactory(), DistrictFactory()
    far = DistrictFactory(department=department("94"))
    college = EstablishmentFactory(district=district)
    lycee = EstablishmentFactory(district=district, lycee=True)
    beyond = EstablishmentFactory(district=other_district)
    in_94 = EstablishmentFactory(department=department("94"), district=far)
    network = NetworkFactory(members=[college, beyond])
    sheets = {
        "college draft": SheetFactory(establishment=college),
        "college filed": SheetFactory(establishment=college),
        "lycee filed": SheetFactory(establishment=lycee),
        "beyond filed": SheetFactory(establishment=beyond),
        "94 filed": SheetFactory(establishment=in_94),
        "network draft": SheetFactory(establishment=None, network=network),
        "network filed": SheetFactory(establishment=None, network=network),
    }
    # The states are set directly: only who covers what is under test here.
    filed = [s.pk for name, s in sheets.items() if name.endswith("filed")]
    ProjectSheet.objects.filter(pk__in=filed).update(
        status=S.IN_REVIEW, submitted_at=timezone.now()
    )
    scopes = [
        {"role": R.STAFF, "establishment": college},
        {"role": R.HEAD, "establishment": lycee},
        {"role": R.NETWORK_LEAD, "network": network},
        {"role": R.MLDS, "district": district},
        {"role": R.MLDS, "district": other_district},
        {"role": R.DSDEN, "department": department("93")},
        {"role": R.DSDEN, "department": department("94")},
        {"role": R.ACADEMIE, "academy": department("93").academy},
    ]
    users = [member(**scope) for scope in scopes]
    memberships = [user.memberships.get() for user in users]
    loaded = ProjectSheet.objects.select_related("establishment", "network")
    return {name: loaded.get(pk=s.pk) for name, s in sheets.items()}, memberships


def test_the_three_readings_of_each_scope_agree(world):
    sheets, memberships = world
    for membership, (name, sheet) in itertools.product(memberships, sheets.items()):
        scope = SCOPES[membership.role]
        listed = ProjectSheet.objects.filter(scope.sheets(membership), pk=sheet.pk).exists()
        holders = Membership.objects.filter(scope.holders(sheet), role=membership.role)
        case = f"{membership.role} {membership.scope} / {name}"
        assert scope.covers(membership, sheet) == listed, case
        assert holders.filter(pk=membership.pk).exists() == listed, case


def test_each_role_sees_its_scope(world):
    sheets, memberships = world
    seen = {
        f"{m.role} {m.scope}": {
            name
            for name, sheet in sheets.items()
            if sheets_visible_to(m.user).filter(pk=sheet.pk).exists()
        }
        for m in memberships
    }
    staff, head, lead, mlds, mlds_beyond, dsden, dsden_94, academie = seen.values()
    assert staff == {"college draft", "college filed"}
    assert head == {"lycee filed"}
    # The network's own sheets, and the filed sheets of its members.
    assert lead == {"network draft", "network filed", "college filed", "beyond filed"}
    # The district's sheets, drafts included, and those of networks with members there.
    assert mlds == {
        "college draft",
        "college filed",
        "lycee filed",
        "network draft",
        "network filed",
    }
    assert mlds_beyond == {"beyond filed", "network draft", "network filed"}
    assert dsden == {"college filed", "lycee filed", "beyond filed", "network filed"}
    assert dsden_94 == {"94 filed"}
    assert academie == set(sheets)


def test_e_mail_recipients_are_the_users_who_cover_the_sheet(world):
    sheets, memberships = world
    staff, head, lead, mlds, _mlds_beyond, dsden, _dsden_94, academie = (
        m.user for m in memberships
    )
    college_filed = sheets["college filed"]
    assert list(users_covering(college_filed, R.DSDEN)) == [dsden]
    assert list(users_covering(college_filed, R.NETWORK_LEAD)) == [lead]
    assert list(users_covering(college_filed, R.MLDS)) == [mlds]
    assert list(users_covering(sheets["college draft"], R.DSDEN, R.NETWORK_LEAD)) == []
    assert list(users_covering(sheets["lycee filed"], R.HEAD)) == [head]
    assert list(users_covering(college_filed, R.ACADEMIE)) == [academie]
    # The carrier's team: the establishment's staff and head, or the network's lead.
    assert list(carrier_team(college_filed, R.STAFF, R.HEAD)) == [staff]
    assert list(carrier_team(sheets["network draft"], R.STAFF, R.HEAD)) == [lead]
    # An inactive user hears of nothing.
    dsden.is_active = False
    dsden.save(update_fields=["is_active"])
    assert list(users_covering(college_filed, R.DSDEN)) == []


def test_the_reach_of_each_scope_spans_the_sheets_it_lists(world):
    """What a list offers to narrow (``reach_of``): the départements, districts and kinds of
    the establishments of every sheet the scope lists, and drafts unless it lists none."""
    sheets, memberships = world
    for membership in memberships:
        reach = reach_of(membership.user)
        listed = ProjectSheet.objects.filter(SCOPES[membership.role].sheets(membership))
        case = f"{membership.role} {membership.scope}"
        assert reach.drafts or not listed.filter(status=S.DRAFT).exists(), case
        for sheet in listed.exclude(establishment=None).select_related("establishment"):
            establishment = sheet.establishment
            assert reach.departments is None or establishment.department_id in reach.departments
            assert reach.districts is None or establishment.district_id in reach.districts
            assert reach.kinds is None or establishment.kind in reach.kinds, case


def test_the_reach_of_a_dsden_is_its_departments_districts_and_kinds(world):
    sheets, memberships = world
    college, lycee, beyond = (
        sheets[name].establishment for name in ("college filed", "lycee filed", "beyond filed")
    )
    staff, _head, _lead, _mlds, _beyond, dsden, _dsden_94, academie = memberships
    reach = reach_of(dsden.user)
    assert reach.departments == {college.department_id}
    assert reach.districts == {college.district_id, beyond.district_id}
    assert reach.kinds == {college.kind, lycee.kind} and not reach.drafts
    reach = reach_of(staff.user)
    assert (reach.departments, reach.districts, reach.kinds, reach.drafts) == (
        {college.department_id},
        {college.district_id},
        {college.kind},
        True,
    )
    creteil = Establishment.objects.filter(department__academy=academie.academy)
    reach = reach_of(academie.user)  # its académie's établissements
    assert reach.departments == set(creteil.values_list("department_id", flat=True))
    assert reach.drafts
    ministry = member(role=R.NATIONAL)
    assert reach_of(ministry) == Reach(None, None, None, drafts=True)  # everything

"""Every transition × every role × every source state: allowed or refused, and what changed."""

from decimal import Decimal

import pytest

from aps.models import User
from projects.models import ProjectSheet
from reviews.models import SheetEvent
from reviews.workflow import services
from reviews.workflow.table import TRANSITIONS

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status

PERSONAS = [
    "staff.college@aps.test",
    "chef.college@aps.test",
    "chef.lycee@aps.test",
    "foquale@aps.test",
    "mlds@aps.test",
    "dsden93@aps.test",
    "dsden94@aps.test",
    "academie@aps.test",
]
ALLOWED = {
    "submit": {"chef.college@aps.test"},
    "prevalidate": {"foquale@aps.test"},
    "request_info": {"dsden93@aps.test"},
    "resubmit": {"chef.college@aps.test"},
    "validate": {"dsden93@aps.test"},
    "reject": {"dsden93@aps.test"},
    "reopen": {"dsden93@aps.test", "academie@aps.test"},
    "withdraw": {"chef.college@aps.test"},
}
ARGUMENTS = {
    "submit": {},
    "prevalidate": {"value": "favorable", "comment": "Avis du comité"},
    "request_info": {"comment": "Précisez le calendrier", "sections": ["calendar"]},
    "resubmit": {"answer": "Calendrier précisé"},
    "validate": {"euros": Decimal("0"), "hse": Decimal("20"), "imp": Decimal("0")},
    "reject": {"comment": "Hors champ"},
    "reopen": {"reason": "Erreur de saisie"},
    "withdraw": {},
}


@pytest.mark.parametrize("name", list(TRANSITIONS))
@pytest.mark.parametrize("state", list(S.values))
def test_transition_matrix(demo, today, name, state):
    transition = TRANSITIONS[name]
    outcomes = []
    for persona in PERSONAS:
        sheet = complete_sheet(status=state)
        user = User.objects.get(email=persona)
        expected_ok = state in transition.sources and persona in ALLOWED[name]
        try:
            getattr(services, name)(sheet=sheet, by=user, **ARGUMENTS[name])
        except services.ReviewError:
            ok = False
        else:
            ok = True
        sheet.refresh_from_db()
        events = list(SheetEvent.objects.filter(sheet=sheet))
        if ok:
            assert sheet.status == transition.target, (persona, name, state)
            assert [(e.transition, e.from_status, e.to_status, e.actor_id) for e in events] == [
                (name, state, transition.target, user.pk)
            ]
        else:
            assert sheet.status == state and events == [], (persona, name, state)
        outcomes.append((persona, ok, expected_ok))
    assert [o for o in outcomes if o[1] != o[2]] == []

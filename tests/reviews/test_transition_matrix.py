"""Every transition × every role × every source state: allowed or refused, and what changed."""

from decimal import Decimal

import pytest
from django.db import transaction

from aps.models import User
from projects.models import ProjectSheet
from reviews.models import SheetEvent
from reviews.workflow import services
from reviews.workflow.table import TRANSITIONS
from tests.personas import EMAILS

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status

# Who may take each transition (on a sheet of the demo collège, in one of its sources);
# every other persona of tests/personas.py is refused.
ALLOWED = {
    "submit": {"head"},
    "prevalidate": {"network"},
    "request_info": {"dsden"},
    "resubmit": {"head"},
    "validate": {"dsden"},
    "reject": {"dsden"},
    "reopen": {"dsden", "academie"},
    "withdraw": {"head"},
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


class _RollBack(Exception):
    pass


@pytest.mark.parametrize("name", list(TRANSITIONS))
@pytest.mark.parametrize("state", list(S.values))
def test_transition_matrix(personas, today, name, state):
    """One sheet in ``state`` (reached through the workflow); each persona's attempt is rolled
    back, so that the next one meets the same sheet."""
    transition = TRANSITIONS[name]
    sheet = complete_sheet(state=state)
    history = set(SheetEvent.objects.filter(sheet=sheet).values_list("pk", flat=True))
    outcomes = []
    for persona, email in EMAILS.items():
        user = User.objects.get(email=email)
        expected_ok = state in transition.sources and persona in ALLOWED[name]
        try:
            with transaction.atomic():
                try:
                    getattr(services, name)(sheet=sheet, by=user, **ARGUMENTS[name])
                except services.ReviewError:
                    ok = False
                else:
                    ok = True
                sheet.refresh_from_db()
                events = list(SheetEvent.objects.filter(sheet=sheet).exclude(pk__in=history))
                if ok:
                    assert sheet.status == transition.target, (persona, name, state)
                    assert [
                        (e.transition, e.from_status, e.to_status, e.actor_id) for e in events
                    ] == [(name, state, transition.target, user.pk)]
                else:
                    assert sheet.status == state and events == [], (persona, name, state)
                raise _RollBack
        except _RollBack:
            pass
        sheet.refresh_from_db()
        outcomes.append((persona, ok, expected_ok))
    assert [o for o in outcomes if o[1] != o[2]] == []

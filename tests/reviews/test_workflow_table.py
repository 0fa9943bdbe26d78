"""The workflow's table says everything about the workflow: its groups of states and
transitions follow from its rows, and the database keeps every filed sheet dated."""

import pytest
from django.db import IntegrityError, transaction

from projects.models import ProjectSheet
from reviews.workflow import table
from reviews.workflow.table import TRANSITIONS
from tests.factories import SheetFactory

S = ProjectSheet.Status


def reachable_from(state: str) -> set[str]:
    seen, todo = set(), [state]
    while todo:
        current = todo.pop()
        for transition in TRANSITIONS.values():
            if current in transition.sources:
                for target in transition.targets - seen:
                    seen.add(target)
                    todo.append(target)
    return seen


def test_every_state_is_reached_and_every_transition_leaves_a_state():
    assert reachable_from(S.DRAFT) | {S.DRAFT} == set(S.values)
    for transition in TRANSITIONS.values():
        assert transition.sources and transition.target in S.values
        assert transition.target not in transition.sources


def test_submit_declares_its_shortcut_to_the_dsden():
    submit = TRANSITIONS["submit"]
    assert submit.targets == {S.SUBMITTED, S.IN_REVIEW}
    assert all(t.shortcut is None for name, t in TRANSITIONS.items() if name != "submit")


def test_the_groups_follow_from_the_table():
    # Filed: every state a submission leads to, but a withdrawal (a draft may be withdrawn).
    assert reachable_from(S.DRAFT) - {S.WITHDRAWN} == table.FILED
    assert {S.DRAFT, S.NEEDS_INFO} == table.EDITABLE
    for answer in table.ANSWERS:
        assert TRANSITIONS[answer].sources == table.AWAITING_ANSWER
    assert set(table.ANSWER_STANDING) == {*table.ANSWERS, "reopen"}
    # An arrival at the DSDEN leads where the DSDEN may answer.
    for name in table.ARRIVALS:
        assert TRANSITIONS[name].targets & table.AWAITING_ANSWER, name
    assert {TRANSITIONS["validate"].target} == table.GRANT_STANDS


@pytest.mark.django_db
def test_the_database_refuses_a_filed_sheet_without_its_first_submission():
    sheet = SheetFactory()
    for state in table.FILED:
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectSheet.objects.filter(pk=sheet.pk).update(status=state)
    # A draft, and a draft withdrawn before it was ever filed, have none.
    ProjectSheet.objects.filter(pk=sheet.pk).update(status=S.WITHDRAWN)
    assert ProjectSheet.objects.get(pk=sheet.pk).submitted_at is None

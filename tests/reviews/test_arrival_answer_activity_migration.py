"""reviews 0007 on data written by the code before it: each sheet's arrival at the DSDEN, first
answer and last news are read from its history; a value already written is kept; a draft
with no history stays empty."""

import datetime

import pytest

from tests.factories import SheetFactory, UserFactory

from .test_filed_dated_migration import leaves, migrate

BEFORE = [
    ("projects", "0024_sheet_arrival_answer_activity"),
    ("reviews", "0006_desk_notes_messages_commissions"),
]


def day(n: int) -> datetime.datetime:
    return datetime.datetime(2024, 5, 10, 9, tzinfo=datetime.UTC) + datetime.timedelta(days=n)


@pytest.fixture
def before(transactional_db):
    """The database as the previous code left it; every app migrated to its end afterwards."""
    sheets, actor = SheetFactory.create_batch(4), UserFactory()
    old = migrate(BEFORE)
    yield old, [sheet.pk for sheet in sheets], actor.pk
    migrate(leaves())


def test_arrival_first_answer_and_news_are_read_from_the_history(before):
    old, (answered, waiting, kept, draft), actor = before
    ProjectSheet = old.get_model("projects", "ProjectSheet")
    OldEvent = old.get_model("reviews", "SheetEvent")

    def event(sheet, moment, transition="", kind="transition"):
        OldEvent.objects.create(
            sheet_id=sheet, kind=kind, transition=transition, actor_id=actor, created_at=day(moment)
        )

    ProjectSheet.objects.filter(pk__in=[answered, waiting, kept]).update(
        status="in_review", submitted_at=day(0)
    )
    # Answered, sent back, answered again, reopened; then advised.
    for moment, transition in enumerate(
        ["submit", "prevalidate", "request_info", "resubmit", "validate", "reopen"]
    ):
        event(answered, moment, transition)
    event(answered, 7, kind="advice")
    # Waiting for its first answer; a bilan of an earlier life counts as news, not arrival.
    event(waiting, 0, "submit")
    event(waiting, 3, kind="bilan")
    # Written by the workflow already: kept.
    event(kept, 0, "submit")
    ProjectSheet.objects.filter(pk=kept).update(arrived_at=day(9))

    new = migrate(leaves())
    sheets = new.get_model("projects", "ProjectSheet").objects.in_bulk()
    assert (
        sheets[answered].arrived_at,
        sheets[answered].first_answered_at,
        sheets[answered].activity_at,
    ) == (day(5), day(2), day(7))
    assert (
        sheets[waiting].arrived_at,
        sheets[waiting].first_answered_at,
        sheets[waiting].activity_at,
    ) == (day(0), None, day(3))
    assert (sheets[kept].arrived_at, sheets[kept].activity_at) == (day(9), day(0))
    assert (
        sheets[draft].arrived_at,
        sheets[draft].first_answered_at,
        sheets[draft].activity_at,
    ) == (None, None, None)

    # Backwards: nothing to undo, the columns go with projects 0024.
    old = migrate(BEFORE)
    assert old.get_model("projects", "ProjectSheet").objects.get(pk=answered).arrived_at == day(5)

"""projects 0011 and reviews 0005 on data written by the code before them: a filed sheet that
lacks its first submission's date gets the closest known one before the constraint that
requires it; an opinion's stored label is dropped (shown from its key), and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews.models import SheetEvent
from tests.factories import SheetFactory, UserFactory

BEFORE = [
    ("projects", "0010_establishment_search_text"),
    ("reviews", "0004_section_keys"),
]


def migrate(targets):
    """Migrate to ``targets``; returns the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # read what was just applied
    return executor.loader.project_state(targets).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before(transactional_db):
    """The database as the previous code left it; every app migrated to its end afterwards."""
    sheet, actor = SheetFactory(), UserFactory()
    old = migrate(BEFORE)
    yield old, sheet.pk, actor.pk
    migrate(leaves())


def test_undated_filed_sheets_are_dated_and_opinion_labels_dropped(before):
    old, sheet, actor = before
    ProjectSheet = old.get_model("projects", "ProjectSheet")
    OldEvent = old.get_model("reviews", "SheetEvent")
    ProjectSheet.objects.filter(pk=sheet).update(status="in_review", submitted_at=None)
    last_change = ProjectSheet.objects.get(pk=sheet).updated_at
    opinion = OldEvent.objects.create(
        sheet_id=sheet,
        kind="transition",
        transition="prevalidate",
        actor_id=actor,
        details={"opinion": "reserve", "opinion_label": "Réservé"},
    )

    new = migrate(leaves())
    assert new.get_model("projects", "ProjectSheet").objects.get(pk=sheet).submitted_at == (
        last_change
    )
    event = SheetEvent.objects.get(pk=opinion.pk)
    assert event.details == {"opinion": "reserve"}
    assert event.opinion_label == "Réservé"

    old = migrate(BEFORE)
    OldEvent = old.get_model("reviews", "SheetEvent")
    assert OldEvent.objects.get(pk=opinion.pk).details == {
        "opinion": "reserve",
        "opinion_label": "Réservé",
    }

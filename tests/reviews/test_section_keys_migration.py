"""reviews 0004 on data written by the code before it: the sections a request for precisions
named (and its event's details) become keys, a bilan event loses its stored label; and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import SheetFactory, UserFactory

BEFORE = [("reviews", "0003_copy_first_submission_to_sheets")]
AFTER = [("reviews", "0004_section_keys")]


def migrate(targets):
    """Migrate to ``targets``; returns the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # read what was just applied
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0003(transactional_db):
    """The database as the previous code left it; every app migrated to its end afterwards."""
    sheet, actor = SheetFactory(), UserFactory()
    old = migrate(BEFORE)
    yield old, sheet.pk, actor.pk
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_titles_become_keys_and_back(at_0003):
    old, sheet, actor = at_0003
    InfoRequest = old.get_model("reviews", "InfoRequest")
    SheetEvent = old.get_model("reviews", "SheetEvent")
    titles = ["Champ et typologie", "Calendrier", "Pièces jointes", "Estimation du coût"]
    request = InfoRequest.objects.create(
        sheet_id=sheet,
        comment="Précisez",
        sections=[*titles, "Rubrique inconnue"],
        requested_by_id=actor,
        snapshot={},
    )
    empty = InfoRequest.objects.create(
        sheet_id=sheet, comment="Rien de précis", requested_by_id=actor, snapshot={}
    )
    asked = SheetEvent.objects.create(
        sheet_id=sheet,
        kind="transition",
        transition="request_info",
        actor_id=actor,
        details={"sections": titles, "due_date": None},
    )
    bilan = SheetEvent.objects.create(
        sheet_id=sheet,
        kind="bilan",
        actor_id=actor,
        details={"stage": "final", "stage_label": "Bilan final", "late": True},
    )

    new = migrate(AFTER)
    InfoRequest = new.get_model("reviews", "InfoRequest")
    SheetEvent = new.get_model("reviews", "SheetEvent")
    keys = ["typology", "calendar", "attachments", "estimate"]
    assert InfoRequest.objects.get(pk=request.pk).sections == [*keys, "Rubrique inconnue"]
    assert InfoRequest.objects.get(pk=empty.pk).sections == []
    assert SheetEvent.objects.get(pk=asked.pk).details == {"sections": keys, "due_date": None}
    assert SheetEvent.objects.get(pk=bilan.pk).details == {"stage": "final", "late": True}

    old = migrate(BEFORE)
    InfoRequest = old.get_model("reviews", "InfoRequest")
    SheetEvent = old.get_model("reviews", "SheetEvent")
    assert InfoRequest.objects.get(pk=request.pk).sections == [*titles, "Rubrique inconnue"]
    assert SheetEvent.objects.get(pk=asked.pk).details["sections"] == titles
    assert SheetEvent.objects.get(pk=bilan.pk).details == {
        "stage": "final",
        "stage_label": "Bilan final",
        "late": True,
    }

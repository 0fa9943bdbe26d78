"""Store keys, not French titles: the sections named by a request for precisions (and by its
event's details) become keys of projects.sections; a bilan event keeps its stage's key only,
its label being shown from Bilan.Stage.

The titles are written here as the application showed them when this migration was written,
so that it reads old data the same way whatever the registry says later. A value matching no
title is kept as it is (and shown as it is).
"""

from django.db import migrations

KEYS = {
    "Identification de l'action": "header",
    "Diagnostic": "diagnostic",
    "Champ et typologie": "typology",
    "Champ et typologie d'action": "typology",
    "Objectifs de l'action": "objectives",
    "Critères d'évaluation": "criteria",
    "Public ciblé et moyens de repérage": "public",
    "Modalités organisationnelles": "organisation",
    "Calendrier": "calendar",
    "Personnels mobilisés": "staff",
    "Partenaires associés": "partners",
    "Moyens demandés à la DSDEN": "means",
    "Pièces jointes": "attachments",
    "Estimation du coût": "estimate",
}
# Back to the titles the previous code stored (its own wording of the typology section).
TITLES = {key: title for title, key in KEYS.items() if title != "Champ et typologie d'action"}
STAGE_LABELS = {"intermediaire": "Bilan intermédiaire financier", "final": "Bilan final"}


def _convert(apps, names: dict) -> None:
    InfoRequest = apps.get_model("reviews", "InfoRequest")
    SheetEvent = apps.get_model("reviews", "SheetEvent")
    for request in InfoRequest.objects.only("sections"):
        converted = [names.get(value, value) for value in request.sections]
        if converted != request.sections:
            request.sections = converted
            request.save(update_fields=["sections"])
    for event in SheetEvent.objects.filter(transition="request_info").only("details"):
        sections = event.details.get("sections") or []
        converted = [names.get(value, value) for value in sections]
        if converted != sections:
            event.details = {**event.details, "sections": converted}
            event.save(update_fields=["details"])


def titles_to_keys(apps, schema_editor):
    _convert(apps, KEYS)
    SheetEvent = apps.get_model("reviews", "SheetEvent")
    for event in SheetEvent.objects.filter(kind="bilan").only("details"):
        if "stage_label" in event.details:
            event.details = {k: v for k, v in event.details.items() if k != "stage_label"}
            event.save(update_fields=["details"])


def keys_to_titles(apps, schema_editor):
    _convert(apps, TITLES)
    SheetEvent = apps.get_model("reviews", "SheetEvent")
    for event in SheetEvent.objects.filter(kind="bilan").only("details"):
        stage = event.details.get("stage")
        if stage in STAGE_LABELS and "stage_label" not in event.details:
            event.details = {**event.details, "stage_label": STAGE_LABELS[stage]}
            event.save(update_fields=["details"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_copy_first_submission_to_sheets")]

    operations = [migrations.RunPython(titles_to_keys, keys_to_titles)]

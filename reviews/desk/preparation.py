"""The reviewers' preparation of a département's sheets: who is in charge of a sheet, who
follows it, and the département's labels. Every write of the desk but the commissions'
(``reviews.desk.commissions``); none of it is ever shown outside the reviewers."""

from django.db import IntegrityError, transaction

from projects.models import Department, ProjectSheet

from . import rules
from .models import Assignment, Follow, Label, SheetLabel

DEFAULT_LABELS = (
    ("Prêt pour la commission", Label.Colour.GREEN),
    ("À revoir", Label.Colour.ORANGE),
    ("Dossier incomplet", Label.Colour.PINK),
)


class DeskError(Exception):
    """A refused preparation; the message is French and shown to the user."""


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise DeskError(message)


ONLY_REVIEWERS = "Seules la DSDEN du département et l'académie préparent ce projet."


# --- Assignment and follows -------------------------------------------------------------


@transaction.atomic
def assign(*, sheet: ProjectSheet, by, reviewer) -> Assignment | None:
    """Put ``reviewer`` in charge of ``sheet`` (``None``: nobody)."""
    _require(rules.can_prepare(by, sheet), ONLY_REVIEWERS)
    if reviewer is None:
        Assignment.objects.filter(sheet=sheet).delete()
        return None
    _require(
        rules.reviewers_of(sheet.department).filter(pk=reviewer.pk).exists(),
        f"{reviewer} n'instruit pas les projets du département {sheet.department.code}.",
    )
    assignment, _ = Assignment.objects.update_or_create(
        sheet=sheet, defaults={"reviewer": reviewer, "assigned_by": by}
    )
    return assignment


def follow(*, sheet: ProjectSheet, by, on: bool = True) -> None:
    """Follow (or stop following) a sheet: it is then among "Mes dossiers"."""
    _require(rules.can_prepare(by, sheet), ONLY_REVIEWERS)
    if not on:
        Follow.objects.filter(sheet=sheet, user=by).delete()
        return
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(sheet=sheet, user=by)
    except IntegrityError:  # followed meanwhile, from another tab
        pass


# --- Labels ---------------------------------------------------------------------------


@transaction.atomic
def label_create(*, department: Department, by, name: str, colour: str) -> Label:
    _require(
        rules.can_manage_labels(by, department),
        "Seules la DSDEN du département et l'académie définissent ses étiquettes.",
    )
    name = " ".join((name or "").split())
    _require(bool(name), "Le nom de l'étiquette est obligatoire.")
    _require(len(name) <= 60, "Le nom de l'étiquette dépasse 60 caractères.")
    _require(colour in Label.Colour.values, "Choisissez une couleur de la liste.")
    _require(
        not Label.objects.filter(department=department, name__iexact=name).exists(),
        f"Le département {department.code} a déjà une étiquette «\u00a0{name}\u00a0».",
    )
    try:
        with transaction.atomic():
            return Label.objects.create(department=department, name=name, colour=colour)
    except IntegrityError:  # created meanwhile by a colleague
        raise DeskError(
            f"Le département {department.code} a déjà une étiquette «\u00a0{name}\u00a0»."
        ) from None


@transaction.atomic
def label_delete(*, label: Label, by) -> None:
    _require(
        rules.can_manage_labels(by, label.department),
        "Seules la DSDEN du département et l'académie suppriment ses étiquettes.",
    )
    label.delete()


def default_labels_create(department: Department) -> None:
    """The labels every département starts with (the demo's, and a new département's)."""
    for name, colour in DEFAULT_LABELS:
        Label.objects.get_or_create(department=department, name=name, defaults={"colour": colour})


@transaction.atomic
def sheet_labels_set(*, sheet: ProjectSheet, by, labels) -> None:
    """The labels of one sheet become ``labels`` (labels of its département)."""
    _require(rules.can_prepare(by, sheet), ONLY_REVIEWERS)
    labels = list(labels)
    _require(
        all(label.department_id == sheet.department_id for label in labels),
        "Une étiquette d'un autre département ne s'applique pas à ce projet.",
    )
    wanted = {label.pk for label in labels}
    SheetLabel.objects.filter(sheet=sheet).exclude(label__in=wanted).delete()
    present = set(SheetLabel.objects.filter(sheet=sheet).values_list("label_id", flat=True))
    SheetLabel.objects.bulk_create(
        [SheetLabel(sheet=sheet, label_id=pk, added_by=by) for pk in wanted - present],
        ignore_conflicts=True,  # set meanwhile by another reviewer: it stays once
    )


@transaction.atomic
def labels_apply(*, sheets, by, label: Label, add: bool = True) -> int:
    """Add (or remove) ``label`` on a selection of sheets, all or none: a sheet the user may
    not prepare, or of another département, refuses the whole selection, naming it. Returns
    how many sheets changed."""
    sheets = list(sheets)
    _require(bool(sheets), "Cochez au moins une fiche de la liste.")
    refused = [
        sheet
        for sheet in sheets
        if not rules.can_prepare(by, sheet) or sheet.department_id != label.department_id
    ]
    _require(
        not refused,
        f"L'étiquette «\u00a0{label.name}\u00a0» (département {label.department.code}) ne "
        "s'applique qu'aux fiches déposées de son département ; elle ne s'applique pas à : "
        + ", ".join(f"{sheet.title} (n°\u00a0{sheet.pk})" for sheet in refused)
        + ". Aucune fiche n'a été modifiée.",
    )
    ids = [sheet.pk for sheet in sheets]
    existing = SheetLabel.objects.filter(label=label, sheet__in=ids)
    if not add:
        count, _ = existing.delete()
        return count
    present = set(existing.values_list("sheet_id", flat=True))
    SheetLabel.objects.bulk_create(
        [SheetLabel(sheet_id=pk, label=label, added_by=by) for pk in ids if pk not in present],
        ignore_conflicts=True,  # set meanwhile by another reviewer: it stays once
    )
    return len([pk for pk in ids if pk not in present])


# --- What the sheet's page shows the reviewers --------------------------------------------


def sheet_panel(user, sheet: ProjectSheet, *, note_form=None) -> dict | None:
    """The reviewers' part of a sheet's page ("Préparation — interne"): who is in charge, who
    follows, its labels, the commissions it is on, the private notes. ``None`` for anyone
    else, who never learns that any of it exists."""
    if not rules.can_prepare(user, sheet):
        return None
    from reviews.workflow.forms import NoteForm
    from reviews.workflow.notes import notes_for

    from .forms import AssignForm, SheetLabelsForm

    assignment = Assignment.objects.filter(sheet=sheet).select_related("reviewer").first()
    labels = Label.objects.filter(department=sheet.department_id).order_by("name")
    chosen = list(labels.filter(pk__in=SheetLabel.objects.filter(sheet=sheet).values("label_id")))
    followers = list(
        Follow.objects.filter(sheet=sheet).select_related("user").order_by("created_at")
    )
    return {
        "assignment": assignment,
        "assign_form": AssignForm(
            initial={"reviewer": assignment.reviewer_id if assignment else None},
            reviewers=rules.reviewers_of(sheet.department),
        ),
        "labels": chosen,
        "labels_form": SheetLabelsForm(initial={"labels": chosen}, labels=labels),
        "has_labels": labels.exists(),
        "followers": [follow.user for follow in followers],
        "is_following": any(follow.user_id == user.pk for follow in followers),
        "commissions": list(sheet.commissions.order_by("-date")),
        "notes": notes_for(user, sheet),
        "note_form": note_form or NoteForm(),
    }

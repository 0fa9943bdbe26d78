"""The reviewers' preparation, posted from a sheet's page or the list: assignment, follows,
labels, private notes; and the page of the département's labels."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aps.permissions import deny_unless
from projects.rules import sheets_visible_to
from projects.selectors import visible_sheet
from reviews.workflow import notes
from reviews.workflow import rules as workflow_rules
from reviews.workflow.forms import NoteForm
from reviews.workflow.services import ReviewError

from . import commissions, preparation, rules
from .forms import AssignForm, LabelForm, SheetLabelsForm
from .models import Label
from .preparation import DeskError
from .sheet_page import sheet_page

PAGE_PREFETCH = ("objectives", "criteria", "attachments")


def _prepared_sheet(request, pk):
    sheet = visible_sheet(request.user, pk, prefetch=PAGE_PREFETCH)
    deny_unless(
        rules.can_prepare(request.user, sheet),
        "Seules la DSDEN du département et l'académie préparent ce projet.",
    )
    return sheet


def _back(sheet, anchor="preparation"):
    return redirect(f"{sheet.get_absolute_url()}#{anchor}")


@require_POST
def note_add(request, pk):
    """A private note, posted from the sheet's page; refused, the page comes back with the
    text as typed and its error."""
    sheet = visible_sheet(request.user, pk, prefetch=PAGE_PREFETCH)
    deny_unless(
        workflow_rules.can_write_note(request.user, sheet),
        "Seules la DSDEN du département et l'académie écrivent des notes internes.",
    )
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            notes.note_add(sheet=sheet, by=request.user, text=form.cleaned_data["text"])
        except ReviewError as error:
            form.add_error("text", str(error))
    if form.errors:
        context = sheet_page(request.user, sheet)
        context["desk"] = preparation.sheet_panel(request.user, sheet, note_form=form)
        return render(request, "reviews/sheet_detail.html", context)
    messages.success(request, "Note interne enregistrée : seules la DSDEN et l'académie la lisent.")
    return _back(sheet, "notes")


@require_POST
def assign(request, pk):
    sheet = _prepared_sheet(request, pk)
    form = AssignForm(request.POST, reviewers=rules.reviewers_of(sheet.department))
    if not form.is_valid():
        messages.error(request, "Choisissez un·e instructeur·rice de la liste.")
        return _back(sheet)
    reviewer = form.cleaned_data["reviewer"]
    preparation.assign(sheet=sheet, by=request.user, reviewer=reviewer)
    messages.success(
        request,
        f"Dossier attribué à {reviewer}." if reviewer else "Le dossier n'est plus attribué.",
    )
    return _back(sheet)


@require_POST
def follow(request, pk):
    sheet = _prepared_sheet(request, pk)
    on = request.POST.get("on", "1") != "0"
    preparation.follow(sheet=sheet, by=request.user, on=on)
    messages.success(
        request,
        "Vous suivez ce dossier : il figure parmi « Mes dossiers »."
        if on
        else "Vous ne suivez plus ce dossier.",
    )
    return _back(sheet)


@require_POST
def sheet_labels(request, pk):
    sheet = _prepared_sheet(request, pk)
    form = SheetLabelsForm(
        request.POST, labels=Label.objects.filter(department=sheet.department_id)
    )
    if not form.is_valid():
        messages.error(request, "Choisissez des étiquettes du département.")
        return _back(sheet)
    preparation.sheet_labels_set(sheet=sheet, by=request.user, labels=form.cleaned_data["labels"])
    messages.success(request, "Étiquettes enregistrées.")
    return _back(sheet)


def _selected_sheets(request):
    """The sheets ticked on the list, among those the user may see (others are ignored)."""
    ids = [value for value in request.POST.getlist("sheets") if value.isdigit()]
    return list(
        sheets_visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("department", "campaign")
        .order_by("pk")
    )


@require_POST
def list_action(request):
    """What the reviewers do to the sheets ticked on the list: add or remove a label, put
    them on a commission's agenda. All or none; back to the list as it was filtered."""
    deny_unless(rules.is_reviewer(request.user))
    query = QueryDict(request.POST.get("query", ""))
    back = redirect(f"{reverse('reviews:sheet_list')}?{query.urlencode()}")
    sheets = _selected_sheets(request)
    action, _, key = request.POST.get("action", "").partition(":")
    try:
        if action in ("label_add", "label_remove"):
            label = Label.objects.filter(
                pk=key if key.isdigit() else None,
                department__in=rules.reviewed_departments(request.user),
            ).first()
            if label is None:
                raise DeskError("Choisissez une étiquette de la liste.")
            count = preparation.labels_apply(
                sheets=sheets, by=request.user, label=label, add=action == "label_add"
            )
            messages.success(
                request,
                f"Étiquette « {label.name} » "
                + ("ajoutée à" if action == "label_add" else "retirée de")
                + f" {count} fiche{'s' if count > 1 else ''}.",
            )
        elif action == "commission":
            commission = (
                commissions.commissions_visible_to(request.user)
                .filter(pk=key if key.isdigit() else None)
                .first()
            )
            if commission is None:
                raise DeskError("Choisissez une commission de la liste.")
            count = commissions.sheets_add(commission=commission, by=request.user, sheets=sheets)
            messages.success(
                request,
                f"{count} fiche{'s' if count > 1 else ''} inscrite{'s' if count > 1 else ''} "
                f"à l'ordre du jour de la commission du {commission.date:%d/%m/%Y} "
                f"({commission.get_means_display()}).",
            )
        else:
            raise DeskError("Choisissez ce qu'il faut faire des fiches cochées.")
    except DeskError as error:
        messages.error(request, str(error))
    return back


def labels(request):
    """The labels of the user's départements: listed, created, deleted."""
    departments = rules.reviewed_departments(request.user)
    deny_unless(departments.exists(), "Seules la DSDEN et l'académie définissent des étiquettes.")
    form = LabelForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            label = preparation.label_create(by=request.user, **form.cleaned_data)
        except DeskError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Étiquette « {label.name} » créée.")
            return redirect("reviews:labels")
    rows = Label.objects.filter(department__in=departments).select_related("department")
    return render(
        request,
        "reviews/labels.html",
        {"form": form, "labels": rows.order_by("department__code", "name")},
    )


@require_POST
def label_delete(request, label_pk):
    label = get_object_or_404(
        Label.objects.filter(department__in=rules.reviewed_departments(request.user)),
        pk=label_pk,
    )
    preparation.label_delete(label=label, by=request.user)
    messages.success(request, f"Étiquette « {label.name} » supprimée de toutes les fiches.")
    return redirect("reviews:labels")

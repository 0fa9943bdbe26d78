from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from aps.models import AccountState
from aps.permissions import deny_unless
from aps.post_keeper import keeps_post_across_login, restore_post

from . import accounts, rules, services
from .checklist import missing_by_section
from .filters import EstablishmentFilter
from .forms import AttachmentForm, SheetForm, TeamInviteForm
from .models import Establishment, Membership
from .pending import pending_request
from .selectors import establishment_sheets, visible_sheet

DIRECTORY_PAGE_SIZE = 25


def establishment_list(request):
    """The directory is public information: every signed-in user may browse it."""
    queryset = Establishment.objects.select_related("department", "district").order_by(
        "sort_name", "uai"
    )
    establishment_filter = EstablishmentFilter(request.GET, queryset=queryset)
    page = Paginator(establishment_filter.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/establishment_list.html",
        {"filter": establishment_filter, "page_obj": page},
    )


def _establishment(uai: str) -> Establishment:
    return get_object_or_404(
        Establishment.objects.select_related("department", "district"), uai=uai.upper()
    )


def establishment_detail(request, uai, *, invite_form=None, status=200):
    """The directory's page of an establishment; for its own people and its overseers, the
    team working on its sheets, which the head manages."""
    establishment = _establishment(uai)
    context = {
        "establishment": establishment,
        "networks": establishment.foquale_networks.select_related("department"),
        "sheets": list(establishment_sheets(request.user, establishment)),
    }
    if rules.can_see_team(request.user, establishment):
        manages = rules.can_manage_team(request.user, establishment)
        context |= {
            "team": accounts.team_of(establishment),
            "manages_team": manages,
            "invite_form": (invite_form or TeamInviteForm()) if manages else None,
            "invitation_days": settings.INVITATION_DAYS,
        }
    return render(request, "projects/establishment_detail.html", context, status=status)


@require_POST
def team_invite(request, uai):
    establishment = _establishment(uai)
    deny_unless(rules.can_manage_team(request.user, establishment))
    form = TeamInviteForm(request.POST)
    if form.is_valid():
        try:
            membership = accounts.team_invite(
                establishment=establishment, by=request.user, **form.cleaned_data
            )
        except accounts.AccountError as error:
            form.add_error("email", str(error))
        else:
            user = membership.user
            invited = user.state == AccountState.INVITED
            messages.success(
                request,
                f"{user.full_name} rejoint l'équipe"
                + (f" : une invitation est envoyée à {user.email}." if invited else "."),
            )
            return redirect(f"{establishment.get_absolute_url()}#equipe")
    return establishment_detail(request, uai, invite_form=form, status=400)


def _team_member(request, uai, membership_pk):
    establishment = _establishment(uai)
    deny_unless(rules.can_manage_team(request.user, establishment))
    membership = get_object_or_404(
        accounts.team_of(establishment), pk=membership_pk, role=Membership.Role.STAFF
    )
    return establishment, membership


@require_POST
def team_remove(request, uai, membership_pk):
    establishment, membership = _team_member(request, uai, membership_pk)
    accounts.team_remove(membership=membership, by=request.user)
    messages.success(
        request,
        f"{membership.user.full_name} ne fait plus partie de l'équipe ; son nom reste dans "
        "l'historique des fiches.",
    )
    return redirect(f"{establishment.get_absolute_url()}#equipe")


@require_POST
def team_reinvite(request, uai, membership_pk):
    establishment, membership = _team_member(request, uai, membership_pk)
    try:
        accounts.invite(user=membership.user, by=request.user)
    except accounts.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation renvoyée à {membership.user.email}.")
    return redirect(f"{establishment.get_absolute_url()}#equipe")


@keeps_post_across_login
def sheet_create(request):
    carriers = rules.carriers_for(request.user)
    deny_unless(bool(carriers))
    data = request.POST if request.method == "POST" else restore_post(request)
    form = SheetForm(data, carriers=carriers, campaign=rules.current_campaign())
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.sheet_create(
                carrier=form.chosen_carrier(),
                by=request.user,
                content=form.content(),
                objectives=form.objectives(),
                criteria=form.criteria(),
                is_renewal=form.cleaned_data["is_renewal"],
            )
        except services.SheetError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, "Brouillon enregistré. Vous pouvez le compléter à tout moment."
            )
            return redirect("projects:sheet_edit", pk=sheet.pk)
    return render(
        request,
        "projects/sheet_form.html",
        {"form": form, "sheet": None, "restored": data is not None and request.method == "GET"},
    )


@keeps_post_across_login
def sheet_edit(request, pk):
    sheet = visible_sheet(request.user, pk)
    deny_unless(rules.can_edit_sheet(request.user, sheet))
    pending = pending_request(request.user, sheet)
    data = request.POST if request.method == "POST" else restore_post(request)
    form = SheetForm(data, instance=sheet, asked_sections=pending.sections if pending else ())
    if request.method == "POST" and form.is_valid():
        try:
            services.sheet_update(
                sheet=sheet,
                by=request.user,
                content=form.content(),
                objectives=form.objectives(),
                criteria=form.criteria(),
                is_renewal=form.cleaned_data.get("is_renewal"),
                opened_version=form.cleaned_data.get("version"),
            )
        except services.SheetChangedMeanwhile as error:
            messages.error(request, str(error))
            return _edit_page(request, sheet, form, pending=pending, conflict=True)
        except services.SheetError as error:
            messages.error(request, str(error))
            return redirect(sheet)
        messages.success(request, SAVED.get(sheet.status, SAVED["draft"]))
        return redirect("projects:sheet_edit", pk=sheet.pk)
    return _edit_page(
        request,
        sheet,
        form,
        pending=pending,
        restored=data is not None and request.method == "GET",
    )


# What a save says, by the state the sheet is edited in.
SAVED = {
    "draft": "Brouillon enregistré.",
    "needs_info": "Modifications enregistrées. Une fois la fiche complétée, renvoyez-la à la "
    "DSDEN avec votre réponse.",
}


def _edit_page(
    request, sheet, form, *, attachment_form=None, pending=None, restored=False, conflict=False
):
    return render(
        request,
        "projects/sheet_form.html",
        {
            "form": form,
            "sheet": sheet,
            "restored": restored,
            "conflict": conflict,
            "pending": pending,
            "missing": missing_by_section(sheet),
            "attachment_form": attachment_form or AttachmentForm(),
            "attachments": sheet.attachments.all(),
        },
    )


def sheet_delete(request, pk):
    sheet = visible_sheet(request.user, pk)
    deny_unless(rules.can_delete_sheet(request.user, sheet))
    if request.method == "POST":
        try:
            services.sheet_delete(sheet=sheet, by=request.user)
        except services.SheetError as error:
            messages.error(request, str(error))
            return redirect(sheet)
        messages.success(request, f"Le brouillon « {sheet.title or 'sans titre'} » a été supprimé.")
        return redirect("reviews:sheet_list")
    return render(request, "projects/sheet_confirm_delete.html", {"sheet": sheet})


@require_POST
def sheet_renew(request, pk):
    sheet = visible_sheet(request.user, pk)
    deny_unless(rules.can_renew_sheet(request.user, sheet))
    try:
        renewal = services.sheet_renew(sheet=sheet, by=request.user)
    except services.SheetError as error:
        messages.error(request, str(error))
        return redirect(sheet)
    messages.success(
        request,
        "Le renouvellement est créé en brouillon dans la campagne en cours, avec le contenu "
        "de l'an dernier : mettez-le à jour, en particulier le calendrier.",
    )
    return redirect("projects:sheet_edit", pk=renewal.pk)


@require_POST
def attachment_add(request, pk):
    sheet = visible_sheet(request.user, pk)
    deny_unless(rules.can_manage_attachments(request.user, sheet))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                sheet=sheet,
                by=request.user,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except services.SheetError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"« {attachment.original_name} » est joint à la fiche.")
            return redirect("projects:sheet_edit", pk=sheet.pk)
    # Refused: the edit page again, the error said at the top and next to the upload field.
    pending = pending_request(request.user, sheet)
    return _edit_page(
        request,
        sheet,
        SheetForm(instance=sheet, asked_sections=pending.sections if pending else ()),
        attachment_form=form,
        pending=pending,
    )


def attachment_download(request, pk, attachment_pk):
    sheet = visible_sheet(request.user, pk)
    attachment = get_object_or_404(sheet.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
def attachment_delete(request, pk, attachment_pk):
    sheet = visible_sheet(request.user, pk)
    attachment = get_object_or_404(sheet.attachments, pk=attachment_pk)
    deny_unless(rules.can_manage_attachments(request.user, sheet))
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, f"« {attachment.original_name} » a été retiré de la fiche.")
    return redirect("projects:sheet_edit", pk=sheet.pk)

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from aps import clock
from funding.models import Estimate
from funding.services import envelope_use
from projects.models import Campaign, ProjectSheet
from projects.rules import can_create_sheet, current_campaign, memberships_of, sheets_visible_to
from projects.views import check

from . import bilans, dashboards, exports, listing, pdf, rules, services, statistics
from .diff import changes
from .forms import (
    AdviceForm,
    BilanForm,
    OpinionForm,
    ReasonForm,
    RejectForm,
    RequestInfoForm,
    ResubmitForm,
    ValidateForm,
    WithdrawForm,
)
from .models import Bilan, BulkExport

S = ProjectSheet.Status


def _sheet(request, pk):
    return get_object_or_404(
        sheets_visible_to(request.user).select_related(
            "campaign", "department", "establishment__district", "network"
        ),
        pk=pk,
    )


def _done(request, sheet, message):
    messages.success(request, message)
    return redirect(sheet)


def _refused(request, sheet, error):
    messages.error(request, str(error))
    return redirect(sheet)


@require_POST
def submit(request, pk):
    sheet = _sheet(request, pk)
    check(rules.is_head_of(request.user, sheet))  # a sheet submitted meanwhile: the service says so
    try:
        event = services.submit(sheet=sheet, by=request.user)
    except services.ReviewError as error:
        return _refused(request, sheet, error)
    where = (
        "il attend l'avis du réseau FOQUALE"
        if event.to_status == S.SUBMITTED
        else "il est à l'étude à la DSDEN"
    )
    return _done(request, sheet, f"Projet déposé : {where}.")


def _transition_page(request, pk, *, allowed, form_class, run, done, title, intro, submit_label):
    """A page with one form that runs one transition: GET shows it, a valid POST runs it."""
    sheet = _sheet(request, pk)
    check(allowed(request.user, sheet))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(sheet=sheet, by=request.user, **form.cleaned_data)
        except services.ReviewError as error:
            return _refused(request, sheet, error)
        return _done(request, sheet, done)
    return render(
        request,
        "reviews/form_page.html",
        {
            "sheet": sheet,
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "info_request": sheet.info_requests.order_by("-created_at").first()
            if sheet.status == S.NEEDS_INFO
            else None,
        },
    )


def prevalidate(request, pk):
    return _transition_page(
        request,
        pk,
        allowed=rules.can_prevalidate,
        form_class=OpinionForm,
        run=services.prevalidate,
        done="Avis enregistré : le projet est transmis à la DSDEN.",
        title="Avis du comité de pilotage FOQUALE",
        intro="Cet avis et son commentaire sont transmis à la DSDEN avec le projet.",
        submit_label="Enregistrer l'avis",
    )


@require_POST
def advise(request, pk):
    sheet = _sheet(request, pk)
    check(rules.can_advise(request.user, sheet))
    form = AdviceForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, sheet, "Le conseil est vide ou trop long (5000 caractères au plus)."
        )
    services.advise(sheet=sheet, by=request.user, text=form.cleaned_data["text"])
    return _done(request, sheet, "Conseil publié : l'établissement le voit sur la fiche.")


def answer(request, pk):
    """The DSDEN's answer page: the three answers, with everything needed to decide."""
    sheet = _sheet(request, pk)
    check(rules.is_dsden_of(request.user, sheet))
    if not rules.can_answer(request.user, sheet):
        return _refused(request, sheet, services.ALREADY_ANSWERED)
    estimate = Estimate.objects.filter(sheet=sheet).first()
    requested = {
        "euros": estimate.total_euros if estimate else 0,
        "hse": estimate.total_hse if estimate else 0,
        "imp": estimate.total_imp if estimate else 0,
    }
    action = request.POST.get("action") if request.method == "POST" else None
    # Prefixed: three forms on one page must not share their fields' HTML ids.
    forms = {
        "validate": ValidateForm(
            request.POST if action == "validate" else None, requested=requested, prefix="validate"
        ),
        "request_info": RequestInfoForm(
            request.POST if action == "request_info" else None, prefix="info"
        ),
        "reject": RejectForm(request.POST if action == "reject" else None, prefix="reject"),
    }
    if action in forms and forms[action].is_valid():
        try:
            getattr(services, action)(sheet=sheet, by=request.user, **forms[action].cleaned_data)
        except services.ReviewError as error:
            messages.error(request, str(error))
        else:
            return _done(
                request,
                sheet,
                {
                    "validate": "Projet validé : l'établissement est prévenu.",
                    "request_info": "Demande envoyée : l'établissement peut compléter la fiche.",
                    "reject": "Réponse enregistrée : le projet n'est pas validé.",
                }[action],
            )
    last_request = sheet.info_requests.order_by("-created_at").first()
    return render(
        request,
        "reviews/answer.html",
        {
            "sheet": sheet,
            "estimate": estimate,
            "forms": forms,
            "action": action,
            "opinion": sheet.opinions.order_by("-created_at").first(),
            "advice": sheet.advice.select_related("author"),
            "envelope": envelope_use(campaign=sheet.campaign, department=sheet.department),
            "last_request": last_request,
            "changes": changes(last_request.snapshot, services.sheet_snapshot(sheet))
            if last_request and last_request.answered_at
            else [],
            "events": sheet.events.select_related("actor"),
        },
    )


def resubmit(request, pk):
    return _transition_page(
        request,
        pk,
        allowed=rules.can_resubmit,
        form_class=ResubmitForm,
        run=services.resubmit,
        done="Projet renvoyé à la DSDEN avec votre réponse.",
        title="Renvoyer le projet à la DSDEN",
        intro="Complétez d'abord la fiche si besoin, puis répondez à la demande de la DSDEN.",
        submit_label="Renvoyer à la DSDEN",
    )


def reopen(request, pk):
    return _transition_page(
        request,
        pk,
        allowed=rules.can_reopen,
        form_class=ReasonForm,
        run=services.reopen,
        done="Instruction rouverte.",
        title="Rouvrir l'instruction",
        intro="Le projet revient à l'étude à la DSDEN. Le motif figure dans l'historique.",
        submit_label="Rouvrir",
    )


def withdraw(request, pk):
    return _transition_page(
        request,
        pk,
        allowed=rules.can_withdraw,
        form_class=WithdrawForm,
        run=services.withdraw,
        done="Projet retiré.",
        title="Retirer le projet",
        intro="Un projet retiré n'est plus instruit. Cette action est définitive.",
        submit_label="Retirer le projet",
    )


def bilan(request, pk, stage):
    """One stage's bilan, next to the sheet's sections: a form for the establishment's team
    while it is a draft (the head also submits it), read-only for the others."""
    if stage not in Bilan.Stage.values:
        raise Http404
    sheet = _sheet(request, pk)
    current = Bilan.objects.filter(sheet=sheet, stage=stage).select_related("submitted_by").first()
    editable = rules.can_edit_bilan(request.user, sheet, current)
    check(editable or (current is not None and rules.can_view_bilan(request.user, sheet, current)))
    form = BilanForm(request.POST or None, instance=current, stage=stage) if editable else None
    if request.method == "POST":
        check(editable)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("action") != "submit":
                    bilans.save(sheet=sheet, stage=stage, by=request.user, data=data)
                    messages.success(request, "Bilan enregistré. Il reste modifiable.")
                    return redirect("reviews:bilan", pk=sheet.pk, stage=stage)
                current, missing = bilans.save_and_submit(
                    sheet=sheet, stage=stage, by=request.user, data=data
                )
            except services.ReviewError as error:
                messages.error(request, str(error))
            else:
                if not missing:
                    return _done(request, sheet, "Bilan déposé : la DSDEN peut le consulter.")
                for field, message in missing:
                    form.add_error(field, message)
                messages.error(
                    request,
                    "Bilan enregistré, mais incomplet : complétez les champs signalés pour "
                    "le déposer.",
                )
    return render(
        request,
        "reviews/bilan.html",
        {
            "sheet": sheet,
            "stage": stage,
            "stage_label": Bilan.Stage(stage).label,
            "bilan": current,
            "form": form,
            "rows": bilans.rows(stage),
            "due": bilans.due_date(sheet, stage),
            "can_submit": rules.can_submit_bilan(request.user, sheet, current),
            "grant": getattr(sheet, "grant", None),
            "estimate": Estimate.objects.filter(sheet=sheet).first(),
        },
    )


def sheet_pdf(request, pk):
    """The official "Fiche Projet / Bilan" of a sheet, for everyone who can see the sheet."""
    sheet = get_object_or_404(pdf.sheets_for_pdf(sheets_visible_to(request.user)), pk=pk)
    response = HttpResponse(pdf.sheet_pdf(sheet, request.user), content_type="application/pdf")
    name = slugify(f"fiche-projet-{sheet.campaign.school_year}-{sheet.title}")[:80] or "fiche"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _describe(sheet_filter) -> str:
    """The filters of a list, in words ("Campagne : 2024-2025 ; État : Projet validé")."""
    if not sheet_filter.form.is_valid():
        return ""
    parts = []
    for name, value in sheet_filter.form.cleaned_data.items():
        if name == "o" or value in (None, "", []):
            continue
        field = sheet_filter.form[name]
        labels = {str(key): label for key, label in getattr(field.field.widget, "choices", [])}
        values = value if isinstance(value, list | tuple) else [value]
        shown = ", ".join(
            str(labels.get(str(v).lower() if isinstance(v, bool) else str(v), v)) for v in values
        )
        parts.append(f"{field.label} : {shown}")
    return " ; ".join(parts)


@require_POST
def bulk_pdf_request(request):
    """One PDF of every sheet of the list as filtered, built in the background."""
    check(exports.can_export(request.user))
    query = QueryDict(request.POST.get("query", ""))
    sheet_filter = listing.filtered_sheets(request.user, query)
    try:
        export = exports.request_bulk_pdf(
            user=request.user, sheets=sheet_filter.qs, description=_describe(sheet_filter)
        )
    except services.ReviewError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('reviews:sheet_list')}?{query.urlencode()}")
    return redirect("reviews:bulk_export", pk=export.pk)


def bulk_export(request, pk):
    """Where the requester waits for a bulk PDF (the page reloads itself while pending)."""
    export = get_object_or_404(BulkExport.objects.filter(requested_by=request.user), pk=pk)
    return render(
        request,
        "reviews/bulk_export.html",
        {
            "export": export,
            "stalled": exports.is_stalled(export),
            "recent": BulkExport.objects.filter(requested_by=request.user).exclude(pk=pk)[:5],
        },
    )


def bulk_export_download(request, pk):
    check(exports.can_export(request.user))
    export = get_object_or_404(
        BulkExport.objects.filter(requested_by=request.user, state=BulkExport.State.READY), pk=pk
    )
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"fiches-projet-{stamp}.pdf",
        content_type="application/pdf",
    )


SHEETS_PAGE_SIZE = 25


def sheet_list(request):
    """The sheets the user may see, filtered, searched, sorted and paginated."""
    sheet_filter = listing.filtered_sheets(request.user, request.GET)
    page = listing.SheetPaginator(sheet_filter, SHEETS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/sheet_list.html",
        {
            "filter": sheet_filter,
            "page_obj": page,
            "can_create_sheet": can_create_sheet(request.user),
            "query": request.GET.urlencode(),
        },
    )


def sheet_list_export(request):
    """The same filtered list as an .xlsx workbook, one row per sheet."""
    sheet_filter = listing.filtered_sheets(request.user, request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        listing.export_xlsx(sheet_filter.qs),
        as_attachment=True,
        filename=f"fiches-projet-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def home(request):
    """Each role's dashboard: what to do next, in the scope of each membership."""
    campaign = current_campaign()
    today = clock.today()
    return render(
        request,
        "reviews/home.html",
        {
            "campaign": campaign,
            "calendar": dashboards.calendar(campaign, today),
            "panels": dashboards.panels_for(request.user, campaign, today),
            "can_create_sheet": can_create_sheet(request.user),
            "memberships": memberships_of(request.user),
        },
    )


def _statistics_campaign(request):
    year = request.GET.get("campagne")
    campaigns = Campaign.objects.order_by("-school_year")
    chosen = campaigns.filter(school_year=year).first() if year else None
    return chosen or current_campaign() or campaigns.first(), campaigns


def statistics_page(request):
    """Figures of a campaign for the DSDEN (its département) and the académie (all)."""
    check(statistics.can_see_statistics(request.user))
    campaign, campaigns = _statistics_campaign(request)
    figures = statistics.compute(request.user, campaign) if campaign else None
    return render(
        request,
        "reviews/statistics.html",
        {
            "campaign": campaign,
            "campaigns": campaigns,
            "figures": figures,
            "charts": statistics.charts(figures) if figures else {},
        },
    )


def statistics_export(request):
    check(statistics.can_see_statistics(request.user))
    campaign, _campaigns = _statistics_campaign(request)
    if campaign is None:
        raise Http404
    data = statistics.workbook(statistics.compute(request.user, campaign), campaign)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="statistiques-aps-{campaign.school_year}.xlsx"'
    )
    return response

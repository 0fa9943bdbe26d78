"""The read side: home dashboards, the sheet page, the list and its exports, statistics."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aps import clock
from aps.permissions import deny_unless
from aps.text import MAX_QUERY_LENGTH
from projects.academies import academy_id_of_user
from projects.models import Campaign
from projects.rules import can_create_sheet, current_campaign, memberships_of
from projects.selectors import visible_sheet
from reviews.documents import attachments_zip, exports
from reviews.documents.rules import can_download_attachments, can_export
from reviews.workflow import rules as workflow_rules
from reviews.workflow import services as workflow_services
from reviews.workflow.forms import AdviceForm
from reviews.workflow.messages import mark_new
from reviews.workflow.services import ReviewError

from . import dashboards, export, listing, setup, statistics, visits
from .commissions import commissions_visible_to
from .rules import can_see_statistics, sees_opinions_in_list
from .sheet_page import sheet_page


def sheet_detail(request, pk):
    """A sheet's page, for everyone who may see it: the actions shown are the user's own."""
    sheet = visible_sheet(request.user, pk, prefetch=("objectives", "criteria", "attachments"))
    last_seen = visits.record(request.user, sheet)
    context = sheet_page(request.user, sheet) | {"last_seen": last_seen}
    mark_new(context["thread"], context["thread_side"], last_seen)
    return render(request, "reviews/sheet_detail.html", context)


@require_POST
def advise(request, pk):
    """MLDS advice, posted from the sheet's page; here, not with the workflow's pages, because a
    refused advice shows the sheet's page again with the text as typed and its error."""
    sheet = visible_sheet(request.user, pk, prefetch=("objectives", "criteria", "attachments"))
    deny_unless(workflow_rules.can_advise(request.user, sheet))
    form = AdviceForm(request.POST)
    if not form.is_valid():
        context = sheet_page(request.user, sheet) | {"advice_form": form}
        return render(request, "reviews/sheet_detail.html", context)
    workflow_services.advise(sheet=sheet, by=request.user, text=form.cleaned_data["text"])
    messages.success(request, "Conseil publié : l'établissement le voit sur la fiche.")
    return redirect(sheet)


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
    deny_unless(can_export(request.user))
    query = QueryDict(request.POST.get("query", ""))
    sheet_filter = listing.filtered_sheets(request.user, query)
    try:
        export = exports.request_bulk_pdf(
            user=request.user, sheets=sheet_filter.qs, description=_describe(sheet_filter)
        )
    except ReviewError as error:
        messages.error(request, str(error))
        return _back_to_list(query)
    return redirect("reviews:bulk_export", pk=export.pk)


def _back_to_list(query: QueryDict):
    """The list as it was filtered (after a refused export)."""
    back = query.copy()
    if "q" in back:  # the search as the list reads it (aps.text): a bounded address
        back["q"] = back["q"][:MAX_QUERY_LENGTH]
    return redirect(f"{reverse('reviews:sheet_list')}?{back.urlencode()}")


SHEETS_PAGE_SIZE = 25


def sheet_list(request):
    """The sheets the user may see, filtered, searched, sorted and paginated."""
    sheet_filter = listing.filtered_sheets(request.user, request.GET)
    page = listing.SheetPaginator(sheet_filter, SHEETS_PAGE_SIZE).get_page(request.GET.get("page"))
    reviewer = sheet_filter.reviewer is not None
    if reviewer:
        labels = {label.pk: label for label in sheet_filter.reviewer_labels}
        visits.attach_desk(request.user, page.object_list, labels)
    return render(
        request,
        "reviews/sheet_list.html",
        {
            "filter": sheet_filter,
            "page_obj": page,
            "can_create_sheet": can_create_sheet(request.user),
            "query": request.GET.urlencode(),
            "with_opinion": sees_opinions_in_list(request.user),
            "can_download_attachments": can_download_attachments(request.user),
            "reviewer": reviewer,
            "selection": selection_choices(request.user, sheet_filter) if reviewer else None,
        },
    )


def sheet_list_export(request):
    """The same filtered list as an .xlsx workbook, one row per sheet."""
    sheet_filter = listing.filtered_sheets(request.user, request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        export.export_xlsx(sheet_filter.qs, reviewer=sheet_filter.reviewer),
        as_attachment=True,
        filename=f"fiches-projet-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def sheet_list_attachments(request):
    """Every attachment of the list as filtered (scoped and filtered as the list is), in one
    ZIP streamed as it is written; refused with a message on the list when too large."""
    deny_unless(can_download_attachments(request.user))
    sheet_filter = listing.filtered_sheets(request.user, request.GET)
    try:
        entries = attachments_zip.entries(sheet_filter.bare_qs)
    except ReviewError as error:
        messages.error(request, str(error))
        return _back_to_list(request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        attachments_zip.stream(entries), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="pieces-jointes-{stamp}.zip"'
    return response


def selection_choices(user, sheet_filter) -> dict:
    """What the reviewer may do to the sheets ticked on the list: the labels of their
    départements (the filter's), the commissions to come."""
    return {
        "labels": sheet_filter.reviewer_labels,
        "commissions": commissions_visible_to(user)
        .filter(date__gte=clock.today())
        .select_related("department")
        .order_by("date"),
    }


def home(request):
    """Each role's dashboard: what to do next, in the scope of each membership."""
    campaign = current_campaign()
    today = clock.today()
    academy_id = academy_id_of_user(request.user)
    return render(
        request,
        "reviews/home.html",
        {
            "campaign": campaign,
            "calendar": dashboards.calendar(campaign, today, academy_id),
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
    deny_unless(can_see_statistics(request.user))
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
    deny_unless(can_see_statistics(request.user))
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


def setup_page(request):
    """ "Mise en route": what an académie has ready for the current campaign, and what not."""
    academies = setup.academies_set_up_by(request.user)
    deny_unless(bool(academies))
    chosen = request.GET.get("academie")
    academy = next((a for a in academies if a.code == chosen), academies[0])
    campaign = current_campaign()
    steps = setup.steps(academy, campaign)
    return render(
        request,
        "reviews/setup.html",
        {
            "academy_shown": academy,
            "academies": academies,
            "campaign": campaign,
            "steps": steps,
            "ready_count": sum(step.ready for step in steps),
        },
    )

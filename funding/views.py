from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from aps.permissions import deny_unless
from projects.academies import academy_of_user
from projects.models import Attachment, Campaign
from projects.rules import can_edit_sheet, current_campaign, sheets_visible_to

from . import services
from .estimate import hse_figures, imp_euros
from .forms import (
    CofundingFormSet,
    EuroFormSet,
    HseFormSet,
    ImpFormSet,
    WorkbookImportForm,
    fraction_label,
    kept_lines,
)
from .models import Estimate
from .rules import can_see_envelopes, envelopes_visible_to
from .workbook import (
    MAX_LINES,
    XLSX_CONTENT_TYPE,
    WorkbookError,
    build_workbook,
    export_estimate,
)


def _sheet(request, pk):
    return get_object_or_404(
        sheets_visible_to(request.user).select_related("campaign", "establishment", "network"),
        pk=pk,
    )


def _initial(estimate):
    if estimate is None:
        return [], [], []
    hse = [
        {
            f: getattr(line, f)
            for f in ("activity", "speaker", "hour_kind", "weeks", "hours_per_week", "speakers")
        }
        for line in estimate.hse_lines.all()
    ]
    imp = [
        {
            "mission": line.mission,
            "fraction": str(line.fraction.normalize()),
            "beneficiary": line.beneficiary,
        }
        for line in estimate.imp_lines.all()
    ]
    euro = [
        {
            "nature": line.nature,
            "label": line.label,
            "amount": line.amount,
            "quote": line.quote_id,
            "ca_voted_on": line.ca_voted_on,
        }
        for line in estimate.euro_lines.all()
    ]
    return hse, imp, euro


COFUNDING_FIELDS = ("source", "detail", "euros", "hours", "standing")


def _formsets(data, rates, estimate, quotes, sheet):
    hse, imp, euro = _initial(estimate) if data is None else ([], [], [])
    cofunding = (
        [{f: getattr(c, f) for f in COFUNDING_FIELDS} for c in sheet.cofundings.all()]
        if data is None
        else []
    )
    quote_choices = [(quote.pk, quote.original_name) for quote in quotes]
    return (
        HseFormSet(data, initial=hse, prefix="hse"),
        ImpFormSet(data, initial=imp, prefix="imp", form_kwargs={"rates": rates}),
        EuroFormSet(
            data, initial=euro, prefix="euro", form_kwargs={"quote_choices": quote_choices}
        ),
        CofundingFormSet(data, initial=cofunding, prefix="cofunding"),
    )


def _typed_line(form) -> dict | None:
    """The values of one row of a formset, when they make a line: the saved line of an unbound
    row, the cleaned values of a valid bound one; None for a blank, refused or deleted row."""
    if not form.is_bound:
        return form.initial or None
    if not form.has_changed() or form.errors or form.cleaned_data.get("DELETE"):
        return None
    return form.cleaned_data


def _rows(formset, result):
    """Each row of a formset with what its line comes to (None while it is not a line)."""
    return [(form, result(line) if (line := _typed_line(form)) else None) for form in formset.forms]


def _estimate_page(request, sheet, *, formsets=None, import_form=None, status=200):
    rates = services.sheet_rates(sheet)
    current = Estimate.objects.filter(sheet=sheet).first()
    editable = can_edit_sheet(request.user, sheet)
    quotes = sheet.attachments.filter(kind=Attachment.Kind.QUOTE)
    hse, imp, euro, cofunding = formsets or _formsets(None, rates, current, quotes, sheet)
    context = {
        "sheet": sheet,
        "estimate": current,
        "rates": rates,
        "editable": editable,
        "import_form": import_form or WorkbookImportForm(),
        "max_lines": MAX_LINES,
    }
    if editable:
        context |= {
            "hse_formset": hse,
            "imp_formset": imp,
            "euro_formset": euro,
            "hse_rows": _rows(hse, lambda line: hse_figures(line, rates)),
            "imp_rows": _rows(imp, lambda line: imp_euros(Decimal(line["fraction"]), rates)),
            "euro_rows": _rows(euro, lambda line: None),
            "cofunding_formset": cofunding,
            "cofunding_rows": _rows(cofunding, lambda line: None),
        }
    else:
        context |= {
            "hse_lines": [
                (line, hse_figures(line, rates))
                for line in (current.hse_lines.all() if current else [])
            ],
            "imp_lines": [
                (line, fraction_label(line.fraction), imp_euros(line.fraction, rates))
                for line in (current.imp_lines.all() if current else [])
            ],
            "euro_lines": list(current.euro_lines.select_related("quote")) if current else [],
            "cofundings": list(sheet.cofundings.all()),
        }
    return render(request, "funding/estimate.html", context, status=status)


def estimate(request, pk):
    """The estimate of a sheet: editable while the sheet is, read-only otherwise."""
    sheet = _sheet(request, pk)
    if request.method != "POST":
        return _estimate_page(request, sheet)
    deny_unless(can_edit_sheet(request.user, sheet))
    rates = services.sheet_rates(sheet)
    current = Estimate.objects.filter(sheet=sheet).first()
    quotes = {q.pk: q for q in sheet.attachments.filter(kind=Attachment.Kind.QUOTE)}
    formsets = _formsets(request.POST, rates, current, quotes.values(), sheet)
    *line_formsets, cofunding = formsets
    # A form posted without the cofundings' table (an older page) leaves them as they are.
    with_cofunding = f"{cofunding.prefix}-TOTAL_FORMS" in request.POST
    checked = [*line_formsets, *([cofunding] if with_cofunding else [])]
    if all(f.is_valid() for f in checked):
        lines = services.EstimateLines(*(kept_lines(f) for f in line_formsets))
        for line in lines.euro:
            line["quote"] = quotes.get(line["quote"])
        try:
            with transaction.atomic():  # the estimate and the cofundings, or neither
                services.estimate_replace(sheet=sheet, by=request.user, lines=lines)
                if with_cofunding:
                    services.cofundings_replace(
                        sheet=sheet, by=request.user, rows=kept_lines(cofunding)
                    )
        except services.FundingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Estimation enregistrée ; les totaux sont à jour.")
            return redirect("funding:estimate", pk=sheet.pk)
    if not with_cofunding:
        cofunding = _formsets(None, rates, current, quotes.values(), sheet)[3]
    return _estimate_page(request, sheet, formsets=(*line_formsets, cofunding))


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def estimate_download(request, pk):
    sheet = _sheet(request, pk)
    rates = services.sheet_rates(sheet)
    current = Estimate.objects.filter(sheet=sheet).first()
    name = slugify(sheet.title)[:60] or f"fiche-{sheet.pk}"
    content = (
        export_estimate(current, rates)
        if current
        else build_workbook(rates=rates, title=sheet.title)
    )
    return _xlsx(content, f"estimation-{name}.xlsx")


def estimate_template(request):
    campaign = current_campaign() or get_object_or_404(
        Campaign.objects.order_by("-school_year")[:1]
    )
    academy = academy_of_user(request.user)
    rates = services.rates_for(campaign, academy.pk if academy else None)
    return _xlsx(build_workbook(rates=rates), f"modele-estimation-{campaign.school_year}.xlsx")


@require_POST
def estimate_import(request, pk):
    """Replaces the estimate by a filled workbook's lines, or says on the estimate page, at
    its top, every problem of the file (the estimate unchanged)."""
    sheet = _sheet(request, pk)
    deny_unless(can_edit_sheet(request.user, sheet))
    form = WorkbookImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _estimate_page(request, sheet, import_form=form, status=400)
    uploaded = form.cleaned_data["workbook"]
    try:
        services.estimate_import(sheet=sheet, by=request.user, uploaded=uploaded)
    except WorkbookError as error:
        form.add_error(
            None,
            f"« {uploaded.name} » n'a pas été importé. L'estimation de la fiche n'a pas changé.",
        )
        for message in error.errors:
            form.add_error("workbook", message)
        return _estimate_page(request, sheet, import_form=form, status=400)
    except services.FundingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"« {uploaded.name} » importé : l'estimation est remplacée.")
    return redirect("funding:estimate", pk=sheet.pk)


def envelope_list(request):
    deny_unless(can_see_envelopes(request.user))
    envelopes = envelopes_visible_to(request.user).select_related("campaign", "department")
    return render(
        request,
        "funding/envelope_list.html",
        {"uses": services.envelope_uses(envelopes, with_pending=True)},
    )

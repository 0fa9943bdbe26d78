"""The bilan page of a validated sheet."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from aps.permissions import deny_unless
from funding.models import Estimate
from funding.services import convention_votes_record, conventions_of
from projects.selectors import visible_sheet
from reviews.workflow.services import ReviewError
from reviews.workflow.views import done

from . import rules
from . import services as bilans
from .forms import BilanForm
from .models import Bilan


def bilan(request, pk, stage):
    """One stage's bilan, next to the sheet's sections: a form for the establishment's team
    while it is a draft (the head also submits it), read-only for the others."""
    if stage not in Bilan.Stage.values:
        raise Http404
    sheet = visible_sheet(request.user, pk)
    current = Bilan.objects.filter(sheet=sheet, stage=stage).select_related("submitted_by").first()
    editable = rules.can_edit_bilan(request.user, sheet, current)
    deny_unless(
        editable or (current is not None and rules.can_view_bilan(request.user, sheet, current))
    )
    conventions = conventions_of(sheet)
    form = (
        BilanForm(request.POST or None, instance=current, stage=stage, conventions=conventions)
        if editable
        else None
    )
    if request.method == "POST":
        deny_unless(editable)
        if form.is_valid():
            data = form.cleaned_data
            convention_votes_record(sheet=sheet, votes=form.votes())
            try:
                if request.POST.get("action") != "submit":
                    bilans.save(sheet=sheet, stage=stage, by=request.user, data=data)
                    messages.success(request, "Bilan enregistré. Il reste modifiable.")
                    return redirect("reviews:bilan", pk=sheet.pk, stage=stage)
                current, missing = bilans.save_and_submit(
                    sheet=sheet, stage=stage, by=request.user, data=data
                )
            except ReviewError as error:
                messages.error(request, str(error))
            else:
                if not missing:
                    return done(request, sheet, "Bilan déposé : la DSDEN peut le consulter.")
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
            "conventions": conventions,
        },
    )

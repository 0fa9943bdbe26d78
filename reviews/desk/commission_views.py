"""The commissions' pages: the list (and a new commission), the agenda with its proposals and
batch decisions, and the commission's PDF."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aps.permissions import deny_unless
from projects.rules import current_campaign, sheets_visible_to
from reviews.documents import exports
from reviews.workflow.services import ReviewError

from . import commissions, rules
from .commissions import BatchRefused, Proposal, ProposalsRefused
from .forms import CommissionForm, DecisionForm, ProposalForm
from .preparation import DeskError


def commission_list(request):
    departments = rules.reviewed_departments(request.user)
    deny_unless(departments.exists(), "Seules la DSDEN et l'académie réunissent des commissions.")
    campaign = current_campaign()
    form = CommissionForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        if campaign is None:
            form.add_error(None, "Aucune campagne n'est ouverte : la commission attendra.")
        else:
            try:
                commission = commissions.commission_create(
                    by=request.user, campaign=campaign, **form.cleaned_data
                )
            except DeskError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"{commission} créée : inscrivez-y des fiches depuis la liste des fiches.",
                )
                return redirect("reviews:commission_detail", pk=commission.pk)
    rows = (
        commissions.commissions_visible_to(request.user)
        .select_related("department", "campaign")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "reviews/commission_list.html",
        {"form": form, "commissions": rows, "campaign": campaign},
    )


def _commission(request, pk):
    return get_object_or_404(
        commissions.commissions_visible_to(request.user).select_related("department", "campaign"),
        pk=pk,
    )


def _page(request, commission, *, items=None, proposal_forms=None, decision_form=None, status=200):
    items = items if items is not None else commissions.agenda_shown(commission)
    if proposal_forms is None:
        # Nothing typed yet: the rows' inputs are written from their values (desk_tags'
        # agenda_row), without 200 forms and their 600 copied fields.
        proposal_forms = [None] * len(items)
    checked = set(request.POST.getlist("items")) if request.method == "POST" else set()
    # Each sheet's address from one reversed once (200 reverses took a tenth of the page).
    sheet_url = reverse("reviews:sheet_detail", kwargs={"pk": 0}).replace("/0/", "/{}/")
    for item, form in zip(items, proposal_forms, strict=True):
        item.form = form
        item.url = sheet_url.format(item.sheet_id)
        item.awaiting = commissions.decidable(commission, item.sheet)
        item.kinds = commission.kinds
        item.checked = str(item.pk) in checked
    return render(
        request,
        "reviews/commission_detail.html",
        {
            "commission": commission,
            "items": items,
            "proposal_forms": proposal_forms,
            "decision_form": decision_form or DecisionForm(),
            "summary": commissions.summary(commission, items),
            "awaiting_count": sum(item.awaiting for item in items),
            "answers": commissions.BATCH_ANSWERS,
            "can_decide": commissions.can_decide(request.user, commission),
        },
        status=status,
    )


def commission_detail(request, pk):
    return _page(request, _commission(request, pk))


def _posted_proposals(request, commission, items):
    """The proposal forms as posted, and the proposals of the rows awaiting an answer (the
    only ones with inputs: a row posted empty withdraws its proposal); None if any is
    invalid."""
    forms = [ProposalForm(request.POST, item=item) for item in items]
    if not all(form.is_valid() for form in forms):
        return forms, None
    return forms, [
        Proposal(
            item=form.item,
            euros=form.cleaned_data["euros"],
            hse=form.cleaned_data["hse"],
            imp=form.cleaned_data["imp"],
        )
        for form in forms
        if commissions.decidable(commission, form.item.sheet)
    ]


class _Invalid(Exception):
    """A proposal typed wrong: nothing is written, the page says where."""


def _refused_proposals(forms, error: ProposalsRefused):
    for form in forms:
        if form.item.pk in error.errors:
            form.add_error(None, error.errors[form.item.pk])


@require_POST
def commission_proposals(request, pk):
    """Save the amounts proposed on the agenda, all or none."""
    commission = _commission(request, pk)
    items = commissions.agenda(commission)
    forms, proposals = _posted_proposals(request, commission, items)
    if proposals is not None:
        try:
            count = commissions.proposals_record(
                commission=commission, by=request.user, proposals=proposals
            )
        except ProposalsRefused as error:
            _refused_proposals(forms, error)
        else:
            messages.success(
                request,
                f"{count} proposition{'s' if count > 1 else ''} enregistrée"
                f"{'s' if count > 1 else ''}.",
            )
            return redirect("reviews:commission_detail", pk=commission.pk)
    return _page(request, commission, items=items, proposal_forms=forms)


@require_POST
def commission_decide(request, pk):
    """The proposals as typed, then the decision on the ticked sheets: one transaction, all or
    none; refused, the page comes back with what was typed and each refused sheet named."""
    commission = _commission(request, pk)
    decision = DecisionForm(request.POST)
    chosen_ids = {int(v) for v in request.POST.getlist("items") if v.isdigit()}
    refused_rows = {}
    if not decision.is_valid():
        items = commissions.agenda(commission)
        forms, _proposals = _posted_proposals(request, commission, items)
        return _page(request, commission, items=items, proposal_forms=forms, decision_form=decision)
    data = decision.cleaned_data
    try:
        with transaction.atomic():
            # The agenda read under its lock: the proposals decided are the ones typed here,
            # never another reviewer's saved meanwhile.
            commissions.lock_agenda(commission)
            items = commissions.agenda(commission)
            forms, proposals = _posted_proposals(request, commission, items)
            if proposals is None:
                raise _Invalid
            commissions.proposals_record(
                commission=commission, by=request.user, proposals=proposals
            )
            chosen = [item for item in items if item.pk in chosen_ids]
            count = commissions.decide(
                commission=commission,
                by=request.user,
                items=chosen,
                answer=data["answer"],
                comment=data["comment"],
                confirm_over_envelope=data["confirm_over_envelope"],
            )
    except _Invalid:
        decision.add_error(None, "Un montant proposé est mal saisi : corrigez-le ci-dessous.")
    except ProposalsRefused as error:
        refused_rows = error.errors
        decision.add_error(None, str(error))
    except BatchRefused as error:
        decision.add_error(None, str(error))
        for sheet, reason in error.refusals:
            decision.add_error(None, f"{sheet.title} (n°\u00a0{sheet.pk}) : {reason}")
    except (DeskError, ReviewError) as error:
        decision.add_error(None, str(error))
    else:
        messages.success(
            request,
            f"Décision « {commissions.BATCH_ANSWERS[data['answer']]} » appliquée à {count} "
            f"fiche{'s' if count > 1 else ''} : les établissements en sont avertis.",
        )
        return redirect("reviews:commission_detail", pk=commission.pk)
    # The rows as they are now (nothing was written), with what was typed.
    items = commissions.agenda(commission)
    forms = [ProposalForm(request.POST, item=item) for item in items]
    for form in forms:
        form.is_valid()
    _refused_proposals(forms, ProposalsRefused(refused_rows))
    return _page(request, commission, items=items, proposal_forms=forms, decision_form=decision)


@require_POST
def commission_remove(request, pk):
    commission = _commission(request, pk)
    key = request.POST.get("item", "")
    item = get_object_or_404(
        commission.items.select_related("sheet"), pk=key if key.isdigit() else None
    )
    commissions.sheet_remove(commission=commission, by=request.user, item=item)
    messages.success(request, f"Fiche « {item.sheet.title} » retirée de l'ordre du jour.")
    return redirect("reviews:commission_detail", pk=commission.pk)


def _in_order(user, ids: list[int]):
    """The sheets ``ids`` the user may see, in that order."""
    order = Case(*(When(pk=pk, then=Value(index)) for index, pk in enumerate(ids)), default=0)
    return sheets_visible_to(user).filter(pk__in=ids).order_by(order)


@require_POST
def commission_pdf(request, pk):
    """The commission's PDF: its agenda, then every sheet of it (the bulk PDF)."""
    commission = _commission(request, pk)
    items = commissions.agenda(commission)
    try:
        export = exports.request_bulk_pdf(
            user=request.user,
            sheets=_in_order(request.user, [item.sheet_id for item in items]),
            description=str(commission),
            agenda=commissions.agenda_rows(commission, items),
        )
    except ReviewError as error:
        messages.error(request, str(error))
        return redirect("reviews:commission_detail", pk=commission.pk)
    return redirect("reviews:bulk_export", pk=export.pk)

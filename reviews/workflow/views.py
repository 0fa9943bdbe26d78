"""The pages of the transitions: submission, the network's opinion, the DSDEN's answer,
resubmission, reopening and withdrawal. Each runs one service. (MLDS advice is posted from the
sheet's page, and shown again there when refused: reviews.desk.views.advise.)"""

from django.contrib import messages
from django.shortcuts import redirect, render

from aps import clock
from aps.permissions import deny_unless
from funding.models import Estimate
from funding.services import envelope_use
from projects.models import ProjectSheet
from projects.selectors import visible_sheet

from . import rules, services, submission
from .diff import changes
from .forms import (
    OpinionForm,
    ReasonForm,
    RejectForm,
    RequestInfoForm,
    ResubmitForm,
    SubmitForm,
    ValidateForm,
    WithdrawForm,
)
from .table import ANSWER_MEANINGS, AWAITING_OPINION, AWAITING_PRECISIONS, TRANSITIONS

S = ProjectSheet.Status
# Why the submission page is refused to anyone but who submits (rules.is_head_of).
HEAD_SUBMITS = (
    "Seul le chef ou la cheffe d'établissement dépose la fiche projet : les autres membres de "
    "l'établissement la préparent, puis lui demandent de la déposer."
)
NETWORK_SUBMITS = "Seul le ou la responsable du réseau FOQUALE dépose la fiche projet du réseau."


def done(request, sheet, message):
    messages.success(request, message)
    return redirect(sheet)


def refused(request, sheet, error):
    messages.error(request, str(error))
    return redirect(sheet)


def submit(request, pk):
    """GET: the recap the head reads (means, deadlines, attachments, what comes next); POST:
    the submission, once the head has ticked the confirmation."""
    sheet = visible_sheet(request.user, pk)
    deny_unless(
        rules.is_head_of(request.user, sheet),
        NETWORK_SUBMITS if sheet.network_id else HEAD_SUBMITS,
    )
    if sheet.status not in TRANSITIONS["submit"].sources:  # submitted meanwhile
        return refused(request, sheet, services.ALREADY_SUBMITTED)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            event = services.submit(sheet=sheet, by=request.user)
        except services.ReviewError as error:
            return refused(request, sheet, error)
        where = (
            "il attend l'avis du réseau FOQUALE"
            if event.to_status in AWAITING_OPINION
            else "il est à l'étude à la DSDEN"
        )
        return done(
            request,
            sheet,
            f"Projet déposé : {where}. Un accusé de dépôt est envoyé par courriel à l'équipe "
            "de l'établissement ; il se télécharge aussi depuis la fiche.",
        )
    return render(
        request,
        "reviews/submit.html",
        {"sheet": sheet, "form": form, "recap": submission.recap(sheet, clock.today())},
    )


def _transition_page(
    request, pk, *, allowed, form_class, run, done_message, title, intro, submit_label
):
    """A page with one form that runs one transition: GET shows it, a valid POST runs it."""
    sheet = visible_sheet(request.user, pk)
    deny_unless(allowed(request.user, sheet))
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            run(sheet=sheet, by=request.user, **form.cleaned_data)
        except services.ReviewError as error:
            return refused(request, sheet, error)
        return done(request, sheet, done_message)
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
            if sheet.status in AWAITING_PRECISIONS
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
        done_message="Avis enregistré : le projet est transmis à la DSDEN.",
        title="Avis du comité de pilotage FOQUALE",
        intro="Cet avis et son commentaire sont transmis à la DSDEN avec le projet.",
        submit_label="Enregistrer l'avis",
    )


def answer(request, pk):
    """The DSDEN's answer page: the three answers, with everything needed to decide."""
    sheet = visible_sheet(request.user, pk)
    deny_unless(rules.is_dsden_of(request.user, sheet))
    if not rules.can_answer(request.user, sheet):
        return refused(request, sheet, services.ALREADY_ANSWERED)
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
            return done(
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
            "awaits_opinion": sheet.status in AWAITING_OPINION,
            "transitions": TRANSITIONS,
            "meanings": ANSWER_MEANINGS,  # beside each answer, in the vadémécum's words
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
        done_message="Projet renvoyé à la DSDEN avec votre réponse.",
        title="Renvoyer le projet à la DSDEN",
        intro="Complétez d'abord la fiche si besoin, puis répondez à la demande de la DSDEN.",
        submit_label=TRANSITIONS["resubmit"].label,
    )


def reopen(request, pk):
    return _transition_page(
        request,
        pk,
        allowed=rules.can_reopen,
        form_class=ReasonForm,
        run=services.reopen,
        done_message="Instruction rouverte.",
        title=TRANSITIONS["reopen"].label,
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
        done_message="Projet retiré.",
        title=TRANSITIONS["withdraw"].label,
        intro="Un projet retiré n'est plus instruit. Cette action est définitive.",
        submit_label=TRANSITIONS["withdraw"].label,
    )

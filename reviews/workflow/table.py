"""The workflow of a project sheet, written once as data: (name, sources, target, label), and
the named groups of states and transitions the rest of the application reads.

Each transition has one service function in ``reviews.workflow.services`` that checks the
rule (``reviews.workflow.rules``), the precondition, locks the sheet row, changes the state,
logs the change and queues the e-mails. Nothing here is generated. Adding a transition means
a row here, its service, its rule and its page.
"""

from dataclasses import dataclass

from projects.models import EDITABLE_STATES, FILED_STATES, FUNDED_STATES, Status

S = Status


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: str  # the action, as its button on the sheet's page says it
    # A second target the service may choose instead (submit: straight to the DSDEN when no
    # network has to give its opinion first).
    shortcut: str | None = None

    @property
    def targets(self) -> frozenset[str]:
        return frozenset({self.target, self.shortcut} - {None})


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit", frozenset({S.DRAFT}), S.SUBMITTED, "Déposer le projet", shortcut=S.IN_REVIEW
        ),
        Transition("prevalidate", frozenset({S.SUBMITTED}), S.IN_REVIEW, "Donner l'avis du réseau"),
        Transition(
            "request_info",
            frozenset({S.SUBMITTED, S.IN_REVIEW}),
            S.NEEDS_INFO,
            "Demander des précisions",
        ),
        Transition("resubmit", frozenset({S.NEEDS_INFO}), S.IN_REVIEW, "Renvoyer avec une réponse"),
        Transition(
            "validate", frozenset({S.SUBMITTED, S.IN_REVIEW}), S.VALIDATED, "Valider le projet"
        ),
        Transition(
            "reject", frozenset({S.SUBMITTED, S.IN_REVIEW}), S.REJECTED, "Ne pas valider le projet"
        ),
        Transition(
            "reopen", frozenset({S.VALIDATED, S.REJECTED}), S.IN_REVIEW, "Rouvrir l'instruction"
        ),
        # A filed sheet is withdrawn; a draft, never seen by the DSDEN, is deleted instead
        # (projects.services.sheet_delete): one of the two per state.
        Transition(
            "withdraw",
            frozenset({S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO}),
            S.WITHDRAWN,
            "Retirer le projet",
        ),
    )
}

# --- Groups of transitions ---------------------------------------------------------------
# The DSDEN's three answers, in the order its answer page offers them.
ANSWERS = ("validate", "request_info", "reject")
# What each answer means, in the vadémécum's words: shown wherever an answer is shown (the
# answer page, the sheet's "Réponse de la DSDEN", the guide).
ANSWER_MEANINGS = {
    "validate": "Le projet relève des actions pouvant obtenir un financement MLDS, complet ou "
    "partiel : les montants accordés peuvent être inférieurs aux montants demandés.",
    "request_info": "Le projet relève des actions pouvant obtenir un financement MLDS, mais un "
    "complément d'information ou de documents est nécessaire : la DSDEN le demande, "
    "l'établissement complète la fiche et la renvoie.",
    "reject": "Le projet ne relève pas des actions pouvant obtenir un financement MLDS. Le "
    "commentaire de la DSDEN peut aider à le réorienter.",
}
# What says where the DSDEN's answer stands: an answer, or a reopening that withdraws it.
ANSWER_STANDING = (*ANSWERS, "reopen")
# A sheet arriving (back) at the DSDEN: since then it waits for an answer.
ARRIVALS = ("submit", "prevalidate", "resubmit", "reopen")

# --- Groups of states ----------------------------------------------------------------------
# The carrier may edit the sheet (``projects.rules.can_edit_sheet``).
EDITABLE = EDITABLE_STATES
# The sheet has been filed and keeps the date of its first submission.
FILED = FILED_STATES
# The DSDEN may answer: the sources of its answers.
AWAITING_ANSWER = TRANSITIONS["validate"].sources
# Waiting for the network's opinion.
AWAITING_OPINION = TRANSITIONS["prevalidate"].sources
# Waiting for the establishment's precisions.
AWAITING_PRECISIONS = TRANSITIONS["resubmit"].sources
# The action is funded: the amounts granted stand (a reopening suspends them), the bilan is
# due (``projects.models.FUNDED_STATES``, which the funding app reads too).
GRANT_STANDS = FUNDED_STATES

"""The workflow of a project sheet, written once as data: (name, sources, target).

Each transition has one service function in ``reviews.services`` that checks the rule
(``reviews.rules``), the precondition, locks the sheet row, changes the state, logs the
change and queues the e-mails. Nothing here is generated.
"""

from dataclasses import dataclass

from projects.models import ProjectSheet

S = ProjectSheet.Status


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: str  # the action, as a button says it


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, "Déposer le projet"),
        Transition("prevalidate", frozenset({S.SUBMITTED}), S.IN_REVIEW, "Donner l'avis du réseau"),
        Transition(
            "request_info",
            frozenset({S.SUBMITTED, S.IN_REVIEW}),
            S.NEEDS_INFO,
            "Demander des précisions",
        ),
        Transition("resubmit", frozenset({S.NEEDS_INFO}), S.IN_REVIEW, "Renvoyer à la DSDEN"),
        Transition(
            "validate", frozenset({S.SUBMITTED, S.IN_REVIEW}), S.VALIDATED, "Valider le projet"
        ),
        Transition(
            "reject", frozenset({S.SUBMITTED, S.IN_REVIEW}), S.REJECTED, "Ne pas valider le projet"
        ),
        Transition(
            "reopen", frozenset({S.VALIDATED, S.REJECTED}), S.IN_REVIEW, "Rouvrir l'instruction"
        ),
        Transition(
            "withdraw",
            frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO}),
            S.WITHDRAWN,
            "Retirer le projet",
        ),
    )
}

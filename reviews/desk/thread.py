"""The message thread as pages show it: the sheet page's panel (the messages and the MLDS's
advice in order, the form of whoever may write), and the sheets whose reviewers wrote since
the user last opened them (the establishment's home)."""

from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery

from projects.models import ProjectSheet
from reviews.workflow import messages, rules
from reviews.workflow.forms import MessageForm
from reviews.workflow.models import Message

from .models import Visit


def thread_context(user, sheet: ProjectSheet, *, message_form=None) -> dict:
    """The sheet page's keys for the thread: ``thread`` (reviews.workflow.messages.Entry,
    oldest first; an advice the user may answer carries its ``reply_form``), ``thread_side``
    (the user's side), ``can_post_message``, ``can_answer_advice``, ``message_form`` and
    ``reply_form``: a refused form, bound, shown where it was typed (the thread's form, or
    the answer to its advice)."""
    readable = rules.can_read_thread(user, sheet)
    answers = rules.can_answer_advice(user, sheet)
    refused_reply = None
    if message_form is not None and message_form["in_reply_to"].value():
        refused_reply, message_form = message_form, None
    thread = messages.thread_of(sheet) if readable else []
    for entry in thread:
        if entry.advice and answers:
            entry.reply_form = reply_form(entry.advice, refused_reply)
    return {
        "thread": thread,
        "can_read_thread": readable,
        "thread_side": rules.thread_side(user, sheet),
        "can_post_message": rules.can_post_message(user, sheet),
        "can_answer_advice": answers,
        "message_form": message_form or MessageForm(),
        "reply_form": refused_reply,
    }


def reply_form(advice, refused=None) -> MessageForm:
    """The form answering ``advice``: the refused one if it answered it, else a blank one;
    its ids its own (several on the page)."""
    if refused is not None and str(refused["in_reply_to"].value()) == str(advice.pk):
        form = refused
    else:
        form = MessageForm(initial={"in_reply_to": advice.pk})
    form.auto_id = f"id_reply{advice.pk}_%s"
    return form


def with_unread_messages(sheets: QuerySet[ProjectSheet], user) -> QuerySet[ProjectSheet]:
    """The sheets among ``sheets`` on which the reviewers (DSDEN, académie) wrote since
    ``user`` last opened them (or that they never opened), each with ``last_message_at``; one
    query, whatever their number."""
    seen = Visit.objects.filter(user=user, sheet=OuterRef("pk")).values("seen_at")[:1]
    latest = (
        Message.objects.filter(sheet=OuterRef("pk"), side=Message.Side.REVIEWER)
        .order_by()
        .values("sheet")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    return (
        sheets.annotate(last_message_at=Subquery(latest), last_seen_at=Subquery(seen))
        .filter(last_message_at__isnull=False)
        .filter(Q(last_seen_at__isnull=True) | Q(last_message_at__gt=F("last_seen_at")))
        .order_by("-last_message_at", "pk")
    )

"""The sheet's message thread: posting a message from the sheet's page (here, with the desk,
because a refused message shows the sheet's page again with the text as typed and its error),
and downloading a message's attachment."""

from django.contrib import messages as flash
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from aps.permissions import deny_unless
from projects.selectors import visible_sheet
from reviews.workflow import messages, rules
from reviews.workflow.forms import MessageForm
from reviews.workflow.models import MessageAttachment
from reviews.workflow.services import ReviewError

from .sheet_page import sheet_page
from .thread import thread_context

PAGE_PREFETCH = ("objectives", "criteria", "attachments")


@require_POST
def message_post(request, pk):
    sheet = visible_sheet(request.user, pk, prefetch=PAGE_PREFETCH)
    form = MessageForm(request.POST, request.FILES)
    advice = _answered_advice(sheet, form["in_reply_to"].value())
    allowed = (
        rules.can_answer_advice(request.user, sheet)
        if advice
        else rules.can_post_message(request.user, sheet)
    )
    deny_unless(allowed)
    if form.is_valid():
        try:
            messages.post_message(
                sheet,
                request.user,
                form.cleaned_data["text"],
                form.cleaned_data["files"],
                in_reply_to=advice,
            )
        except ReviewError as error:
            form.add_error("files" if request.FILES else "text", str(error))
        else:
            flash.success(request, "Message envoyé.")
            return redirect(f"{sheet.get_absolute_url()}#messages")
    context = sheet_page(request.user, sheet) | thread_context(
        request.user, sheet, message_form=form
    )
    return render(request, "reviews/sheet_detail.html", context)


def _answered_advice(sheet, value):
    """The sheet's advice a message answers (None for a message of the thread), else 404."""
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise Http404
    return get_object_or_404(sheet.advice, pk=int(value))


def message_attachment(request, pk, attachment_pk):
    sheet = visible_sheet(request.user, pk)
    deny_unless(rules.can_read_thread(request.user, sheet))
    attachment = get_object_or_404(
        MessageAttachment.objects.filter(message__sheet=sheet), pk=attachment_pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )

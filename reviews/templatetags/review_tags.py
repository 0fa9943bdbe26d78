"""The review part of a sheet's page, for the sheet templates of the projects app (which
cannot import reviews): ``{% load review_tags %}{% sheet_review sheet %}``."""

from django import template

from reviews import rules
from reviews.forms import AdviceForm

register = template.Library()


@register.inclusion_tag("reviews/sheet_review.html", takes_context=True)
def sheet_review(context, sheet):
    user = context["request"].user
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "sheet": sheet,
        "can_submit": rules.can_submit(user, sheet),
        "can_prevalidate": rules.can_prevalidate(user, sheet),
        "can_answer": rules.can_answer(user, sheet),
        "can_resubmit": rules.can_resubmit(user, sheet),
        "can_reopen": rules.can_reopen(user, sheet),
        "can_withdraw": rules.can_withdraw(user, sheet),
        "can_advise": rules.can_advise(user, sheet),
        "advice_form": AdviceForm(),
        "events": sheet.events.select_related("actor"),
        "opinion": sheet.opinions.order_by("-created_at").first(),
        "info_request": sheet.info_requests.order_by("-created_at").first()
        if sheet.status == "needs_info"
        else None,
    }

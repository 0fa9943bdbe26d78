from django import template
from django.utils.html import format_html

from aps.post_keeper import OWNER_FIELD, owner_token

register = template.Library()


@register.simple_tag(takes_context=True)
def keep_post_owner(context):
    """A hidden field that lets this form's content survive an expired session.

    Usage, inside a form posted to a view marked @keeps_post_across_login:
    ``{% load post_keeper %}{% keep_post_owner %}``
    """
    return format_html(
        '<input type="hidden" name="{}" value="{}">', OWNER_FIELD, owner_token(context["user"])
    )

"""The guide's pages and the footer's legal pages: readable by anyone, signed in or not (the
guide holds nothing but the campaign's public calendar and rates; the legal pages must be
public)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from projects.academies import academy_of_user

from .pages import PAGES
from .selectors import guide_context


@login_not_required
def page(request, key):
    """One page of ``reviews.guide.pages``; ``key`` comes from the URLconf, never the user."""
    shown = PAGES[key]
    academy = academy_of_user(request.user)
    return render(request, f"reviews/guide/{shown.key}.html", guide_context(shown, academy))

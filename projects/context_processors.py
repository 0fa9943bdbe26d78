from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .academies import academy_of_user
from .models import Membership
from .rules import establishments_of, has_role, is_overseer


def navigation(request):
    """Main navigation of the DSFR header, by the user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("Accueil", reverse("home"))]
    own = establishments_of(user)
    if len(own) == 1:
        items.append(("Mon établissement", own[0].get_absolute_url()))
    items.append(("Mes projets", reverse("reviews:sheet_list")))
    items.append(("Annuaire des établissements", reverse("projects:establishment_list")))
    if is_overseer(user):
        items.append(("Enveloppes", reverse("funding:envelope_list")))
        items.append(("Statistiques", reverse("reviews:statistics")))
    if has_role(user, Membership.Role.DSDEN, Membership.Role.ACADEMIE):
        # The reviewers' desk (the ministry reads and prepares nothing).
        items.append(("Commissions", reverse("reviews:commission_list")))
    if has_role(user, Membership.Role.ACADEMIE, Membership.Role.NATIONAL):
        items.append(("Mise en route", reverse("reviews:setup")))
    if user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    items.append(("Guide", reverse("reviews:guide")))
    # The current item is the one whose address is the longest prefix of the page's.
    matching = [
        url
        for _, url in items
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(matching, key=len, default=None)
    return {
        "nav_items": [
            {"label": label, "url": url, "active": url == current} for label, url in items
        ]
    }


def academy(request):
    """The académie the page speaks for (header, footer, title): ``projects.academies``, read
    once per page, and only by a page that names it."""
    user = getattr(request, "user", None)
    return {"academy": SimpleLazyObject(lambda: academy_of_user(user))}

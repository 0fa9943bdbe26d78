from django.urls import reverse

from .models import Membership
from .rules import establishments_of, memberships_of


def navigation(request):
    """Main navigation of the DSFR header, by the user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("Accueil", reverse("home"))]
    own = establishments_of(user)
    if len(own) == 1:
        items.append(("Mon établissement", own[0].get_absolute_url()))
    items.append(("Annuaire des établissements", reverse("projects:establishment_list")))
    if user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    roles = {m.role for m in memberships_of(user)}
    return {
        "nav_items": [
            {"label": label, "url": url, "active": _is_active(request.path, url)}
            for label, url in items
        ],
        "user_roles": sorted(Membership.Role(role).label for role in roles),
    }


def _is_active(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.templatetags.static import static


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on pages without a <link rel="icon"> (the admin's)."""
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)


@login_not_required
def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes' answer to a login refused after repeated failures (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on pages without a <link rel="icon"> (the admin's)."""
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static

from . import login_throttle, password_reset
from .forms import LoginForm, PasswordResetRequestForm
from .middleware import SIGNED_IN_MARK
from .post_keeper import STASH_KEY


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on pages without a <link rel="icon"> (the admin's)."""
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)


@login_not_required
def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes' answer to a login refused after repeated failures (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "whole_network": login_throttle.ip_is_locked(request)}
    return render(request, "registration/locked_out.html", context, status=429)


class LoginView(auth_views.LoginView):
    """The login page; reached after the session expired (the browser still holds the mark
    of a session it did not end, aps.middleware), it says why, and that what was being typed
    is kept (aps.post_keeper)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        if request.method == "GET" and request.COOKIES.get(SIGNED_IN_MARK):
            context["notice"] = "Votre session a expiré, reconnectez-vous."
            if STASH_KEY in request.session:
                context["notice"] += (
                    " Ce que vous étiez en train de saisir vous sera rendu après la connexion."
                )
        return context


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Asks for a reset link: throttled, then queued (aps.password_reset); the next page says
    the same whether the address has an account or not."""

    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        ip_address = get_client_ip_address(self.request)
        reason = password_reset.refusal(email=email, ip_address=ip_address)
        if reason:
            form.add_error(None, reason)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        password_reset.request_reset(email=email, ip_address=ip_address)
        return HttpResponseRedirect(self.get_success_url())

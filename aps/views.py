import functools

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import login_throttle, password_reset, proconnect
from .forms import LoginForm, PasswordResetRequestForm
from .invitations import Verdict, invitation_tokens
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

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            context = self.get_context_data(
                password_refused="La connexion par mot de passe est désactivée : "
                "connectez-vous avec ProConnect."
            )
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proconnect"] = proconnect.enabled()
        request = self.request
        if request.method == "GET" and request.COOKIES.get(SIGNED_IN_MARK):
            context["notice"] = "Votre session a expiré, reconnectez-vous."
            if STASH_KEY in request.session:
                context["notice"] += (
                    " Ce que vous étiez en train de saisir vous sera rendu après la connexion."
                )
        return context


def password_login_only(view):
    """A page of the password login (reset, change): none when the instance turned it off
    (``PASSWORD_LOGIN=0``, ProConnect being the only way in)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            raise Http404("La connexion par mot de passe est désactivée.")
        return view(request, *args, **kwargs)

    return wrapped


@login_not_required
def admin_login(request, extra_context=None):
    """The admin's login: its password form while passwords are on; otherwise the site's
    login page (ProConnect), back to the admin once signed in."""
    if settings.PASSWORD_LOGIN:
        return admin.site.login(request, extra_context)
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(back)
        raise PermissionDenied
    return redirect_to_login(back)


class LogoutView(auth_views.LogoutView):
    """Logging out; a session opened with ProConnect ends there too (its end of session then
    comes back to the login page)."""

    def post(self, request, *args, **kwargs):
        ending = proconnect.end_session_url(request) if "oidc_id_token" in request.session else ""
        response = super().post(request, *args, **kwargs)
        if not ending:
            return response
        # A page that moves on to ProConnect rather than a redirect: after a form, the
        # browser would hold ProConnect's own redirects (to the identity provider's logout)
        # to the policy's form-action.
        return render(request, "registration/proconnect_logout.html", {"ending": ending})


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


# What an invitation's link that does not open says, and its HTTP status.
INVITATION_REFUSALS = {
    Verdict.EXPIRED: (
        410,
        "Invitation expirée",
        "Ce lien d'invitation a expiré (il vaut {days} jours). Demandez à la personne qui vous "
        "a invité·e, ou à votre chef·fe d'établissement, de vous envoyer une nouvelle "
        "invitation.",
    ),
    Verdict.INVALID: (
        400,
        "Lien d'invitation invalide",
        "Ce lien ne permet pas de choisir un mot de passe : il a déjà servi, une invitation "
        "plus récente l'a remplacé, ou il est incomplet (copiez-le en entier depuis le "
        "courriel). Si vous avez déjà choisi votre mot de passe, connectez-vous.",
    ),
}


@login_not_required
@sensitive_post_parameters()
@never_cache
def invitation_accept(request, uidb64, token):
    """An invited person chooses a password through the link of their invitation, once; they
    are then signed in."""
    user = _invited_user(uidb64)
    verdict = invitation_tokens.verdict(user, token)
    if verdict is not Verdict.VALID:
        status, heading, text = INVITATION_REFUSALS[verdict]
        context = {"heading": heading, "text": text.format(days=settings.INVITATION_DAYS)}
        return render(request, "registration/invitation_invalid.html", context, status=status)
    if not settings.PASSWORD_LOGIN:
        # No password to choose: the invited person signs in with ProConnect, under the
        # address the invitation was sent to.
        return render(
            request,
            "registration/invitation_proconnect.html",
            {"invited": user, "proconnect": proconnect.enabled()},
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="aps.backends.PasswordBackend")
        messages.success(request, "Votre mot de passe est enregistré : bienvenue sur APS.")
        return redirect("home")
    return render(request, "registration/invitation_accept.html", {"form": form, "invited": user})


def _invited_user(uidb64: str):
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return get_user_model()._default_manager.get(pk=pk)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from .text import normalised_email


class LoginForm(AuthenticationForm):
    """E-mail and password, with French messages that read well."""

    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. "
            "Le mot de passe tient compte des majuscules et minuscules."
        ),
        "inactive": "Ce compte est désactivé. Contactez la DSDEN de votre département.",
    }

    def clean_username(self):
        # The address as one identity: the one django-axes counts failures under.
        return normalised_email(self.cleaned_data.get("username"))


class PasswordResetRequestForm(PasswordResetForm):
    """The address whose password to reset; the view queues the e-mail (aps.password_reset)."""

    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_email(self):
        return normalised_email(self.cleaned_data.get("email"))

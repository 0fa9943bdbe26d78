from django import forms
from django.contrib.auth.forms import AuthenticationForm


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

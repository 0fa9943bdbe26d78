from django.apps import AppConfig


class FundingConfig(AppConfig):
    """Rates, cost estimates, grants and envelopes (built by the funding issue)."""

    name = "funding"
    verbose_name = "Financement"

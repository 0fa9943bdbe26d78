from django.apps import AppConfig


class FundingConfig(AppConfig):
    """Rates, cost estimates, grants and envelopes."""

    name = "funding"
    verbose_name = "Financement"

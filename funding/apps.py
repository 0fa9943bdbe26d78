from django.apps import AppConfig


class FundingConfig(AppConfig):
    """Rates, cost estimates, grants and envelopes."""

    name = "funding"
    verbose_name = "Financement"

    def ready(self):
        # The sheet's completeness checklist (projects) includes the estimate.
        from projects.checklist import register_check

        from .estimate import estimate_checklist

        register_check(estimate_checklist)

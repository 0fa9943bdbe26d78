from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The review workflow of a sheet (built by the review issue)."""

    name = "reviews"
    verbose_name = "Instruction"

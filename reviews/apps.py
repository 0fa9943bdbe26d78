from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The review workflow of a sheet, its bilan and the exports of reviewers."""

    name = "reviews"
    verbose_name = "Instruction"

    def ready(self):
        # A renewal cannot be submitted before the previous action's bilan (sheet checklist).
        from projects.checklist import register_check

        from .bilans.services import renewal_checklist

        register_check(renewal_checklist)

        # The edit page shows the DSDEN's request for precisions (projects.pending).
        from projects.pending import register_source

        from .workflow.precisions import pending_request

        register_source(pending_request)

        # The stored statistics forget what their watermark cannot see (a sheet deleted…).
        from .desk import statistics_store

        statistics_store.connect()

        # Messages' files and bulk exports leave the storage with their rows (a deleted
        # sheet takes its messages, a deleted account its exports).
        from aps.stored_files import files_go_with_rows

        from .documents.models import BulkExport
        from .workflow.models import MessageAttachment

        files_go_with_rows(MessageAttachment)
        files_go_with_rows(BulkExport)

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Annuaire et projets"

    def ready(self):
        # A sheet's files leave the storage with their rows, a deleted sheet's included.
        from aps.stored_files import files_go_with_rows

        from .models import Attachment

        files_go_with_rows(Attachment)

"""Stored files go with their rows. A file lives in the default storage (local disk under
MEDIA_ROOT, or an S3 bucket: see STORAGES in aps/settings.py) and is reached only through its
storage; deleting its row — by a service, in the admin, or by a cascade (a sheet takes its
attachments and its messages' files) — removes it once the deletion is committed."""

from django.db import transaction
from django.db.models.signals import post_delete


def delete_after_commit(file, *, using: str | None = None) -> None:
    """Remove ``file`` (a FieldFile) from its storage once the current transaction commits: a
    rolled-back deletion keeps it. A storage failing then is logged, not raised: the row is
    gone already, and the request that deleted it has nothing left to undo."""
    if not file:
        return
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name), using=using, robust=True)


def files_go_with_rows(model, field_name: str = "file") -> None:
    """Called once for each model holding a file, by its app's ``ready``."""

    def forget_file(instance, using=None, **kwargs):
        delete_after_commit(getattr(instance, field_name), using=using)

    post_delete.connect(
        forget_file,
        sender=model,
        weak=False,
        dispatch_uid=f"stored_file_{model._meta.label_lower}_{field_name}",
    )

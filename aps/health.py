"""``GET /healthz``, for the load balancer and the monitoring: is the database answering, the
file storage reachable, the task queue being worked? JSON, no login, nothing about anyone,
never cached; 503 when one of them is down.

The storage is probed read-only: ``exists()`` of a name nothing is saved under (one HEAD
request on an object store, whose errors — endpoint unreachable, credentials refused — it
raises). A probe writing and deleting a file would catch more (a full or read-only disk, a
missing bucket) but would write every few seconds, leaving versions behind on a versioned
bucket; those failures show on the first upload instead.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.http import JsonResponse
from django.tasks import task_backends
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

STORAGE_PROBE = "healthz-probe"


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return {"ok": False}
    return {"ok": True}


def storage_state() -> dict:
    try:
        default_storage.exists(STORAGE_PROBE)
    except Exception:  # whatever the backend raises (OSError, botocore's errors…)
        logger.warning("Health check: the file storage does not answer", exc_info=True)
        return {"ok": False}
    return {"ok": True}


def task_queue_state() -> dict:
    """The tasks waiting in the database (backends stored there) whose time has come, and how
    long the oldest has waited: past ``HEALTHZ_MAX_TASK_AGE`` seconds, no worker is taking
    them (0: reported, never counted as down)."""
    aliases = [
        alias for alias in settings.TASKS if isinstance(task_backends[alias], DatabaseBackend)
    ]
    # A task deferred to later waits from the moment it may run, not from its enqueuing.
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("run_after", "enqueued_at"),
    )
    try:
        due = DBTaskResult.objects.ready().filter(backend_name__in=aliases)
        found = due.aggregate(pending=Count("pk"), oldest=Min(waiting_since))
    except DatabaseError:
        logger.warning("Health check: the task queue cannot be read", exc_info=True)
        return {"ok": False}
    age = None
    if found["oldest"] is not None:
        age = max(0, round((timezone.now() - found["oldest"]).total_seconds()))
    limit = settings.HEALTHZ_MAX_TASK_AGE
    return {
        "ok": age is None or limit <= 0 or age <= limit,
        "pending": found["pending"],
        "oldest_pending_seconds": age,
    }


@login_not_required
@never_cache
@require_safe
def healthz(request):
    states = {
        "database": database_state(),
        "storage": storage_state(),
        "tasks": task_queue_state(),
    }
    healthy = all(state["ok"] for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **states}, status=200 if healthy else 503
    )

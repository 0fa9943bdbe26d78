"""Today's date for the application's rules (deadlines, reminders).

In development, ``APS_TODAY`` (AAAA-MM-JJ) places the application on another day: the demo
lives inside its 2024-2025 calendar, so that its deadlines are not all past. It is refused
when DEBUG is off.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    if settings.APS_TODAY:
        return datetime.date.fromisoformat(settings.APS_TODAY)
    return timezone.localdate()

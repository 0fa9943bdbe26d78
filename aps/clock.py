"""The application's clock.

In development, ``APS_TODAY`` (AAAA-MM-JJ) places the application on another day: the demo
lives inside its 2024-2025 calendar, so that its deadlines are not all past. It is refused
when DEBUG is off.

``today()`` is the day of the application's rules (deadlines, reminders). ``start_demo_clock``
moves the whole process's clock (``timezone.now()``, ``auto_now``, the history, e-mails, the
task worker's stamps) to that day, at the real time of day and ticking: every process of the
demo starts it when Django is ready (``aps.apps``), so that what a user does in the demo is
dated on the demo's day, never on the real date.
"""

import datetime
import time

import time_machine
from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    if settings.APS_TODAY:
        return datetime.date.fromisoformat(settings.APS_TODAY)
    return timezone.localdate()


def demo_moment() -> datetime.datetime:
    """Now's time of day (local) on ``APS_TODAY``, in UTC."""
    now = timezone.localtime()
    day = datetime.date.fromisoformat(settings.APS_TODAY)
    return datetime.datetime.combine(day, now.time(), tzinfo=now.tzinfo).astimezone(datetime.UTC)


def start_demo_clock() -> time_machine.travel | None:
    """With ``APS_TODAY`` set, move this process's clock to that day (ticking) and return the
    traveller (its ``stop()`` ends the journey); without it, leave the clock alone."""
    if not settings.APS_TODAY:
        return None
    traveller = time_machine.travel(demo_moment(), tick=True)
    traveller.start()
    # time-machine's clock starts ticking when first read: read it now, or a process that
    # waits before its first read (the task worker) would run late by that wait.
    time.time()
    return traveller

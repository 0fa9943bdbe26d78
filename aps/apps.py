from django.apps import AppConfig


class ApsConfig(AppConfig):
    name = "aps"
    verbose_name = "Comptes"

    def ready(self):
        from . import activity_log, clock

        activity_log.connect_task_signals()

        # Every process of the demo (server, task worker, commands) on the demo's day.
        clock.start_demo_clock()

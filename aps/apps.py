from django.apps import AppConfig


class ApsConfig(AppConfig):
    name = "aps"
    verbose_name = "Comptes"

    def ready(self):
        from . import clock

        # Every process of the demo (server, task worker, commands) on the demo's day.
        clock.start_demo_clock()

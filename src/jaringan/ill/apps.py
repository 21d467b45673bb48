from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IllConfig(AppConfig):
    name = "jaringan.ill"
    label = "ill"
    verbose_name = _("Interlibrary loan")

    def ready(self) -> None:
        from jaringan.network import reach

        from . import rota
        from .iso18626 import outbox, sender

        # What a reader can get, on the search and record pages, counts the free loans already used this year.
        reach.usage_source_set(rota.used_this_year)

        # A message put in the outbox wakes the serving process's sender once the change commits.
        outbox.queued.connect(sender.wake_on_commit, dispatch_uid="ill.sender")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "jaringan.discovery"
    label = "discovery"
    verbose_name = _("Search")

    def ready(self) -> None:
        from jaringan.catalog.signals import editions_changed, import_finished

        from jaringan.network.signals import libraries_changed

        editions_changed.connect(_changed, dispatch_uid="discovery.outbox")
        import_finished.connect(_imported, dispatch_uid="discovery.imported")
        libraries_changed.connect(_libraries, dispatch_uid="discovery.libraries")


def _changed(sender, edition_ids, **kwargs) -> None:
    """The catalogue changed editions: bring the index up to date once the change commits."""
    from .services import schedule_drain

    schedule_drain()


def _imported(sender, batch, **kwargs) -> None:
    """An import ended: a process draining alongside it applies what is left now, not later."""
    from .services import alongside_flush

    alongside_flush()


def _libraries(sender, library_ids, fields=None, **kwargs) -> None:
    """Libraries' networks, kind or lending changed: their editions go through the outbox again (not for a
    change of details no document holds, such as a phone number)."""
    from .documents import LIBRARY_FIELDS_INDEXED
    from .services import libraries_changed

    if fields is None or LIBRARY_FIELDS_INDEXED & set(fields):
        libraries_changed(library_ids)
    if fields is None or {"name", "city", "code", "kind"} & set(fields):
        _advanced_forget()


def _advanced_forget() -> None:
    """The advanced form lists the libraries and networks by name: its cached fragment is drawn again."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    cache.delete_many([make_template_fragment_key("discovery_advanced", [code]) for code, _name in settings.LANGUAGES])

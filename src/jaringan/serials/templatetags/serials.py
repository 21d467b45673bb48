"""``{% serial_link edition %}`` on an edition's page: a link to the serial's holdings, and no query
at all for an edition that is not a serial."""

from urllib.parse import urlencode

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..selectors import article_holders, serial_for_edition
from ..texts import reason_display

register = template.Library()

#: The words of prose a stored statement or note may begin with, and their translations.
_LEADING_WORDS = {"Supplements: ": gettext_lazy("Supplements: "), "Indexes: ": gettext_lazy("Indexes: "),
                  "embargo ": gettext_lazy("embargo ")}


@register.inclusion_tag("serials/_edition_link.html")
def serial_link(edition, record=None):
    """A serial's link to its holdings; an article's journal, linked, with the members whose holdings
    cover its volume and year (to whom a copy request goes)."""
    if edition.format == "serial" or record is None:
        return {"serial": serial_for_edition(edition)}
    found = article_holders(record)
    if found is None:
        return {}
    asked = [(k, v) for k, v in (("volume", found.volume), ("year", found.year)) if v is not None]
    return {"article": found, "serial": found.serial, "asked": urlencode(asked)}


@register.filter
def holdings_reason(reason: str) -> str:
    return reason_display(reason)


@register.filter
def statement(text: str) -> str:
    """A stored holdings statement or note with its few words of prose ("lacking", "Supplements",
    "Indexes", "embargo") in the page's language."""
    text = (text or "").replace("lacking: ", _("lacking: "))
    for word, translated in _LEADING_WORDS.items():
        if text.startswith(word):
            text = str(translated) + text[len(word):]
    return text

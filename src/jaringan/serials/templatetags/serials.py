"""``{% serial_link edition %}`` on an edition's page: a link to the serial's holdings, and no query
at all for an edition that is not a serial."""

from django import template
from django.utils.translation import gettext as _

from ..selectors import serial_for_edition
from ..texts import reason_display

register = template.Library()


@register.inclusion_tag("serials/_edition_link.html")
def serial_link(edition):
    return {"serial": serial_for_edition(edition)}


@register.filter
def holdings_reason(reason: str) -> str:
    return reason_display(reason)


@register.filter
def statement(text: str) -> str:
    """A stored holdings statement with its one word of prose ("lacking") in the page's language."""
    return (text or "").replace("lacking: ", _("lacking: "))

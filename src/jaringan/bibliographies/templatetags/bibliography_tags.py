"""Template tags other apps' pages use: the lists published on a network's page."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("bibliographies/_network.html", takes_context=True)
def network_bibliographies(context, network):
    return {"published": selectors.published_on(network), "request": context.get("request")}

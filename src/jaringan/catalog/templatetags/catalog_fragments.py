"""``{% fragment key "name" %}…{% endfragment %}``: a part of a page kept rendered under a key that names
everything the part shows, so that the same content is not rendered again.

The key is given by the view (for the edition's page, ``selectors.edition_detail``'s ``fingerprint``: a digest
of the very rows the page is made of, plus what the view decided from them); the tag adds the page's language
and the site's URL prefix. A part whose content changes gets another key, so nothing kept is ever shown stale:
old parts only wait to be culled. With no key (a page that shows something of the person asking, as a
distance from their library or a correction form) the part is rendered every time and nothing is kept.
Changed settings (as tests make them) empty the kept parts: a part may show a setting (the map's tiles).

Django's own ``{% cache %}`` keeps a part whatever its key; this tag differs in that an empty key keeps
nothing (the part is personal), which ``{% cache %}`` could only do with the part written out twice.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

#: The cache (``settings.CACHES``) the parts are kept in.
CACHE = "fragments"


class FragmentNode(template.Node):
    def __init__(self, nodelist, key, name: str):
        self.nodelist, self.key, self.name = nodelist, key, name

    def render(self, context) -> str:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        kept = caches[CACHE]
        name = f"{self.name}:{get_language()}:{get_script_prefix()}:{key}"
        text = kept.get(name)
        if text is None:
            text = self.nodelist.render(context)
            kept.set(name, text, settings.FRAGMENT_SECONDS)
        return text


@register.tag
def fragment(parser, token):
    """``{% fragment key "name" %}``: ``key`` a variable (empty: no keeping), ``name`` the part's name."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[2][0] not in "\"'" or bits[2][-1] != bits[2][0]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a key and a quoted name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), bits[2][1:-1])


def _forget(**_kwargs) -> None:
    caches[CACHE].clear()


setting_changed.connect(_forget, dispatch_uid="catalog_fragments_forget")

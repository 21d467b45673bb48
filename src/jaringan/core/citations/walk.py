"""citeproc-py's walk of a style for one reference, with what each element and each reference says kept.

citeproc-py writes a reference by walking the style's layout and the macros it calls: some 150 to 250
groups, ``cs:choose`` branches and texts a reference. At every element it asks lxml again for the same
attributes (``delimiter``, ``prefix``, ``suffix``, ``text-case``, ``quotes``…) and children, asks every
child of a group whether it calls a variable, and asks the reference for its type and language through
``__getattr__`` (an ``AttributeError`` made and caught each time). None of that changes while a
style renders: the answers are kept here, on the element (in its ``__dict__``, held as ``lookups``
explains) or on the cited item, and each function below does what citeproc-py's method does with them,
in the same order, giving the same text.

Two things of citeproc-py do change and are not kept: a ``cs:names`` gets a ``cs:name`` when it has none
(its children are never kept), and a locale's ``cs:date-part`` takes the attributes of the style's
``cs:date-part`` of the same name each time it is written (its affixes and formatting are read anew).

The functions are put in citeproc-py's classes by :func:`jaringan.core.citations.lookups.keep_style_lookups`.
"""

from __future__ import annotations

from citeproc import CitationItem
from citeproc.model import Choose, Date_Part
from citeproc.source import Reference, VariableError
from citeproc.string import String, join, normalize_seam

from .originals import original

__all__ = ["cited", "format_text", "group_process", "group_render", "names_process", "render_children",
           "text_render", "wrap"]

_CHILDREN = "_jaringan_children"
_GROUP = "_jaringan_group"
_TEXT = "_jaringan_text"
_AFFIXES = "_jaringan_affixes"
_PLAIN = "_jaringan_unformatted"
_LANGUAGE = "_jaringan_language"
_ROLES = "_jaringan_roles"
#: A language not looked up yet (``None`` is kept for a reference without one).
_UNKNOWN = object()



# The reference and the cited item: their values as plain attributes.

class PlainReference(Reference):
    """citeproc-py's ``Reference`` whose variables are read by ``dict``'s own lookup: a missing one raises
    ``VariableError`` as citeproc-py's does, a present one is found without a Python call."""

    __getitem__ = dict.__getitem__

    def __missing__(self, key):
        raise VariableError


class Cited(CitationItem):
    """citeproc-py's ``CitationItem`` with its reference as a plain attribute (citeproc-py asks for it some
    400 times a reference, each time through the citation, the bibliography and its source)."""

    reference = None


def _as_attributes(mapping) -> None:
    """A ``CustomDict``'s items also as attributes: ``reference.type`` found at once rather than through a
    failed lookup and ``__getattr__``. Only names that are no method of ``dict`` (none that CSL has)."""
    for name, value in mapping.items():
        if not hasattr(dict, name):
            object.__setattr__(mapping, name, value)


def cited(source, key: str, citation_type):
    """A citation (made by ``citation_type``, citeproc-py's ``Citation``) of ``key`` in ``source`` (a
    ``CiteProcJSON``), with the reference's and the cited item's values as plain attributes. Nothing
    later changes them: citeproc-py never writes to a reference or to a registered item."""
    reference = source[key]
    object.__setattr__(reference, "__class__", PlainReference)  # not an item, as CustomDict would make it
    _as_attributes(reference)
    item = Cited(key)
    citation = citation_type([item])
    object.__setattr__(item, "reference", reference)
    _as_attributes(item)
    return citation


def _language(element, item):
    """``Text.process``'s language: the reference's first two letters, or the style's default locale's."""
    known = item.__dict__.get(_LANGUAGE, _UNKNOWN)
    if known is _UNKNOWN:
        try:
            known = item.reference.language[:2]
        except VariableError:
            known = None
        item.__dict__[_LANGUAGE] = known
    return known if known is not None else element.get_root().get("default-locale", "en")[:2]


# The walk: children, groups, texts, affixes.

def _children(element) -> tuple:
    """The element's children, each with its class's ``render`` and whether it is a ``cs:choose`` (whose
    delimiter passes through)."""
    children = element.__dict__.get(_CHILDREN)
    if children is None:
        children = element.__dict__[_CHILDREN] = tuple(
            (child, type(child).render, isinstance(child, Choose)) for child in element)
    return children


def render_children(self, item, delimiter="", **kwargs):
    """``Parent.render_children`` (macros, layouts, branches): the children rendered, joined by ``delimiter``."""
    output = []
    for child, render, choose in _children(self):
        try:
            if choose:
                text = render(child, item, delimiter=delimiter, **kwargs)
            else:
                text = render(child, item, **kwargs)
        except VariableError:
            continue
        if text is not None:
            output.append(text)
    return join(output, delimiter) if output else None


def macro_render(self, item, context=None, sort_options=None):
    """``Macro.render`` (and ``Else.render``): its children rendered."""
    return render_children(self, item, context=context, sort_options=sort_options)


def _group_plan(group):
    """A group's delimiter and its children, each with whether it is a ``cs:choose`` and calls a variable;
    ``False`` when a child cannot say (a macro the style lacks: citeproc-py's own method raises, and late)."""
    try:
        return (group.get("delimiter", ""),
                tuple((child, render, choose, child.calls_variable()) for child, render, choose in _children(group)))
    except Exception:  # noqa: BLE001 - any error is citeproc-py's to raise, when it would
        return False


def group_process(self, item, context=None, **kwargs):
    """``Group.process``: the children joined, or ``VariableError`` when a variable was called and none written."""
    plan = self.__dict__.get(_GROUP)
    if plan is None:
        plan = self.__dict__[_GROUP] = _group_plan(self)
    if plan is False:
        return original["group_process"](self, item, context=context, **kwargs)
    delimiter, children = plan
    output = []
    called = rendered = False
    for child, render, choose, calls in children:
        called = called or calls
        try:
            if choose:
                text = render(child, item, context=context, delimiter=delimiter, **kwargs)
            else:
                text = render(child, item, context=context, **kwargs)
        except VariableError:
            continue
        if text is not None:
            output.append(text)
            rendered = rendered or calls
    if output and (not called or rendered):
        return self.join(output)
    raise VariableError


def group_render(self, item, context=None, **kwargs):
    """``Group.render``: its process and its markup (prefix, suffix and formatting of a text written)."""
    text = group_process(self, item, context=context, **kwargs)
    return self.wrap(self.format(text)) if text else None


def _roles(names):
    """A ``cs:names``'s variables as citeproc-py splits them, or False when it has none (citeproc-py fails)."""
    roles = names.__dict__.get(_ROLES)
    if roles is None:
        variable = names.get("variable")
        roles = names.__dict__[_ROLES] = tuple(variable.split()) if variable is not None else False
    return roles


def names_process(self, item, names_context=None, context=None, **kwargs):
    """``Names.process`` for a reference that has none of the ``cs:names``'s variables (most, for an editor
    or a translator): its ``cs:substitute`` or ``VariableError``, as citeproc-py comes to after finding no
    name to write; with a name, citeproc-py's own."""
    roles = _roles(self)
    if roles is not False:
        reference = item.reference
        if not any(role in reference for role in roles):
            substitute = self.substitute()
            if substitute is None:
                raise VariableError
            return substitute.render(item, context=self if context is None else context, **kwargs)
    return original["names_process"](self, item, names_context=names_context, context=context, **kwargs)


def _text_plan(text) -> tuple:
    """What a ``cs:text`` writes (variable, macro, term or value, and its name) and which of its markup
    steps can change the text: strip periods, text case, formatting, quotes (and the locale's option that
    citeproc-py reads first, which must be there), prefix and suffix."""
    kind = next((k for k in ("variable", "macro", "term", "value") if k in text.attrib), None)
    quoted = (text.get("quotes", "false").lower() == "true"
              or not isinstance(text.get_locale_option("punctuation-in-quote"), str))
    return (kind, text.get("macro"), text.get("strip-periods", "false").lower() == "true",
            text.get("text-case") is not None, _plain(text), quoted, (text.get("prefix", ""), text.get("suffix", "")))


def text_render(self, item, context=None, **kwargs):
    """``Text.render``: its process (the language found once an item) and its markup, skipping the steps
    that leave this element's text as it is."""
    plan = self.__dict__.get(_TEXT)
    if plan is None:
        plan = self.__dict__[_TEXT] = _text_plan(self)
    kind, macro, strip, cased, plain, quoted, affixes = plan
    if kind is None:
        return original["text_render"](self, item, context=context, **kwargs)
    if context is None:
        context = self
    language = item.__dict__.get(_LANGUAGE)
    if language is None:
        language = _language(self, item)
    if kind == "variable":
        text = self._variable(item, context)
    elif kind == "macro":
        text = self.get_macro(macro).render(item, context)
    elif kind == "term":
        text = self._term(item)
    else:
        text = String(self.preformat(self.get("value")))
    if not text:
        return None
    if strip:
        text = text.replace(".", "")
    if cased:
        text = self.case(text, language)
    if not plain:
        text = original["format"](self, text)
    elif isinstance(text, (int, float)):
        text = str(text)
    if quoted:
        text = self.quote(text)
    return _affixed(text, *affixes)


def wrap(self, string):
    """``Affixed.wrap``: prefix and suffix, each joined as citeproc-py joins it. A locale's date part is
    read anew (see above)."""
    if string is None:
        return None
    affixes = self.__dict__.get(_AFFIXES)
    if affixes is None:
        affixes = (self.get("prefix", ""), self.get("suffix", ""))
        if not isinstance(self, Date_Part):
            self.__dict__[_AFFIXES] = affixes
    return _affixed(string, *affixes)


def _affixed(string, prefix: str, suffix: str):
    """``string`` between ``prefix`` and ``suffix`` as citeproc-py's ``Affixed.wrap`` joins them.

    With no prefix, ``'' + string`` is what citeproc-py writes (it turns a tag of the formatter into a
    plain ``str``); with no suffix, ``text + ''`` likewise.
    """
    if prefix:
        string = normalize_seam(prefix, string)
    text = prefix + string
    return text + (normalize_seam(text, suffix) if suffix else suffix)


#: The formatting attributes of CSL and the value of each that leaves the text as it is.
_UNFORMATTED = {"font-style": "normal", "font-variant": "normal", "font-weight": "normal",
                "text-decoration": "none", "vertical-align": "baseline"}


def _plain(element) -> bool:
    """Whether the element has no formatting attribute but their defaults (most of a style's)."""
    return all(element.get(k, v) == v for k, v in _UNFORMATTED.items())


def format_text(self, string):
    """citeproc-py's formatting of a text by the element's font and decoration attributes, for an element
    without any (most of a style's): the text as it is (a number as a string), as citeproc-py's five
    formatting steps leave it, without asking the formatter five times. A locale's date part is read
    anew (see above)."""
    plain = self.__dict__.get(_PLAIN)
    if plain is None:
        plain = _plain(self)
        if not isinstance(self, Date_Part):
            self.__dict__[_PLAIN] = plain
    if not plain:
        return original["format"](self, string)
    return str(string) if isinstance(string, (int, float)) else string

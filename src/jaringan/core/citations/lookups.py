"""What citeproc-py 0.11 looks up in a style again and again, kept once a style.

It finds a macro by an XPath search of the whole style each time a reference uses it; it asks,
recursively through the macros, whether a group calls a variable, for every group of every reference;
and it finds a locale's term ("dalam", "ed.") by an XPath search of the locale each time. These answers
depend on the style and the locale alone, and finding them again was two thirds of rendering a
reference (APA 15 ms, Chicago 19 ms a reference; 5 and 7 ms with them kept).

What was left of a reference's time went, again, to finding what depends on the style alone: 45 to 55
XPath searches a reference (the enclosing layout and bibliography of each name, the ``cs:substitute`` of
each ``cs:names``, whether a date is a locale's), the Python object lxml makes anew for every element
citeproc-py walks, the child elements it finds by name (``names.label``), whether a branch calls a
variable, the locale's options, a name's options, the five formatting steps of each text without
formatting, a condition's lists of types and variables; and to the exception each ``cs:if`` that does not
hold raises (some hundred a reference). Those are kept, and a ``cs:choose`` asks its branches whether they
hold (APA 6.2 → 2.1 s, Chicago 7.5 → 2.4 s of CPU for the first rendering of 1,000 references, on a
loaded machine).

:func:`keep_style_lookups` puts in citeproc-py's classes lookups that keep their answers on the elements
asked, in their ``__dict__``: the Python object of every element of a style or locale is held from the
first lookup on (by a list on the tree's root, which the style object holds), so what is kept stays.
The only change citeproc-py makes to a style's tree while rendering is to add a ``cs:name`` to a
``cs:names`` that has none, which is why "no ``cs:name``" is not kept. What a reference renders is the
same: the tests compare whole references in every style with citeproc-py's own lookups and with the
references written before these were kept.

The walk itself (groups, texts, affixes, a ``cs:names`` without names) is in :mod:`.walk` and what a
``cs:choose`` asks in :mod:`.conditions`; this module also keeps a term's text, a locale's date format,
an element's layout and a ``cs:names``'s substitute, and puts all of them in citeproc-py's classes
(:func:`_places`). Together they took a reference from 8.5 to 4.6 million instructions in APA and from
9.6 to 4.7 million in Chicago (callgrind, 300 real records rendered cold, the style loaded included).
"""

from __future__ import annotations

from .originals import original

__all__ = ["citeproc_lookups", "keep_style_lookups", "lookups_kept", "original"]

#: Where the answers are kept, in the ``__dict__`` of the elements (lxml keeps an element's Python object
#: while something refers to it: the style's root and its locales are held by the style object).
_MACROS = "_jaringan_macros"
_CALLS = "_jaringan_calls_variable"
_TERMS = "_jaringan_terms"
_PINNED = "_jaringan_elements"
_ROOT = "_jaringan_root"
_SEARCHES = "_jaringan_searches"
_CALLS_HERE = "_jaringan_calls_variable_here"
_OPTIONS = "_jaringan_locale_options"
_NAME_OPTIONS = "_jaringan_name_options"
_LAYOUT = "_jaringan_layout"
_SUBSTITUTE = "_jaringan_substitute"
_LOCALE_DATE = "_jaringan_locale_date"
_DATES = "_jaringan_dates"
_TERM_TEXTS = "_jaringan_term_texts"

#: A method a class had only from its base (``Group.render``): taken away again when switched off.
_INHERITED = object()
#: Whether the kept lookups are in citeproc-py's classes now.
_state = {"kept": False}


def _macro(self, name):
    """The style's first macro named ``name`` (IndexError when none, as citeproc-py's own lookup)."""
    root = self.get_root()
    macros = root.__dict__.get(_MACROS)
    if macros is None:
        macros = {}
        for macro in root.xpath_search("cs:macro"):
            macros.setdefault(macro.get("name"), macro)
        root.__dict__[_MACROS] = macros
    try:
        return macros[name]
    except KeyError:
        raise IndexError(f"no macro {name!r} in the style") from None


def _text_calls_variable(self) -> bool:
    """Whether a ``cs:text`` calls a variable: for one that calls a macro, asked of the macro once."""
    name = self.get("macro")
    if name is None or "variable" in self.attrib:
        return original["text_calls_variable"](self)
    known = self.get_root().__dict__.setdefault(_CALLS, {})
    if name not in known:
        known[name] = self.get_macro(name).calls_variable()
    return known[name]


def _term(self, name, form=None, zero_padded=False):
    """A locale's term, found once (IndexError when it has none, as citeproc-py's own lookup)."""
    known = self.__dict__.setdefault(_TERMS, {})
    key = (name, form, zero_padded)
    if key not in known:
        try:
            known[key] = original["get_term"](self, name, form, zero_padded)
        except IndexError:
            known[key] = None
    if known[key] is None:
        raise IndexError(f"no term {name!r} in the locale")
    return known[key]


def _pin(root) -> None:
    """Keep the Python object of every element of ``root``'s tree while the root's is kept.

    lxml makes an element's Python object again each time one is asked for when none is held (a class
    lookup and an object: a good part of citeproc-py's time, which walks the style's tree for every
    reference); held, the same object comes back, and what is kept in its ``__dict__`` stays there.
    """
    if _PINNED not in root.__dict__:
        root.__dict__[_PINNED] = list(root.iter())


def _root(self):
    """The element's tree's root, found once an element (the elements of a style never move)."""
    root = self.__dict__.get(_ROOT)
    if root is None:
        root = self.getroottree().getroot()
        _pin(root)
        self.__dict__[_ROOT] = root
    return root


def _xpath(self, expression):
    """An XPath search from this element, done once (the list is shared: citeproc-py only reads it).

    Every search citeproc-py makes while rendering is of the style's or a locale's structure (the enclosing
    layout, bibliography, locale; the ``cs:substitute`` of a ``cs:names``; a locale's date formats),
    which no reference changes; 45 to 55 searches a reference, each compiled and run again by lxml.
    """
    known = self.__dict__.get(_SEARCHES)
    if known is None:
        _pin(self.get_root())
        known = self.__dict__[_SEARCHES] = {}
    found = known.get(expression)
    if found is None:
        found = known[expression] = original["xpath_search"](self, expression)
    return found


def _child(self, name):
    """``element.layout``, ``element.label``…: the first child of that name, found once an element.

    Kept as the element's attribute, so Python finds it without asking again. A ``cs:names`` without a
    ``cs:name`` is the exception: citeproc-py adds one to it when it first renders it, so "none" is not kept.
    """
    found = original["getattr"](self, name)
    if not name.startswith("_") and (found is not None or name != "name"):
        self.__dict__[name] = found
    return found


def _calls_variable(self) -> bool:
    """Whether a ``cs:choose``, ``cs:if``, ``cs:else`` or ``cs:macro`` calls a variable, asked once an element.

    citeproc-py asks it of every child of every group of every reference, and the answer walks the
    element's whole subtree; it depends only on the style.
    """
    known = self.__dict__.get(_CALLS_HERE)
    if known is None:
        known = self.__dict__[_CALLS_HERE] = original["parent_calls_variable"](self)
    return known


def _locale_option(self, name):
    """A locale option (``punctuation-in-quote``…), found once a style: citeproc-py asks it for every text
    it quotes or not, each time searching its locales in turn."""
    root = self.get_root()
    known = root.__dict__.setdefault(_OPTIONS, {})
    if name not in known:
        known[name] = original["get_locale_option"](self, name)
    return known[name]


def _name_option(self, name, context=None, sort_options=None):
    """A ``cs:name``'s option ("et-al-min", "initialize-with"…), found once a name element and context: from
    the element, its bibliography or citation (an XPath search) or the style. A sort's own options are
    not kept (they are asked with ``sort_options``)."""
    if sort_options and name in sort_options:
        return original["get_option"](self, name, context, sort_options)
    known = self.__dict__.get(_NAME_OPTIONS)
    if known is None:
        known = self.__dict__[_NAME_OPTIONS] = {}
    key = (name, context)
    if key not in known:
        known[key] = original["get_option"](self, name, context, None)
    return known[key]


def _kept_on(element, key: str, find):
    """``find(element)``, kept in the element's ``__dict__`` under ``key`` (an exception is not kept)."""
    known = element.__dict__
    if key in known:
        return known[key]
    found = known[key] = find(element)
    return found


def _layout(self):
    """The ``cs:layout`` the element is in (citeproc-py asks it of each variable's text, to see whether a
    ``cs:substitute`` has taken the variable)."""
    return _kept_on(self, _LAYOUT, original["get_layout"])


def _substitute(self):
    """A ``cs:names``'s ``cs:substitute``, or None (asked of every ``cs:names`` whose variables are empty)."""
    return _kept_on(self, _SUBSTITUTE, original["substitute"])


def _is_locale_date(self) -> bool:
    """Whether a ``cs:date`` is a locale's (asked twice of every date written)."""
    return _kept_on(self, _LOCALE_DATE, original["is_locale_date"])


def _date(self, form):
    """The locale's ``cs:date`` of ``form`` ("text", "numeric"), from the first locale that has one, or None:
    found once a style."""
    root = self.get_root()
    known = root.__dict__.setdefault(_DATES, {})
    if form not in known:
        known[form] = original["get_date"](self, form)
    return known[form]


def _term_text(self, name, plural, args, kwargs):
    """A term's text, singular or plural, as citeproc-py writes it (escaped by the formatter), kept on the
    root of the element asked (a locale's element finds terms in that locale alone), for each kind of
    element (a locale's root asks its own terms) and formatter."""
    key = (name, plural, args, tuple(sorted(kwargs.items())), type(self), self.get_formatter())
    known = self.get_root().__dict__.setdefault(_TERM_TEXTS, {})
    if key not in known:
        known[key] = original["get_plural_term" if plural else "get_single_term"](self, name, *args, **kwargs)
    return known[key]


def _single_term(self, name, *args, **kwargs):
    """``get_single_term``: a term's singular text, or an empty text when no locale has the term."""
    return _term_text(self, name, False, args, kwargs)


def _plural_term(self, name, *args, **kwargs):
    """``get_plural_term``: a term's plural text, or an empty text when no locale has the term."""
    return _term_text(self, name, True, args, kwargs)


def _places() -> list[tuple]:
    """(name, class, attribute, kept function) of every lookup put in citeproc-py's classes."""
    from citeproc import model

    from . import conditions, walk

    return [("get_macro", model.CitationStylesElement, "get_macro", _macro),
            ("text_calls_variable", model.Text, "calls_variable", _text_calls_variable),
            ("get_term", model.Locale, "get_term", _term),
            ("parent_calls_variable", model.Parent, "calls_variable", _calls_variable),
            ("_type", model.If, "_type", conditions.if_type),
            ("_variable", model.If, "_variable", conditions.if_variable),
            ("get_option", model.Name, "get_option", _name_option),
            ("get_locale_option", model.CitationStylesElement, "get_locale_option", _locale_option),
            ("format", model.Formatted, "format", walk.format_text),
            ("choose_render", model.Choose, "render", conditions.choose_render),
            ("get_root", model.CitationStylesElement, "get_root", _root),
            ("xpath_search", model.CitationStylesElement, "xpath_search", _xpath),
            ("getattr", model.SomewhatObjectifiedElement, "__getattr__", _child),
            ("render_children", model.Parent, "render_children", walk.render_children),
            ("group_process", model.Group, "process", walk.group_process),
            ("text_render", model.Text, "render", walk.text_render),
            ("wrap", model.Affixed, "wrap", walk.wrap),
            ("group_render", model.Group, "render", walk.group_render),
            ("macro_render", model.Macro, "render", walk.macro_render),
            ("names_process", model.Names, "process", walk.names_process),
            ("get_layout", model.CitationStylesElement, "get_layout", _layout),
            ("substitute", model.Names, "substitute", _substitute),
            ("is_locale_date", model.Date, "is_locale_date", _is_locale_date),
            ("get_date", model.CitationStylesElement, "get_date", _date),
            ("get_single_term", model.CitationStylesElement, "get_single_term", _single_term),
            ("get_plural_term", model.CitationStylesElement, "get_plural_term", _plural_term)]


def keep_style_lookups() -> None:
    """Put the kept lookups in citeproc-py's classes (once a process; calling again changes nothing)."""
    if original:
        return
    places = _places()
    for name, cls, attribute, _ in places:
        original[name] = cls.__dict__.get(attribute, _INHERITED)
    for _, cls, attribute, kept in places:
        setattr(cls, attribute, kept)
    _state["kept"] = True


def lookups_kept() -> bool:
    """Whether citeproc-py's classes have the kept lookups (see :func:`citeproc_lookups`)."""
    return _state["kept"]


def citeproc_lookups(kept: bool) -> None:
    """citeproc-py's classes with the kept lookups (``True``) or with citeproc-py's own (``False``: for
    tests comparing the two; :mod:`render` then drives citeproc-py as it comes too). Elements already asked
    keep their answers: use a style loaded afresh."""
    keep_style_lookups()
    for name, cls, attribute, tuned in _places():
        if kept or original[name] is not _INHERITED:
            setattr(cls, attribute, tuned if kept else original[name])
        elif attribute in cls.__dict__:
            delattr(cls, attribute)
    _state["kept"] = kept

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
"""

from __future__ import annotations

__all__ = ["citeproc_lookups", "keep_style_lookups"]

#: Where the answers are kept, in the ``__dict__`` of the elements (lxml keeps an element's Python object
#: while something refers to it: the style's root and its locales are held by the style object).
_MACROS = "_jaringan_macros"
_CALLS = "_jaringan_calls_variable"
_TERMS = "_jaringan_terms"
_PINNED = "_jaringan_elements"
_ROOT = "_jaringan_root"
_SEARCHES = "_jaringan_searches"
_TYPES = "_jaringan_types"
_CALLS_HERE = "_jaringan_calls_variable_here"
_OPTIONS = "_jaringan_locale_options"
_PLAIN = "_jaringan_unformatted"
_PLAN = "_jaringan_condition"
_VARIABLES = "_jaringan_variables"
_NAME_OPTIONS = "_jaringan_name_options"

#: citeproc-py's own lookups, which the kept ones ask once.
_original: dict = {}


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
        return _original["calls_variable"](self)
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
            known[key] = _original["get_term"](self, name, form, zero_padded)
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
        found = known[expression] = _original["xpath_search"](self, expression)
    return found


def _child(self, name):
    """``element.layout``, ``element.label``…: the first child of that name, found once an element.

    Kept as the element's attribute, so Python finds it without asking again. A ``cs:names`` without a
    ``cs:name`` is the exception: citeproc-py adds one to it when it first renders it, so "none" is not kept.
    """
    found = _original["getattr"](self, name)
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
        known = self.__dict__[_CALLS_HERE] = _original["parent_calls_variable"](self)
    return known


def _kinds(branch) -> list:
    """A condition's list of types (``type="book chapter"``), lower-cased as citeproc-py compares them."""
    kinds = branch.__dict__.get(_TYPES)
    if kinds is None:
        kinds = branch.__dict__[_TYPES] = [kind.lower() for kind in branch.get("type").split()]
    return kinds


def _type(self, item) -> list:
    """``cs:if type="book chapter …"``: whether the reference is of each type, as citeproc-py answers it,
    with the reference's type and the element's list of types each found once (not once a type)."""
    own = item.reference.type
    return [kind == own for kind in _kinds(self)]


def _locale_option(self, name):
    """A locale option (``punctuation-in-quote``…), found once a style: citeproc-py asks it for every text
    it quotes or not, each time searching its locales in turn."""
    root = self.get_root()
    known = root.__dict__.setdefault(_OPTIONS, {})
    if name not in known:
        known[name] = _original["get_locale_option"](self, name)
    return known[name]


#: The formatting attributes of CSL and the value of each that leaves the text as it is.
_UNFORMATTED = {"font-style": "normal", "font-variant": "normal", "font-weight": "normal",
                "text-decoration": "none", "vertical-align": "baseline"}


def _format(self, string):
    """citeproc-py's formatting of a text by the element's font and decoration attributes, for an element
    without any (most of a style's): the text as it is (a number as a string), as citeproc-py's five
    formatting steps leave it, without asking the formatter five times."""
    plain = self.__dict__.get(_PLAIN)
    if plain is None:
        plain = self.__dict__[_PLAIN] = all(self.get(k, v) == v for k, v in _UNFORMATTED.items())
    if not plain:
        return _original["format"](self, string)
    return str(string) if isinstance(string, (int, float)) else string


def _names(branch) -> list:
    """A condition's list of variables (``variable="DOI URL"``), in citeproc-py's spelling."""
    names = branch.__dict__.get(_VARIABLES)
    if names is None:
        names = branch.__dict__[_VARIABLES] = [name.replace("-", "_") for name in branch.get("variable").split()]
    return names


def _variable(self, item) -> list:
    """``cs:if variable="DOI URL"``: whether the reference has each variable, as citeproc-py answers it,
    with the element's list of variables found once."""
    reference = item.reference
    return [("locator" in item) if name == "locator" else (name in reference) for name in _names(self)]


def _name_option(self, name, context=None, sort_options=None):
    """A ``cs:name``'s option ("et-al-min", "initialize-with"…), found once a name element and context: from
    the element, its bibliography or citation (an XPath search) or the style. A sort's own options are
    not kept (they are asked with ``sort_options``)."""
    if sort_options and name in sort_options:
        return _original["get_option"](self, name, context, sort_options)
    known = self.__dict__.get(_NAME_OPTIONS)
    if known is None:
        known = self.__dict__[_NAME_OPTIONS] = {}
    key = (name, context)
    if key not in known:
        known[key] = _original["get_option"](self, name, context, None)
    return known[key]


#: A condition's attributes, besides ``type``, ``variable`` and ``position``, and the method of
#: citeproc-py's ``If`` that tests each.
_CONDITIONS = (("is-numeric", "_is_numeric"), ("is-uncertain-date", "_is_uncertain_date"),
               ("locator", "_locator"))


def _plan(branch) -> tuple:
    """What a branch tests: its types, its variables, its other tests, whether it tests the position, and
    how the results combine (``match``)."""
    attrib = branch.attrib
    others = tuple(getattr(type(branch), method) for name, method in _CONDITIONS if name in attrib)
    return (_kinds(branch) if "type" in attrib else None, _names(branch) if "variable" in attrib else None,
            others, "position" in attrib, branch.get("match"))


def _holds(branch, item, context) -> bool:
    """Whether a ``cs:if`` or ``cs:else-if`` holds for the item: each of its tests answered as citeproc-py
    answers it (types and variables here, with their lists found once a branch; the others by citeproc-py's
    own methods), the answers combined by its ``match`` as citeproc-py's ``If`` combines them."""
    plan = branch.__dict__.get(_PLAN)
    if plan is None:
        plan = branch.__dict__[_PLAN] = _plan(branch)
    kinds, names, others, position, match = plan
    reference = item.reference
    results = []
    if kinds is not None:
        own = reference.type
        results = [kind == own for kind in kinds]
    if names is not None:
        results += [("locator" in item) if name == "locator" else (name in reference) for name in names]
    for test in others:
        results += test(branch, item)
    if position:
        results += branch._position(item, context)
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


def _choose(self, item, context=None, delimiter="", **kwargs):
    """A ``cs:choose``: the children of its first branch that holds, as citeproc-py renders them.

    citeproc-py asks each branch to render and a branch that does not hold raises an exception, which the
    ``cs:choose`` catches: some hundred exceptions a reference. Here a branch is asked whether it holds.
    """
    from citeproc.model import ConditionFailed, If

    for branch in self.iterchildren():
        if isinstance(branch, If):
            if _holds(branch, item, context):
                return branch.render_children(item, context=context, delimiter=delimiter, **kwargs)
            continue
        try:
            return branch.render(item, context=context, delimiter=delimiter, **kwargs)
        except ConditionFailed:
            continue
    return None


def _places():
    from citeproc import model

    return {"get_macro": (model.CitationStylesElement, _macro),
            "calls_variable": (model.Text, _text_calls_variable),
            "get_term": (model.Locale, _term),
            "parent_calls_variable": (model.Parent, _calls_variable),
            "_type": (model.If, _type),
            "_variable": (model.If, _variable),
            "get_option": (model.Name, _name_option),
            "get_locale_option": (model.CitationStylesElement, _locale_option),
            "format": (model.Formatted, _format),
            "render": (model.Choose, _choose),
            "get_root": (model.CitationStylesElement, _root),
            "xpath_search": (model.CitationStylesElement, _xpath),
            "getattr": (model.SomewhatObjectifiedElement, _child)}


def keep_style_lookups() -> None:
    """Put the kept lookups in citeproc-py's classes (once a process; calling again changes nothing)."""
    if _original:
        return
    places = _places()
    for name, (cls, _) in places.items():
        _original[name] = cls.__dict__[_attribute(name)]
    for name, (cls, kept) in places.items():
        setattr(cls, _attribute(name), kept)


def _attribute(name: str) -> str:
    return {"getattr": "__getattr__", "parent_calls_variable": "calls_variable"}.get(name, name)


def citeproc_lookups(kept: bool) -> None:
    """citeproc-py's classes with the kept lookups (``True``) or with citeproc-py's own (``False``: for
    tests comparing the two). Elements already asked keep their answers: use a style loaded afresh."""
    keep_style_lookups()
    for name, (cls, tuned) in _places().items():
        setattr(cls, _attribute(name), tuned if kept else _original[name])

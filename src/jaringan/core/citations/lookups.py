"""What citeproc-py 0.11 looks up in a style again and again, kept once a style.

It finds a macro by an XPath search of the whole style each time a reference uses it; it asks,
recursively through the macros, whether a group calls a variable, for every group of every reference;
and it finds a locale's term ("dalam", "ed.") by an XPath search of the locale each time. These answers
depend on the style and the locale alone, and finding them again was two thirds of rendering a
reference (APA 15 ms, Chicago 19 ms a reference; 5 and 7 ms with them kept). :func:`keep_style_lookups`
puts in citeproc-py's classes lookups that keep their answers on the elements asked: on the style's root
element (where citeproc-py keeps the style's locales itself) and on each locale element. What a reference
renders is the same: the tests of every style compare whole references.
"""

from __future__ import annotations

__all__ = ["keep_style_lookups"]

#: Where the answers are kept, in the ``__dict__`` of the elements (lxml keeps an element's Python object
#: while something refers to it: the style's root and its locales are held by the style object).
_MACROS = "_jaringan_macros"
_CALLS = "_jaringan_calls_variable"
_TERMS = "_jaringan_terms"

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


def keep_style_lookups() -> None:
    """Put the kept lookups in citeproc-py's classes (once a process; calling again changes nothing)."""
    from citeproc import model

    if _original:
        return
    _original.update(get_macro=model.CitationStylesElement.get_macro, calls_variable=model.Text.calls_variable,
                     get_term=model.Locale.get_term)
    model.CitationStylesElement.get_macro = _macro
    model.Text.calls_variable = _text_calls_variable
    model.Locale.get_term = _term

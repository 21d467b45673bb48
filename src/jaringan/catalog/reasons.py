"""Why a record was quarantined (or a file refused, or a run interrupted), in the interface's language.

The readers in ``core.catalog.readers`` know no Django: they write each reason as an English sentence
that is stored as it is.  The sentences they write are a small, fixed set of patterns; this module
recognises them at display and says the same in the page's language, numbers grouped as the language
groups them.  A sentence it does not recognise (a library's message, a new reader) is shown unchanged.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["reason_display"]

_N = r"(?P<%s>\d[\d,]*)"

#: What a missing title's parenthesis names, per reader.
_TITLE_WHERE = {
    "245 $a, $k and $b are missing or empty": _("245 $a, $k and $b are missing or empty"),
    "dc:title is missing or empty": _("dc:title is missing or empty"),
    "titleInfo/title is missing or empty": _("titleInfo/title is missing or empty"),
    "the 'title' field is empty": _("the 'title' field is empty"),
    "the 'title' column is empty": _("the 'title' column is empty"),
    "no TI or T1 line": _("no TI or T1 line"),
}
_KINDS = {"a holdings": pgettext_lazy("MARC record kind", "a holdings"),
          "an authority": pgettext_lazy("MARC record kind", "an authority")}

#: (pattern of the stored English sentence, its translation with the pattern's groups as placeholders).
PATTERNS = [
    (re.compile(r"no title \((?P<where>[^)]*)\)"), _("no title (%(where)s)")),
    (re.compile(r"the file ends inside this record: the leader says %s bytes but only %s remain"
                % (_N % "length", _N % "remain")),
     _("the file ends inside this record: the leader says %(length)s bytes but only %(remain)s remain")),
    (re.compile(r"leader length (?P<length>\d+) given, but no record terminator \(0x1D\) was found"),
     _("leader length %(length)s given, but no record terminator (0x1D) was found")),
    (re.compile(r"leader length (?P<length>\d+) does not match the record's %s bytes" % (_N % "size")),
     _("leader length %(length)s does not match the record's %(size)s bytes")),
    (re.compile(r"the leader does not start with a five-digit record length \(found (?P<found>.*)\)"),
     _("the leader does not start with a five-digit record length (found %(found)s)")),
    (re.compile(r"this is (?P<kind>a holdings|an authority) record \(leader/06 (?P<code>'.')\), "
                r"not a bibliographic record"),
     _("this is %(kind)s record (leader/06 %(code)s), not a bibliographic record")),
    (re.compile(r"invalid UTF-8 at byte %s of the record, and not MARC-8 either" % (_N % "byte")),
     _("invalid UTF-8 at byte %(byte)s of the record, and not MARC-8 either")),
    (re.compile(r"pymarc cannot read the record \((?P<detail>.*)\)"),
     _("the MARC record cannot be read (%(detail)s)")),
    (re.compile(r"pymarc cannot build the record: (?P<detail>.*)"),
     _("the MARC record cannot be built: %(detail)s")),
    # A batch's notices on interrupted runs (``catalog.services.batches``), stored in English.
    (re.compile(r"The previous run was interrupted at (?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \(it had read "
                r"%s records; what it committed is kept and recognised when seen again\)\." % (_N % "read")),
     _("The previous run was interrupted at %(at)s (it had read %(read)s records; what it committed is kept "
       "and recognised when seen again).")),
    (re.compile(r"Interrupted: the process running it \((?P<worker>[^)]*)\) stopped; it last committed at "
                r"(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\."),
     _("Interrupted: the process running it (%(worker)s) stopped; it last committed at %(at)s.")),
    # Why a whole file could not be read (``core.catalog.readers.errors``), after the file's name.
    (re.compile(r"cannot tell the format from the file's beginning (?P<start>.*); "
                r"give it explicitly \(marc21, marcxml, dc, mods, csv(?: or slims|, slims, ris or bibtex)\)", re.S),
     _("cannot tell the format from the file's beginning %(start)s; choose it in the list of formats")),
    # RIS and BibTeX (``readers.ris``, ``readers.bibtex``), after the lines they name.
    (re.compile(r"no ER line before the next record starts at line %s" % (_N % "line")),
     _("no ER line before the next record starts at line %(line)s")),
    (re.compile(r"text outside a record \(no TY line before it\)"), _("text outside a record (no TY line before it)")),
    (re.compile(r"the file ends inside this record \(no ER line\)"), _("the file ends inside this record (no ER line)")),
    (re.compile(r"more than %s lines without an ER line" % (_N % "size")), _("more than %(size)s lines without an ER line")),
    (re.compile(r"entry (?P<key>'.*') has no title"), _("entry %(key)s has no title")),
    (re.compile(r"the entry cannot be read \((?P<detail>.*)\)", re.S), _("the entry cannot be read (%(detail)s)")),
    (re.compile(r"the file is larger than the limit of %s bytes" % (_N % "size")),
     _("the file is larger than the limit of %(size)s bytes")),
    (re.compile(r"the file is larger than the limit of %s bytes for this format" % (_N % "size")),
     _("the file is larger than the limit of %(size)s bytes for this format")),
    (re.compile(r"the file is empty or holds only blanks, not an XML document"),
     _("the file is empty or holds only blanks, not an XML document")),
    (re.compile(r"the file does not start as an XML document \(found (?P<found>.*)\)", re.S),
     _("the file does not start as an XML document (found %(found)s)")),
]
#: A CSV reason starts with where it is: "line 12: …" or "lines 12, 13: …".
_CSV_WHERE = re.compile(r"(?P<word>lines?) (?P<lines>\d[\d,]*(?:(?:, |–)\d[\d,]*)*): (?P<rest>.*)", re.S)
#: What a reader adds after a reason: the row or record was set aside and the rest read.
_SET_ASIDE = {
    "; the row was set aside and the rest of the file read": _("; the row was set aside and the rest of the file read"),
    "; the record was set aside and the rest of the file read":
        _("; the record was set aside and the rest of the file read"),
    "; it was set aside and the rest of the file read": _("; it was set aside and the rest of the file read"),
}


def _value(name: str, text: str) -> str:
    if name == "where":
        return str(_TITLE_WHERE.get(text, text))
    if name == "kind":
        return str(_KINDS.get(text, text))
    if name == "worker" and text == "unknown":
        return str(_("unknown"))
    if name == "at":
        return date_format(datetime.strptime(text, "%Y-%m-%d %H:%M:%S"), "DATETIME_FORMAT")
    if name in ("length", "remain", "size", "byte", "read", "line"):
        return number_format(int(text.replace(",", "")), force_grouping=True)
    return text


def _sentence(text: str) -> str | None:
    for pattern, translated in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return str(translated) % {k: _value(k, v) for k, v in found.groupdict().items()}
    return None


def reason_display(reason: str) -> str:
    """A stored quarantine reason or file error in the active language, or unchanged when unknown."""
    text = (reason or "").strip()
    known = _sentence(text)
    if known is not None:
        return known
    where = _CSV_WHERE.fullmatch(text)
    if where:
        rest = where["rest"]
        set_aside = next((s for s in _SET_ASIDE if rest.endswith(s)), "")
        inner = _sentence(rest.removesuffix(set_aside))
        if inner is not None:
            lines = re.sub(r"\d[\d,]*", lambda n: number_format(int(n.group().replace(",", "")), force_grouping=True),
                           where["lines"])
            head = (_("line %(lines)s") if where["word"] == "line" else _("lines %(lines)s")) % {"lines": lines}
            tail = str(_SET_ASIDE[set_aside]) if set_aside else ""
            return f"{head}: {inner}{tail}"
    named, _sep, rest = text.partition(": ")
    if rest and "\n" not in named:  # "<file name>: <sentence>", as a reader names the file it stops at
        inner = _sentence(rest)
        if inner is not None:
            return f"{named}: {inner}"
    return reason

"""The reasons a holdings line was refused or warned about are stored as the readers write them
(English, with the line's details); shown in the page's language here."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_PATTERNS = [
    (re.compile(r"^(\d+) columns where the header has (\d+)$"),
     lambda m: _("%(n)s columns where the header has %(h)s") % {"n": m[1], "h": m[2]}),
    (re.compile(r"^no title and no ISSN$"), lambda m: _("no title and no ISSN")),
    (re.compile(r"^a monograph, not a serial: left out$"), lambda m: _("a monograph, not a serial: left out")),
    (re.compile(r"^ISSN with a wrong check digit kept as written: (.*)$"),
     lambda m: _("ISSN with a wrong check digit kept as written: %(issn)s") % {"issn": m[1]}),
    (re.compile(r"^no bibliographic record (.*) of this library in the catalogue yet: .*$"),
     lambda m: _("no bibliographic record %(id)s of this library in the catalogue yet: the holding is kept and "
                 "linked when the record arrives") % {"id": m[1]}),
    (re.compile(r"^kept as written, not read as ranges: (.*)$", re.S),
     lambda m: _("kept as written, not read as ranges: %(text)s") % {"text": m[1]}),
    (re.compile(r"^a bibliographic record without holdings fields \(853-868\): left out$"),
     lambda m: _("a bibliographic record without holdings fields (853-868): left out")),
    (re.compile(r"^a holdings record with no 004 naming its bibliographic record$"),
     lambda m: _("a holdings record with no 004 naming its bibliographic record")),
]


def reason_display(reason: str) -> str:
    for pattern, say in _PATTERNS:
        m = pattern.match(reason or "")
        if m:
            return say(m)
    return reason

"""Control characters in what people type, refused at the edge with the field named.

Nobody types a control character on purpose; one pasted into an agency id, a
code or a note would travel into ISO 18626 messages, feeds and exports, where
XML 1.0 cannot carry it. A value on one line (a code, an agency id, a name)
takes none of C0 (U+0000-U+001F), DEL or C1 (U+0080-U+009F); a text (a note, a
purpose) also takes tab and line breaks. What is already stored is made safe
where it is written out (`jaringan.core.iso18626.codec.xml_text`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from django.db import models
from django.utils.translation import gettext as _

from jaringan.core.errors import Invalid

__all__ = ["control_errors", "model_control_errors", "raise_for", "refuse_controls"]

#: Never in a value on one line: C0 controls (tab and line breaks too), DEL and C1 controls.
LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
#: Never in a text: the same, but tab, line feed and carriage return.
TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _error(value: str, pattern: re.Pattern) -> str | None:
    found = pattern.search(value)
    if found is None:
        return None
    return _("a control character (U+%(code)04X) at position %(position)s; remove it.") % {
        "code": ord(found.group()), "position": found.start() + 1}


def control_errors(values: Mapping[str, object], *, texts: Collection[str] = ()) -> dict[str, list[str]]:
    """Field → what is wrong, for each string value holding a control character (``texts`` take tab and breaks)."""
    errors = {}
    for name, value in values.items():
        if isinstance(value, str):
            why = _error(value, TEXT if name in texts else LINE)
            if why is not None:
                errors[name] = [why]
    return errors


def model_control_errors(obj: models.Model) -> dict[str, list[str]]:
    """`control_errors` over a model's character fields (its ``TextField``\\ s are texts)."""
    fields = [f for f in obj._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
    return control_errors({f.name: getattr(obj, f.attname) for f in fields},
                          texts={f.name for f in fields if isinstance(f, models.TextField)})


def raise_for(errors: dict[str, list[str]]) -> None:
    """Refuse with ``Invalid`` naming each field, when there is anything to say."""
    if errors:
        summary = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        raise Invalid(summary, code="control_character", errors=errors)


def refuse_controls(values: Mapping[str, object], *, texts: Collection[str] = ()) -> None:
    """`control_errors`, refused with ``Invalid`` (code ``control_character``) naming every field."""
    raise_for(control_errors(values, texts=texts))

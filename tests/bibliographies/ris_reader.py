"""A small RIS reader of the tests' own (the RIS specification: "TAG  - value" lines, TY opens, ER closes),
written apart from the exporter so that a file the exporter writes is read by something that is not it."""

from __future__ import annotations

import re

LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


class RISError(ValueError):
    pass


def read_ris(text: str) -> list[dict[str, list[str]]]:
    references, current = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if match is None:
            raise RISError(f"line {number}: not a RIS tag line: {line!r}")
        tag, value = match.groups()
        if tag == "TY":
            if current is not None:
                raise RISError(f"line {number}: TY before the previous reference's ER")
            current = {"TY": [value]}
        elif current is None:
            raise RISError(f"line {number}: {tag} outside a reference")
        elif tag == "ER":
            references.append(current)
            current = None
        else:
            current.setdefault(tag, []).append(value)
    if current is not None:
        raise RISError("the last reference has no ER")
    return references

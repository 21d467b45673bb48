"""Dataclasses ↔ ISO 18626 XML elements, driven by the dataclasses' fields.

``decode`` reads an element into a dataclass of ``elements``/``messages``,
checking what the schema checks for these simple shapes: every child in the
ISO 18626 namespace, in sequence order, none unknown, every required one
present, codes inside their lists, dates, numbers and booleans readable.
An optional element written empty (``<needBeforeDate/>``, as ReShare writes
the fields it leaves blank) reads as absent, except text, where ``""`` stays
a value (an empty id is refused by the receiver, not mistaken for none).
``encode`` writes one back, leaving out what XML 1.0 cannot carry (control
characters a member once stored), so writing a message never fails.
Timestamps are normalised on the way in (``+0000`` → ``+00:00``, ``.0Z`` →
UTC) and written as ``xs:dateTime`` wants.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from datetime import datetime
from decimal import Decimal
from enum import Enum
from functools import cache

from lxml import etree

from .elements import SchemeValue
from .errors import (
    BadlyFormedMessage,
    UnrecognisedDataElement,
    UnrecognisedDataValue,
    UnsupportedActionType,
    UnsupportedReasonForMessageType,
)
from .vocabulary import Action, ReasonForMessage

__all__ = ["NS", "VERSION", "decode", "encode", "format_datetime", "parse_datetime", "qname"]

NS = "http://illtransactions.org/2013/iso18626"
#: The schema version this package writes (``ill:version``).
VERSION = "1.2"

_DATETIME = re.compile(
    r"^(?P<base>-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d+))?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}
#: A code outside these lists has an error type of its own (``type_errorType``); any other, UnrecognisedDataValue.
_ENUM_ERRORS = {Action: UnsupportedActionType, ReasonForMessage: UnsupportedReasonForMessageType}


def qname(local: str) -> str:
    """The Clark name of an element or attribute in the ISO 18626 namespace."""
    return f"{{{NS}}}{local}"


def parse_datetime(text: str, where: str = "dateTime") -> datetime:
    """Read an ``xs:dateTime``, also in the forms peers really send (``+0000``, ``.0Z``).

    Raises ``BadlyFormedMessage`` when the text is not a date and time at all.
    """
    match = _DATETIME.match(text.strip())
    if not match:
        raise BadlyFormedMessage(f"{where}: {text!r} is not a date and time (xs:dateTime)")
    iso = match["base"]
    if match["frac"]:
        iso += "." + match["frac"][:6].ljust(6, "0")
    tz = match["tz"]
    if tz == "Z":
        iso += "+00:00"
    elif tz:
        iso += tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
    try:
        return datetime.fromisoformat(iso)
    except ValueError as exc:
        raise BadlyFormedMessage(f"{where}: {text!r} is not a valid date and time ({exc})") from None


def format_datetime(value: datetime) -> str:
    """Write an ``xs:dateTime``: ISO 8601 with seconds, ``+00:00`` for UTC."""
    return value.isoformat()


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    element: str
    type: type
    required: bool
    many: bool
    default: object


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@cache
def fields_of(cls: type) -> tuple[_Field, ...]:
    """The XML shape of a dataclass: its fields in schema order, with element names."""
    hints = typing.get_type_hints(cls)
    shape = []
    for f in dataclasses.fields(cls):
        hint, many, required = hints[f.name], False, True
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is tuple:
            hint, many, required = args[0], True, False
        elif origin in (typing.Union, types.UnionType):
            (hint,) = [a for a in args if a is not type(None)]
            required = False
        default = f.default if f.default is not dataclasses.MISSING else None
        shape.append(_Field(f.name, f.metadata.get("element", _camel(f.name)), hint, required, many, default))
    return tuple(shape)


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return None, tag


def decode(cls: type, element: etree._Element, path: str):
    """Read ``element`` into an instance of the dataclass ``cls``; ``path`` names it in errors."""
    shape = fields_of(cls)
    values: dict[str, object] = {}
    at = 0
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        ns, local = _local(child.tag)
        where = f"{path}/{local}"
        if ns != NS:
            raise UnrecognisedDataElement(f"{where}: element outside the ISO 18626 namespace ({ns or 'none'})")
        index = next((i for i in range(at, len(shape)) if shape[i].element == local), None)
        if index is None:
            if any(f.element == local for f in shape[:at]):
                raise BadlyFormedMessage(f"{where}: repeated or out of order")
            raise UnrecognisedDataElement(f"{where}: not an element of <{_local(element.tag)[1]}>")
        f = shape[index]
        if not f.required and f.type is not str and _empty(child):
            at = index if f.many else index + 1
            continue  # <needBeforeDate/>, <offeredCosts/>: peers write an optional element empty for "none"
        value = _decode_value(f.type, child, where)
        if f.many:
            values.setdefault(f.name, []).append(value)
            at = index
        else:
            values[f.name] = value
            at = index + 1
    for f in shape:
        if f.many and f.name in values:
            values[f.name] = tuple(values[f.name])
        elif f.required and f.name not in values:
            if f.default is None:
                raise BadlyFormedMessage(f"{path}: required element <{f.element}> is missing")
            values[f.name] = f.default  # tolerated: absent from older schema versions
    try:
        return cls(**values)
    except ValueError as exc:
        raise BadlyFormedMessage(f"{path}: {exc}") from None


def _decode_value(hint: type, child: etree._Element, where: str):
    if hint is SchemeValue:
        scheme = child.get(qname("scheme"), child.get("scheme"))
        return SchemeValue(value=_text(child, where), scheme=scheme)
    if dataclasses.is_dataclass(hint):
        return decode(hint, child, where)
    text = _text(child, where)
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(text.strip())
        except ValueError:
            allowed = ", ".join(m.value for m in hint)
            error = _ENUM_ERRORS.get(hint, UnrecognisedDataValue)
            raise error(f"{where}: {text!r} is not one of {allowed}") from None
    if hint is datetime:
        return parse_datetime(text, where)
    if hint is bool:
        if text.strip() not in _BOOLEAN:
            raise BadlyFormedMessage(f"{where}: {text!r} is not true or false")
        return _BOOLEAN[text.strip()]
    if hint is int:
        if not _INTEGER.match(text.strip()):
            raise BadlyFormedMessage(f"{where}: {text!r} is not a whole number")
        return int(text.strip())
    if hint is Decimal:
        if not _DECIMAL.match(text.strip()):
            raise BadlyFormedMessage(f"{where}: {text!r} is not a decimal number")
        return Decimal(text.strip())
    return text


def _empty(child: etree._Element) -> bool:
    return not any(isinstance(c.tag, str) for c in child) and not "".join(child.itertext()).strip()


def _text(child: etree._Element, where: str) -> str:
    if any(isinstance(c.tag, str) for c in child):
        raise BadlyFormedMessage(f"{where}: holds elements where a value is expected")
    return "".join(child.itertext())


def encode(obj, local: str) -> etree._Element:
    """Write the dataclass instance ``obj`` as the element ``local`` in the ISO 18626 namespace."""
    element = etree.Element(qname(local))
    for f in fields_of(type(obj)):
        value = getattr(obj, f.name)
        for item in value if f.many else ([] if value is None else [value]):
            element.append(_encode_value(item, f.element))
    return element


def _encode_value(value, local: str) -> etree._Element:
    if isinstance(value, SchemeValue):
        element = etree.Element(qname(local))
        element.text = xml_text(value.value)
        if value.scheme is not None:
            element.set(qname("scheme"), xml_text(value.scheme))
        return element
    if dataclasses.is_dataclass(value):
        return encode(value, local)
    element = etree.Element(qname(local))
    if isinstance(value, Enum):
        element.text = str(value.value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, datetime):
        element.text = format_datetime(value)
    elif isinstance(value, Decimal):
        element.text = format(value, "f")
    else:
        element.text = xml_text(str(value))
    return element


#: What XML 1.0 cannot carry: C0 controls but tab and line breaks, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (lxml refuses them)."""
    return _NOT_XML.sub("", text)

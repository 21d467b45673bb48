"""NCIP 2 messages: read any, write the few Jaringan answers and asks. No Django here.

Reading is forgiving where real systems are sloppy: a message with no namespace (FOLIO's mod-ncip takes
those) is read in the NCIP namespace; a message that declares ``windows-1252`` (or any
8-bit encoding) but whose bytes are valid UTF-8 is read as UTF-8 — the Koha connector sends Czech names
that way, and honouring the declaration would turn "Němec" into "NÄ›mec". External entities, DTDs and the
network are never consulted.

Writing follows the schemas (``elementFormDefault`` and ``attributeFormDefault`` qualified: the
``version`` and ``Scheme`` attributes carry the namespace too); every element is written in schema order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from lxml import etree

from jaringan.core.errors import Invalid

NS = "http://www.niso.org/2008/ncip"
_N = "{%s}" % NS
NSMAP = {"ns1": NS}

VERSIONS = {
    "2.0": "http://www.niso.org/schemas/ncip/v2_0/imp1/xsd/ncip_v2_0.xsd",
    "2.01": "http://www.niso.org/schemas/ncip/v2_01/imp1/xsd/ncip_v2_01.xsd",
    "2.02": "http://www.niso.org/schemas/ncip/v2_02/imp1/xsd/ncip_v2_02.xsd",
}
DEFAULT_VERSION = VERSIONS["2.02"]

GENERAL_ERROR = "http://www.niso.org/ncip/v1_0/schemes/processingerrortype/generalprocessingerror.scm"
LOOKUP_USER_ERROR = "http://www.niso.org/ncip/v1_0/schemes/processingerrortype/lookupuserprocessingerror.scm"
BLOCK_SCHEME = "http://www.niso.org/ncip/v1_0/imp1/schemes/blockortraptype/blockortraptype.scm"
CURRENCY_SCHEME = "http://www.bsi-global.com/Technical+Information/Publications/_Publications/tig90x.doc"
PRIVILEGE_STATUS_SCHEME = ("http://www.niso.org/ncip/v1_0/imp1/schemes/userprivilegestatustype/"
                           "userprivilegestatustype.scm")

#: Problem types Jaringan writes (the general and LookupUser processing-error schemes).
AGENCY_AUTHENTICATION_FAILED = (GENERAL_ERROR, "Agency Authentication Failed")
NEEDED_DATA_MISSING = (GENERAL_ERROR, "Needed Data Missing")
INVALID_MESSAGE = (GENERAL_ERROR, "Invalid Message Syntax Error")
UNSUPPORTED_SERVICE = (GENERAL_ERROR, "Unsupported Service")
TEMPORARY_FAILURE = (GENERAL_ERROR, "Temporary Processing Failure")
UNKNOWN_USER = (LOOKUP_USER_ERROR, "Unknown User")
USER_AUTHENTICATION_FAILED = (LOOKUP_USER_ERROR, "User Authentication Failed")

#: The largest message read (a LookupAgency answer of a real Koha is 30 KB).
MAX_BYTES = 1_000_000

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True)
_DECLARATION = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])([A-Za-z0-9._-]+)\2", re.S)


class NcipError(Invalid):
    """Bytes that are not an NCIP message (not XML, not ``NCIPMessage`` in the NCIP namespace, too large)."""


@dataclass(frozen=True)
class Problem:
    type: str
    scheme: str = ""
    detail: str = ""
    element: str = ""
    value: str = ""


@dataclass
class Message:
    """Any NCIP message: its version, its service (``LookupUser``, ``CheckOutItemResponse``…) and its tree."""

    version: str
    service: str
    body: etree._Element
    problems: list[Problem] = field(default_factory=list)
    #: The encoding the bytes were read in, and the one they declared when it was not the truth.
    encoding: str = "utf-8"
    declared_encoding: str = ""

    @property
    def is_response(self) -> bool:
        return self.service.endswith("Response") or self.service == "Problem"

    def text(self, path: str) -> str:
        """The text of the first element at ``path`` (NCIP names, ``/`` between steps) under the service."""
        found = self.body.find(_path(path))
        return (found.text or "").strip() if found is not None else ""


def _path(path: str) -> str:
    return "/".join(f"{_N}{step}" for step in path.split("/"))


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _decode_honestly(data: bytes) -> tuple[bytes, str, str]:
    """Bytes to parse, the encoding used and the false declaration replaced ("" when none)."""
    m = _DECLARATION.match(data)
    if not m:
        return data, "utf-8", ""
    declared = m.group(3).decode("ascii").lower()
    if declared in ("utf-8", "utf8"):
        return data, "utf-8", ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data, declared, ""  # truly 8-bit: the declaration is right
    if all(b < 0x80 for b in data):
        return data, declared, ""  # plain ASCII reads the same either way
    fixed = data[:m.start(3)] + b"UTF-8" + data[m.end(3):]
    return fixed, "utf-8", declared


def parse(data: bytes) -> Message:
    """Any NCIP message, or ``NcipError`` saying why it is not one."""
    if len(data) > MAX_BYTES:
        raise NcipError(f"the message has {len(data):,} bytes; at most {MAX_BYTES:,} are read")
    data, encoding, declared = _decode_honestly(data)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise NcipError(f"not well-formed XML: {exc}") from None
    if root.tag == "NCIPMessage":
        # FOLIO's mod-ncip takes (and its tests send) messages with no namespace at all: read them as NCIP.
        for el in root.iter():
            if isinstance(el.tag, str) and not etree.QName(el).namespace:
                el.tag = _N + el.tag
    if root.tag != f"{_N}NCIPMessage":
        raise NcipError(f"the root element is {etree.QName(root).localname!r} in "
                        f"{etree.QName(root).namespace or 'no namespace'}, not NCIPMessage in {NS}")
    version = root.get(f"{_N}version") or root.get("version") or ""
    children = [c for c in root if isinstance(c.tag, str)]
    if not children:
        raise NcipError("the NCIPMessage is empty")
    first = children[0]
    service = _local(first)
    if service == "Problem":
        problems = [_problem(c) for c in children if _local(c) == "Problem"]
        body = root
    else:
        body = first
        problems = [_problem(c) for c in first if _local(c) == "Problem"]
    return Message(version, service, body, problems, encoding, declared)


def _problem(el) -> Problem:
    def t(name):
        found = el.find(_N + name)
        return (found.text or "").strip() if found is not None else ""

    kind = el.find(_N + "ProblemType")
    scheme = kind.get(f"{_N}Scheme") or kind.get("Scheme") or "" if kind is not None else ""
    return Problem(t("ProblemType"), scheme, t("ProblemDetail"), t("ProblemElement"), t("ProblemValue"))


# --- LookupUser, as asked -------------------------------------------------------------------------------

@dataclass(frozen=True)
class LookupUserQuery:
    from_agency: str
    to_agency: str
    user_agency: str
    user_id: str
    #: (type, value) of each AuthenticationInput (passwords are never kept beyond the request).
    authentication: tuple[tuple[str, str], ...]
    element_types: tuple[str, ...]
    loaned_items_desired: bool


def lookup_user_query(message: Message) -> LookupUserQuery:
    if message.service != "LookupUser":
        raise NcipError(f"a {message.service} message, not LookupUser")
    auth = tuple((message_text(a, "AuthenticationInputType"), message_text(a, "AuthenticationInputData"))
                 for a in message.body.findall(_N + "AuthenticationInput"))
    return LookupUserQuery(
        from_agency=message.text("InitiationHeader/FromAgencyId/AgencyId"),
        to_agency=message.text("InitiationHeader/ToAgencyId/AgencyId"),
        user_agency=message.text("UserId/AgencyId"),
        user_id=message.text("UserId/UserIdentifierValue"),
        authentication=auth,
        element_types=tuple((e.text or "").strip() for e in message.body.findall(_N + "UserElementType")),
        loaned_items_desired=message.body.find(_N + "LoanedItemsDesired") is not None,
    )


def message_text(el, path: str) -> str:
    found = el.find(_path(path))
    return (found.text or "").strip() if found is not None else ""


# --- a reader's standing, as answered -------------------------------------------------------------------

@dataclass(frozen=True)
class RemoteStanding:
    """What a ``LookupUserResponse`` says of a reader's standing."""

    found: bool
    problems: tuple[Problem, ...] = ()
    #: (agency, type, valid until) of each block or trap in force.
    blocks: tuple[tuple[str, str, date | None], ...] = ()
    #: (agency, privilege type, status, valid until) of each privilege.
    privileges: tuple[tuple[str, str, str, date | None], ...] = ()
    loans: int = 0
    overdue: int = 0
    name: str = ""


#: Privilege statuses that mean the reader may not borrow.
_BAD_STATUSES = {"blocked", "expired", "suspended", "barred", "inactive", "delinquent"}


def _as_date(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def standing_from(message: Message, today: date) -> RemoteStanding:
    """A reader's standing from a ``LookupUserResponse`` (a Problem answer: not found, with the problems)."""
    if message.service not in ("LookupUserResponse", "Problem"):
        raise NcipError(f"a {message.service} message, not LookupUserResponse")
    if message.problems or message.body.find(_N + "UserId") is None:
        return RemoteStanding(found=False, problems=tuple(message.problems))
    body = message.body
    blocks, privileges = [], []
    for b in body.iter(_N + "BlockOrTrap"):
        until = _as_date(message_text(b, "ValidToDate"))
        starts = _as_date(message_text(b, "ValidFromDate"))
        if (until is None or until >= today) and (starts is None or starts <= today):
            blocks.append((message_text(b, "AgencyId"), message_text(b, "BlockOrTrapType"), until))
    for p in body.iter(_N + "UserPrivilege"):
        until = _as_date(message_text(p, "ValidToDate"))
        status = message_text(p, "UserPrivilegeStatus/UserPrivilegeStatusType")
        privileges.append((message_text(p, "AgencyId"), message_text(p, "AgencyUserPrivilegeType"), status, until))
        if status.lower() in _BAD_STATUSES:
            blocks.append((message_text(p, "AgencyId"), status, until))
    loans = overdue = 0
    for item in body.findall(_N + "LoanedItem"):
        loans += 1
        due = _as_date(message_text(item, "DateDue"))
        if due is not None and due < today:
            overdue += 1
    name = message_text(body, "UserOptionalFields/NameInformation/PersonalNameInformation/"
                              "UnstructuredPersonalUserName")
    if not name:
        structured = body.find(_path("UserOptionalFields/NameInformation/PersonalNameInformation/"
                                     "StructuredPersonalUserName"))
        if structured is not None:
            name = " ".join(filter(None, (message_text(structured, "GivenName"),
                                          message_text(structured, "Surname"))))
    return RemoteStanding(True, (), tuple(blocks), tuple(privileges), loans, overdue, name)


# --- writing --------------------------------------------------------------------------------------------

def _el(parent, name: str, text: str | None = None, scheme: str | None = None):
    el = etree.SubElement(parent, _N + name)
    if text is not None:
        el.text = text
    if scheme:
        el.set(f"{_N}Scheme", scheme)
    return el


def _root(version: str):
    root = etree.Element(_N + "NCIPMessage", nsmap=NSMAP)
    root.set(f"{_N}version", version or DEFAULT_VERSION)
    return root


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _header(parent, name: str, from_agency: str, to_agency: str) -> None:
    header = _el(parent, name)
    _el(_el(header, "FromAgencyId"), "AgencyId", from_agency)
    _el(_el(header, "ToAgencyId"), "AgencyId", to_agency)


def _stamp(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def lookup_user(*, from_agency: str, to_agency: str, user_id: str, user_agency: str = "",
                version: str = DEFAULT_VERSION) -> bytes:
    """A ``LookupUser`` asking for a reader's privileges, blocks and loans."""
    root = _root(version)
    body = _el(root, "LookupUser")
    _header(body, "InitiationHeader", from_agency, to_agency)
    uid = _el(body, "UserId")
    if user_agency:
        _el(uid, "AgencyId", user_agency)
    _el(uid, "UserIdentifierValue", user_id)
    for kind in ("Name Information", "User Privilege", "Block Or Trap"):
        _el(body, "UserElementType", kind)
    _el(body, "LoanedItemsDesired")
    return _bytes(root)


@dataclass(frozen=True)
class Privilege:
    agency: str
    type: str
    status: str
    valid_to: date | None = None


@dataclass(frozen=True)
class BlockOut:
    agency: str
    type: str
    valid_to: date | None = None


@dataclass(frozen=True)
class LoanOut:
    item_id: str
    due: date
    title: str = ""
    #: 1 until a reminder is sent (2.0 and 2.01 require a positive level), then 2.
    reminder_level: int = 1
    #: What the loan costs the reader, in rupiah (2.0 and 2.01 require an amount).
    amount: int = 0


def lookup_user_response(
    *, user_agency: str, user_id: str, version: str = DEFAULT_VERSION, header: tuple[str, str] | None = None,
    loans: list[LoanOut] = (), name: str = "", privileges: list[Privilege] = (), blocks: list[BlockOut] = (),
) -> bytes:
    """A ``LookupUserResponse`` with the reader's loans, name, privileges and blocks, in schema order."""
    root = _root(version)
    body = _el(root, "LookupUserResponse")
    if header:
        _header(body, "ResponseHeader", *header)
    uid = _el(body, "UserId")
    if user_agency:
        _el(uid, "AgencyId", user_agency)
    _el(uid, "UserIdentifierValue", user_id)
    for loan in loans:
        item = _el(body, "LoanedItem")
        _el(_el(item, "ItemId"), "ItemIdentifierValue", loan.item_id)
        _el(item, "ReminderLevel", str(max(loan.reminder_level, 1)))
        _el(item, "DateDue", _stamp(loan.due))
        amount = _el(item, "Amount")
        _el(amount, "CurrencyCode", "IDR", CURRENCY_SCHEME)
        _el(amount, "MonetaryValue", str(int(loan.amount)))
        if loan.title:
            _el(item, "Title", loan.title)
    if name or privileges or blocks:
        optional = _el(body, "UserOptionalFields")
        if name:
            _el(_el(_el(optional, "NameInformation"), "PersonalNameInformation"), "UnstructuredPersonalUserName",
                name)
        for p in privileges:
            el = _el(optional, "UserPrivilege")
            _el(el, "AgencyId", p.agency)
            _el(el, "AgencyUserPrivilegeType", p.type)
            if p.valid_to:
                _el(el, "ValidToDate", _stamp(p.valid_to))
            _el(_el(el, "UserPrivilegeStatus"), "UserPrivilegeStatusType", p.status, PRIVILEGE_STATUS_SCHEME)
        for b in blocks:
            el = _el(optional, "BlockOrTrap")
            _el(el, "AgencyId", b.agency)
            _el(el, "BlockOrTrapType", b.type, BLOCK_SCHEME)
            if b.valid_to:
                _el(el, "ValidToDate", _stamp(b.valid_to))
    return _bytes(root)


def problem_response(problem: tuple[str, str], *, detail: str = "", element: str = "", value: str = "",
                     service: str | None = None, version: str = DEFAULT_VERSION,
                     header: tuple[str, str] | None = None) -> bytes:
    """A Problem answer: inside ``<service>Response`` when the service is known, else at the top."""
    root = _root(version)
    parent = root
    if service:
        parent = _el(root, f"{service}Response")
        if header:
            _header(parent, "ResponseHeader", *header)
    el = _el(parent, "Problem")
    scheme, kind = problem
    _el(el, "ProblemType", kind, scheme)
    if detail:
        _el(el, "ProblemDetail", detail[:500])
    if element:
        _el(el, "ProblemElement", element)
    if value:
        _el(el, "ProblemValue", value[:200])
    return _bytes(root)


def version_of(message: Message | None) -> str:
    """Answer in the version asked in, when it is one of the three; else 2.02."""
    if message is not None and message.version in VERSIONS.values():
        return message.version
    return DEFAULT_VERSION

"""MARC 21 in ISO 2709 ("binary MARC", ``.mrc``): one :class:`SourceItem` per record.

Records are framed here, not by pymarc, so that every item keeps its exact
bytes and file offset:

* the leader's first five digits give the record length; the record must end
  with the record terminator (0x1D) exactly there, and nowhere before;
* when the leader lies, reading resynchronises on the next record terminator:
  that stretch is yielded as an error item ("leader length 01040 does not
  match the record's 1,052 bytes") and the next record is read normally;
* line breaks and blanks between records (some exports add them) are skipped.

Each framed record is checked (leader, directory, field terminators) and
decoded per record, whatever leader/09 says (see :func:`detect_encoding`):
SLiMS writes a blank leader/09 for UTF-8 data, Evergreen's ``FSL.marc`` says
MARC-8 but is UTF-8, and some exports say UTF-8 but send MARC-8.

``source_id`` is the 001 control number as written (without the 003 prefix:
the member sending the file is known, and ``record_from_marc`` uses 001 the
same way), else the first 035 $a, else None.  Leader/05 ``d`` marks a deleted
record.

Decoding a checked record is pymarc's ``Record``, or rmarc's when rmarc is
installed: the same API and the same records, decoded in Rust (on every ISO
2709 fixture the items are identical, errors included; decoding takes a third
of pymarc's time; ``bench/ingest_floor.py --decoders`` measures both).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from pymarc import Record, marc8_mapping

try:
    from rmarc import Record as _RmarcRecord
except ImportError:  # rmarc is optional: pymarc decodes the same records, more slowly
    _RmarcRecord = None

from ..errors import NoTitle
from ..marc import record_from_marc
from .item import SourceItem
from .streams import CHUNK_SIZE

__all__ = ["DECODER", "detect_encoding", "item_from_iso2709", "read_iso2709", "split_records"]

FORMAT = "marc21"
LEADER_LENGTH = 24
DIRECTORY_ENTRY_LENGTH = 12
RECORD_TERMINATOR = 0x1D
FIELD_TERMINATOR = 0x1E
ESCAPE = 0x1B
#: The largest record ISO 2709 can describe: five digits of length.
MAX_RECORD_LENGTH = 99_999
#: Bytes some exports put between records; skipped, never part of a record.
SEPARATORS = frozenset(b"\r\n \t\x00")
#: Leader/09 value meaning "UCS/Unicode" (UTF-8); blank means MARC-8.
UNICODE_CODING = ord("a")
#: Bytes ≥ 0x80 that MARC-8 allows without escape sequences: the ANSEL set and four C1 controls.
MARC8_HIGH_BYTES = frozenset(k for k in marc8_mapping.CODESETS[0x45] if k >= 0x80) | {0x88, 0x89, 0x8D, 0x8E}
#: Leader/06 values of records that are not bibliographic, and what they are.
NOT_BIBLIOGRAPHIC = {"u": "a holdings", "v": "a holdings", "x": "a holdings", "y": "a holdings", "z": "an authority"}
DELETED_STATUS = "d"
#: The class that decodes a record's bytes (pymarc's ``Record`` API): rmarc's when installed, else pymarc's.
DECODER = _RmarcRecord or Record


def split_records(stream: BinaryIO) -> Iterator[tuple[int, bytes, str | None]]:
    """``(file offset, raw bytes, framing error or None)`` for each record of ``stream``.

    Reads in chunks; memory holds at most one record and one chunk.
    """
    buffer = bytearray()
    start = 0  # file offset of buffer[0]
    eof = False

    def fill(needed: int) -> bool:
        """Read until the buffer holds ``needed`` bytes; False at end of file."""
        nonlocal eof
        while len(buffer) < needed and not eof:
            chunk = stream.read(max(CHUNK_SIZE, needed - len(buffer)))
            if not chunk:
                eof = True
            else:
                buffer.extend(chunk)
        return len(buffer) >= needed

    while True:
        while fill(1) and buffer[0] in SEPARATORS:
            skip = next((i for i, b in enumerate(buffer) if b not in SEPARATORS), len(buffer))
            del buffer[:skip]
            start += skip
        if not buffer:
            return
        fill(LEADER_LENGTH)
        length_text = bytes(buffer[:5])
        error = None
        if length_text.isdigit() and int(length_text) > LEADER_LENGTH:
            length = int(length_text)
            complete = fill(length)
            if complete and buffer[length - 1] == RECORD_TERMINATOR and buffer.find(RECORD_TERMINATOR, 0, length - 1) < 0:
                yield start, bytes(buffer[:length]), None
                del buffer[:length]
                start += length
                continue
            end = _find_terminator(buffer, fill)
            if end is None and not complete:
                error = (f"the file ends inside this record: the leader says {length:,} bytes "
                         f"but only {len(buffer):,} remain")
            elif end is None:
                error = f"leader length {length_text.decode()} given, but no record terminator (0x1D) was found"
            else:
                error = f"leader length {length_text.decode()} does not match the record's {end + 1:,} bytes"
        else:
            end = _find_terminator(buffer, fill)
            shown = length_text.decode("ascii", "replace")
            error = f"the leader does not start with a five-digit record length (found {shown!r})"
        size = end + 1 if end is not None else min(len(buffer), MAX_RECORD_LENGTH)
        yield start, bytes(buffer[:size]), error
        del buffer[:size]
        start += size


def _find_terminator(buffer: bytearray, fill) -> int | None:
    """Index of the first record terminator, reading on up to the largest possible record."""
    searched = 0
    while True:
        found = buffer.find(RECORD_TERMINATOR, searched)
        if found >= 0:
            return found
        searched = len(buffer)
        if searched >= MAX_RECORD_LENGTH or not fill(searched + 1):
            return None


def detect_encoding(raw: bytes) -> tuple[str | None, int | None]:
    """``("utf-8" | "marc-8" | None, byte of the first invalid UTF-8 or None)`` for one record.

    Decided per record from the bytes, the leader only breaking ties:

    1. escape sequences (0x1B) and leader/09 not ``a`` → MARC-8 (ESC never occurs in UTF-8 text);
    2. pure ASCII → "utf-8" (both decodings agree; UTF-8 is faster);
    3. valid strict UTF-8 → UTF-8, whatever leader/09 says (MARC-8 diacritics
       precede an ASCII letter and so are never valid UTF-8);
    4. otherwise MARC-8 when every byte ≥ 0x80 is one MARC-8 allows, else None
       ("invalid UTF-8 that is not MARC-8 either").
    """
    data = raw[LEADER_LENGTH:]
    says_unicode = raw[9:10] == bytes([UNICODE_CODING])
    if ESCAPE in data and not says_unicode:
        return "marc-8", None
    if data.isascii():
        return "utf-8", None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = LEADER_LENGTH + error.start
    else:
        return "utf-8", None
    if ESCAPE in data or all(b in MARC8_HIGH_BYTES for b in data if b >= 0x80):
        return "marc-8", None
    return None, bad


def _structure(raw: bytes) -> tuple[bytes, str | None]:
    """``(bytes to parse, what is wrong or None)`` for the leader and directory of a framed record.

    A base address (leader/12-16) that does not point past the directory is
    mended when the directory itself ends cleanly: real exports get that
    number wrong while the directory and fields are sound.
    """
    leader = raw[:LEADER_LENGTH]
    if len(raw) <= LEADER_LENGTH or not leader.isascii():
        return raw, "the leader is shorter than 24 bytes or not ASCII"
    end_of_directory = raw.find(FIELD_TERMINATOR, LEADER_LENGTH)
    base_text = leader[12:17]
    base = int(base_text) if base_text.isdigit() else -1
    if not LEADER_LENGTH < base < len(raw) or raw[base - 1] != FIELD_TERMINATOR or base - 1 != end_of_directory:
        if end_of_directory < 0 or (end_of_directory - LEADER_LENGTH) % DIRECTORY_ENTRY_LENGTH:
            return raw, f"leader/12-16 (base address of data) {base_text.decode()!r} does not point past the directory"
        base = end_of_directory + 1
        raw = raw[:12] + b"%05d" % base + raw[17:]
    directory = raw[LEADER_LENGTH : base - 1]
    if len(directory) % DIRECTORY_ENTRY_LENGTH:
        return raw, f"the directory is {len(directory)} bytes long, not a multiple of 12"
    if not directory:
        return raw, "the directory is empty: the record has no fields"
    data_length = len(raw) - base - 1
    for number, at in enumerate(range(0, len(directory), DIRECTORY_ENTRY_LENGTH), start=1):
        entry = directory[at : at + DIRECTORY_ENTRY_LENGTH]
        tag = entry[:3].decode("ascii", "replace")
        if not entry[3:].isdigit():
            return raw, f"directory entry {number} (tag {tag}) has a non-numeric length or position"
        length, position = int(entry[3:7]), int(entry[7:12])
        if length == 0 or position + length > data_length:
            return raw, f"directory entry {number} (tag {tag}) points past the end of the record"
        if raw[base + position + length - 1] != FIELD_TERMINATOR:
            return raw, f"directory entry {number} (tag {tag}) does not end at a field terminator"
    return raw, None


def _source_id(record) -> str | None:
    for field in record.get_fields("001"):
        value = (getattr(field, "data", None) or "").strip()
        if value:
            return value
    for field in record.get_fields("035"):
        for value in field.get_subfields("a"):
            if value.strip():
                return value.strip()
    return None


def item_from_iso2709(raw: bytes, *, position: int, offset: int | None, framing_error: str | None = None,
                      decoder=None) -> SourceItem:
    """The :class:`SourceItem` of one framed ISO 2709 record (never raises for bad data).

    ``decoder`` is the record class that decodes it (:data:`DECODER` by default).
    """

    def failed(message: str, source_id: str | None = None, deleted: bool = False) -> SourceItem:
        return SourceItem(position, offset, source_id, FORMAT, raw, None, message, deleted)

    if framing_error:
        return failed(framing_error)
    data, problem = _structure(raw)
    if problem:
        return failed(problem)
    encoding, bad_byte = detect_encoding(raw)
    if encoding is None:
        return failed(f"invalid UTF-8 at byte {bad_byte:,} of the record, and not MARC-8 either")
    if encoding == "marc-8" and raw[9] == UNICODE_CODING:
        data = data[:9] + b" " + data[10:]  # the decoder follows leader/09; the copy says what we found
    try:
        marc = (decoder or DECODER)(data=data, to_unicode=True, force_utf8=encoding == "utf-8", hide_utf8_warnings=True)
    except Exception as error:  # pymarc and rmarc raise many kinds for bad bytes; all mean "unreadable"
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return failed(f"pymarc cannot read the record ({detail})")
    leader = str(marc.leader)
    deleted = leader[5:6] == DELETED_STATUS
    source_id = _source_id(marc)
    kind = NOT_BIBLIOGRAPHIC.get(leader[6:7])
    if kind:
        return failed(f"this is {kind} record (leader/06 {leader[6]!r}), not a bibliographic record",
                      source_id, deleted)
    try:
        record = record_from_marc(marc, source_id=source_id)
    except NoTitle:
        if deleted:
            return SourceItem(position, offset, source_id, FORMAT, raw, None, None, True)
        return failed("no title (245 $a, $k and $b are missing or empty)", source_id)
    return SourceItem(position, offset, source_id, FORMAT, raw, record, None, deleted)


def read_iso2709(stream: BinaryIO, *, decoder=None) -> Iterator[SourceItem]:
    """Every record of an ISO 2709 stream, in order, bad ones included as error items."""
    for position, (offset, raw, error) in enumerate(split_records(stream), start=1):
        yield item_from_iso2709(raw, position=position, offset=offset, framing_error=error, decoder=decoder)

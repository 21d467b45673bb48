"""Zebra's register and server beside the hub: configuration, a full export, changes since, serving.

    folder = layout()                    # JARINGAN_HOME/z3950
    configure(folder, listen="tcp:127.0.0.1:2100")
    export(folder)                       # every edition, into a fresh register
    sync(folder)                         # what changed since (run it again and again)
    serve(folder, listen=..., interval=5)  # zebrasrv, and sync every 5 s until stopped

Zebra writes through a shadow register and commits, so ``zebrasrv`` keeps answering from the
last committed state while a sync writes. Only one export or sync at a time: a lock file in the
folder (a second one waits).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import isbnlib
from django.conf import settings
from django.db import connections
from django.utils import timezone
from lxml import etree

from jaringan.catalog.models import Edition
from jaringan.core.errors import Unavailable
from jaringan.discovery.documents import build_documents
from jaringan.interop import records
from jaringan.interop.oai import selectors

from .words import Vocabulary, edition_words

__all__ = ["Layout", "ZebraError", "configure", "export", "layout", "serve", "sync"]

log = logging.getLogger(__name__)

#: This package's Zebra configuration: DOM filter, stylesheets, CQL→Bib-1 mapping.
CONFIG = Path(__file__).resolve().parent / "zebra"
#: Where Debian's idzebra-2.0 keeps its attribute sets and index rules (bib1.att, icu.idx).
ZEBRA_TAB = Path("/usr/share/idzebra-2.0/tab")
DEFAULT_LISTEN = "tcp:127.0.0.1:2100"
#: The size Zebra may grow its register and shadow files to.
REGISTER_SIZE = "4G"
#: Editions per file of a full export, and per database read.
EXPORT_CHUNK = 1000
#: How far back each sync reads again (and writes again what it finds): a transaction that committed
#: after a later one (its datestamp older than what was already seen) is applied by the next sync.
OVERLAP = dt.timedelta(seconds=60)
#: The namespace of the search keys added to a record for indexing (left out when it is shown).
KEYS_NS = "https://jaringan.invalid/zebra-keys"
MARC_NS = "http://www.loc.gov/MARC21/slim"
#: Leader of the record that tells Zebra to delete an id (leader/05 "d": deleted).
DELETED_LEADER = "00000dam a2200000 a 4500"


#: The record syntaxes served: MARCXML (element set "marcxml", as Zebra stores it) and, made from it by
#: YAZ, MARC 21 in ISO 2709 ("usmarc", what Koha's Z39.50 targets ask by default), any element set.
RETRIEVAL = """<retrievalinfo>
  <retrieval syntax="xml" name="marcxml" identifier="info:srw/schema/1/marcxml-v1.1"/>
  <retrieval syntax="usmarc">
    <backend syntax="xml" name="marcxml">
      <marc inputformat="xml" outputformat="marc" inputcharset="utf-8" outputcharset="utf-8"/>
    </backend>
  </retrieval>
</retrievalinfo>"""


class ZebraError(Unavailable):
    """Zebra is missing, or one of its programs failed (the message holds what it said)."""


@dataclass(frozen=True)
class Layout:
    """The files of one Zebra beside the hub, all in ``folder``."""

    folder: Path

    @property
    def config(self) -> Path:
        return self.folder / "zebra.cfg"

    @property
    def server_config(self) -> Path:
        return self.folder / "yazgfs.xml"

    @property
    def state(self) -> Path:
        return self.folder / "state.json"

    @property
    def incoming(self) -> Path:
        return self.folder / "incoming"

    @property
    def vocabulary(self) -> Path:
        return self.folder / "vocabulary.json"

    @property
    def log(self) -> Path:
        return self.folder / "zebrasrv.log"


def layout(folder: Path | None = None) -> Layout:
    """The Zebra files in ``folder`` (``JARINGAN_HOME/z3950`` by default)."""
    return Layout(Path(folder) if folder else Path(settings.HOME) / "z3950")


def _listen_address(listen: str) -> str:
    """YAZ's listener address: "127.0.0.1:2100" → "tcp:127.0.0.1:2100"; "tcp:…" and "unix:…" kept."""
    return listen if listen.startswith(("tcp:", "unix:", "ssl:")) else f"tcp:{listen}"


def configure(where: Layout, *, listen: str = DEFAULT_LISTEN) -> None:
    """Write ``zebra.cfg`` and ``yazgfs.xml`` into the folder (made when missing)."""
    for program in ("zebraidx", "zebrasrv"):
        if shutil.which(program) is None:
            raise ZebraError(f"{program} is missing: install Zebra (apt-get install idzebra-2.0)")
    for sub in ("register", "shadow", "incoming"):
        (where.folder / sub).mkdir(parents=True, exist_ok=True)
    where.config.write_text(
        (CONFIG / "zebra.cfg").read_text()
        + f"profilePath: {CONFIG}:{ZEBRA_TAB}\n"
        + f"register: {where.folder / 'register'}:{REGISTER_SIZE}\n"
        + f"shadow: {where.folder / 'shadow'}:{REGISTER_SIZE}\n"
        + f"lockDir: {where.folder}\n")
    server = etree.Element("yazgfs")
    etree.SubElement(server, "listen", id="z3950").text = _listen_address(listen)
    main = etree.SubElement(server, "server", id="main", listenref="z3950")
    etree.SubElement(main, "directory").text = str(where.folder)
    etree.SubElement(main, "config").text = where.config.name
    etree.SubElement(main, "cql2rpn").text = str(CONFIG / "cql2pqf.properties")
    main.append(etree.fromstring(RETRIEVAL))
    where.server_config.write_bytes(etree.tostring(server, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _zebraidx(where: Layout, *args: str) -> None:
    done = subprocess.run(["zebraidx", "-c", where.config.name, *args], cwd=where.folder,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ZebraError(f"zebraidx {' '.join(args)} failed: {done.stderr[-2000:]}")


@contextmanager
def _writing(where: Layout):
    """One export or sync at a time on this folder."""
    with (where.folder / "writer.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


# --- records -----------------------------------------------------------------------------------


def _with_keys(item: records.ExportEdition, words: list[tuple[str, str]]) -> etree._Element:
    """The edition's MARCXML as ``/sru`` serves it, with the search keys added: the ISBNs (ISBN-13,
    and ISBN-10 where there is one) and ISSNs, and the words of its search text (:mod:`.words`)."""
    element = records.render_or_build(item, "marcxml")
    keys = []
    for isbn in item.record.isbns:
        keys += [isbn, isbnlib.to_isbn10(isbn) or ""]
    for value in dict.fromkeys(k for k in keys if k):
        etree.SubElement(element, f"{{{KEYS_NS}}}isbn", nsmap={"jaringan": KEYS_NS}).text = value
    for issn in item.record.issns:
        etree.SubElement(element, f"{{{KEYS_NS}}}issn", nsmap={"jaringan": KEYS_NS}).text = issn
    for field, text in words:
        etree.SubElement(element, f"{{{KEYS_NS}}}{field}", nsmap={"jaringan": KEYS_NS}).text = text
    return element


def _keyed(ids: list[int], vocabulary: Vocabulary, *, learn: bool = False) -> Iterable[tuple[int, etree._Element]]:
    """(id, record with its search keys) of each of the editions ``ids`` that exists; with ``learn``, their
    words are learnt first (from the same documents), so that each is written with all its spellings."""
    loaded = records.load_editions(ids)
    documents = {int(d.edition_id): d for d in build_documents(i for i in ids if i in loaded)}
    if learn:
        for document in documents.values():
            vocabulary.learn_edition(document)
    for edition_id in ids:
        if edition_id in loaded:
            document = documents.get(edition_id)
            yield edition_id, _with_keys(loaded[edition_id], edition_words(document, vocabulary) if document else [])


def _learn(ids: list[int], vocabulary: Vocabulary) -> None:
    for start in range(0, len(ids), EXPORT_CHUNK):
        for document in build_documents(ids[start:start + EXPORT_CHUNK]):
            vocabulary.learn_edition(document)


def _deleted(edition_id: int) -> etree._Element:
    element = etree.Element(f"{{{MARC_NS}}}record", nsmap={None: MARC_NS})
    etree.SubElement(element, f"{{{MARC_NS}}}leader").text = DELETED_LEADER
    etree.SubElement(element, f"{{{MARC_NS}}}controlfield", tag="001").text = str(edition_id)
    return element


def _write_collection(path: Path, elements: Iterable[etree._Element]) -> int:
    written = 0
    with path.open("wb") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARC_NS}">\n'.encode())
        for element in elements:
            out.write(etree.tostring(element, encoding="utf-8") + b"\n")
            written += 1
        out.write(b"</collection>\n")
    return written


def _clear_incoming(where: Layout) -> None:
    for path in where.incoming.glob("*.xml"):
        path.unlink()


# --- export and sync ---------------------------------------------------------------------------


def _save_state(where: Layout, since: dt.datetime) -> None:
    where.state.write_text(json.dumps({"since": since.isoformat()}))


def export(where: Layout) -> int:
    """Every edition into a fresh register; returns how many. Changes made meanwhile are the next
    sync's (it starts from the moment this began)."""
    started = timezone.now()
    with _writing(where):
        _clear_incoming(where)
        ids = list(Edition.objects.order_by("pk").values_list("pk", flat=True))
        vocabulary = Vocabulary()
        _learn(ids, vocabulary)  # every spelling first, so that each edition is written with all of them
        written = 0
        for start in range(0, len(ids), EXPORT_CHUNK):
            written += _write_collection(where.incoming / f"editions-{start // EXPORT_CHUNK:05d}.xml",
                                         (e for _i, e in _keyed(ids[start:start + EXPORT_CHUNK], vocabulary)))
        _zebraidx(where, "init")
        if written:
            _zebraidx(where, "update", where.incoming.name)
        _zebraidx(where, "commit")
        _clear_incoming(where)
        vocabulary.save(where.vocabulary)
        _save_state(where, started)
    return written


def sync(where: Layout, *, page: int = EXPORT_CHUNK) -> int:
    """Write again the editions whose datestamp is at most :data:`OVERLAP` older than the newest one
    the last export or sync saw, or newer; delete those retired meanwhile. Returns how many."""
    if not where.state.exists():
        return export(where)
    with _writing(where):
        since = dt.datetime.fromisoformat(json.loads(where.state.read_text())["since"])
        changed, after = [], None
        while True:
            items = selectors.list_items(libraries=None, from_=since - OVERLAP, until=None, after=after, limit=page)
            changed += items
            if len(items) < page:
                break
            after = items[-1].key
        if not changed:
            return 0
        vocabulary = Vocabulary.load(where.vocabulary)
        live = [i.id for i in changed if not i.deleted]
        _clear_incoming(where)
        written = dict(_keyed(live, vocabulary, learn=True))
        _write_collection(where.incoming / "changes.xml", written.values())
        # Zebra reads no further in a file once a deletion fails (an id it no longer has, deleted
        # by an earlier sync): each deletion goes in a file of its own.
        for gone in (i.id for i in changed if i.id not in written):
            _write_collection(where.incoming / f"deleted-{gone}.xml", [_deleted(gone)])
        _zebraidx(where, "update", where.incoming.name)
        _zebraidx(where, "commit")
        _clear_incoming(where)
        vocabulary.save(where.vocabulary)
        _save_state(where, max([since, *(i.datestamp for i in changed)]))
    return len(changed)


# --- serving -----------------------------------------------------------------------------------


def serve(where: Layout, *, listen: str = DEFAULT_LISTEN, interval: float = 5.0, ready=None,
          stop: threading.Event | None = None) -> int:
    """Run ``zebrasrv`` on ``listen`` and sync every ``interval`` seconds until stopped (SIGTERM or
    SIGINT in the main thread; ``stop`` set). Exports first when the folder has no register yet.
    ``ready`` is called once Zebra has started. Returns zebrasrv's exit status."""
    configure(where, listen=listen)
    if not where.state.exists():
        export(where)
    server = subprocess.Popen(["zebrasrv", "-f", where.server_config.name], cwd=where.folder,
                              stdout=subprocess.DEVNULL, stderr=where.log.open("a"))
    stop = stop or threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        if ready is not None:
            ready()
        following = time.monotonic() + interval
        while not stop.is_set() and server.poll() is None:
            time.sleep(0.2)
            if time.monotonic() < following:
                continue
            try:
                sync(where)
            except ZebraError:
                log.exception("z3950: a sync failed; the changes are applied by the next one")
            finally:
                connections.close_all()  # each sync reads the catalogue afresh (no snapshot kept)
            following = time.monotonic() + interval
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    return server.wait()

"""Set-wise writes for the ingest path: ids allocated up front, rows written with ``executemany``.

The ORM's ``bulk_create`` builds a model instance and a placeholder list per
row; at tens of thousands of rows a second that is most of the cost of an
import. These helpers write plain tuples through the database cursor, on
SQLite and PostgreSQL alike, with the values adapted the way the ORM would.

Ids are allocated before the rows are written so that rows pointing at each
other (an edition's preferred record, a record's edition) can be written in
one pass: on PostgreSQL from the table's sequence, on SQLite from
``sqlite_sequence`` inside the write transaction (which holds the database's
write lock, so no one else can take the same ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import orjson
from django.db import connection, models

from jaringan.core.catalog import codec

__all__ = ["allocate_ids", "db_datetime", "db_evidence", "db_json", "editions_by_key", "insert_rows", "members_of",
           "others_hold_records", "placing_alone", "record_data", "rows_where", "update_rows"]

#: Rows per ``executemany`` call: keeps memory flat for huge batches.
ROWS_PER_CALL = 5000


#: The PostgreSQL advisory lock a transaction placing records holds (`placing_alone`): any number, the same
#: in every process (the bytes of "JARPLAC"); no other advisory lock is taken by this project.
PLACING_LOCK = 0x4A4152_504C4143


def placing_alone() -> None:
    """Wait until no other transaction is placing records, and hold that turn until this one ends.

    Placing is a read-then-write: a record's candidates are read, then it joins one or founds an
    edition. Two transactions placing copies of one book at the same moment would each read before the
    other wrote, and found two editions. SQLite runs one writing transaction at a time already
    (``IMMEDIATE``); on PostgreSQL a transaction-scoped advisory lock does the same for the transactions
    that place, and every read after it sees what the one before committed. Call it first thing in the
    transaction, before any read the placing depends on.
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("placing_alone() holds its turn until the transaction ends: call it inside one")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLACING_LOCK])


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, never used before (call inside the write transaction)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(connection.vendor)
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        cursor.execute(f'SELECT MAX("id") FROM "{table}"')  # noqa: S608 (table name from the model)
        top = max(row[0] if row else 0, cursor.fetchone()[0] or 0)
        first = top + 1
        # Take the ids now: later callers in this transaction must not get them again.
        if row:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top + count, table])
        else:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top + count])
        return list(range(first, first + count))


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """INSERT many rows of already adapted values (see `db_datetime`, `db_json`; JSON text goes as it is).

    On PostgreSQL through ``COPY``: Django's cursors bind values on the
    client, so ``executemany`` makes and parses one statement per row (three
    quarters of an import's time); ``COPY`` streams the rows.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({_quoted(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({_quoted(columns)}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_CALL):
            cursor.executemany(sql, rows[start:start + ROWS_PER_CALL])


def update_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """UPDATE rows by id: each row is (*values in `columns` order, id)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    sql = f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_CALL):
            cursor.executemany(sql, rows[start:start + ROWS_PER_CALL])


def editions_by_key(keys: Sequence[int]) -> list[tuple[int, int]]:
    """(blocking key number, edition id), each pair once, of the editions with a live record under `keys`.

    Read from the editions' keys (`EditionKey`, kept by the database from the records' keys): one row
    for each pair, however many of an edition's records have the key.
    """
    from .models import EditionKey

    found: list[tuple[int, int]] = []
    pairs_table = connection.ops.quote_name(EditionKey._meta.db_table)
    with connection.cursor() as cursor:
        for condition, part in _in_lists("key", keys):
            cursor.execute(f"SELECT key, edition_id FROM {pairs_table} WHERE {condition}", part)  # noqa: S608
            found += cursor.fetchall()
    return found


def others_hold_records(library_id: int) -> bool:
    """Whether any library but this one has a record (withdrawn or not): two reads of the index on
    (library, source id), one each side of the library."""
    from .models import SourceRecord

    table = connection.ops.quote_name(SourceRecord._meta.db_table)
    with connection.cursor() as cursor:
        for side in ("<", ">"):
            cursor.execute(f"SELECT 1 FROM {table} WHERE library_id {side} %s LIMIT 1", [library_id])  # noqa: S608
            if cursor.fetchone():
                return True
    return False


def _in_lists(column: str, ids: Sequence):
    """``(condition, parameters)`` that together pick the rows whose `column` is one of `ids`.

    SQLite: parts of 900 ids, each an ``IN (...)`` list.  PostgreSQL: one
    array, ``= ANY(%s)`` (a list of placeholders would be parsed, one by one,
    by the client-side binding of Django's cursors).
    """
    if connection.vendor == "postgresql":
        if ids:
            yield f"{column} = ANY(%s)", [list(ids)]
        return
    for start in range(0, len(ids), 900):
        part = list(ids[start:start + 900])
        yield f"{column} IN ({', '.join(['%s'] * len(part))})", part


def rows_where(model: type[models.Model], select: Sequence[str], column: str, values: Sequence,
               **equal) -> list[tuple]:
    """The `select` columns of `model`'s rows whose `column` is one of `values` and whose other
    columns are as `equal` says (column names as in the table: ``library_id``)."""
    table = connection.ops.quote_name(model._meta.db_table)
    extra = "".join(f" AND {connection.ops.quote_name(name)} = %s" for name in equal)
    found: list[tuple] = []
    with connection.cursor() as cursor:
        for condition, part in _in_lists(connection.ops.quote_name(column), values):
            cursor.execute(f"SELECT {_quoted(select)} FROM {table} WHERE {condition}{extra}",  # noqa: S608
                           [*part, *equal.values()])
            found += cursor.fetchall()
    return found


def members_of(edition_ids: Sequence[int]) -> list[tuple[int, int, int, int | None]]:
    """(record id, library id, edition id, description number) of the live records in these editions
    (read from an index alone)."""
    from .models import SourceRecord

    table = connection.ops.quote_name(SourceRecord._meta.db_table)
    found: list[tuple[int, int, int, int | None]] = []
    with connection.cursor() as cursor:
        for condition, part in _in_lists("edition_id", edition_ids):
            cursor.execute(f"SELECT id, library_id, edition_id, description FROM {table} "  # noqa: S608
                           f"WHERE {condition} AND withdrawn = %s", [*part, False])
            found += cursor.fetchall()
    return found


def preferred_of(edition_ids: Sequence[int]) -> dict[int, int | None]:
    """Edition id → its preferred record's id."""
    from .models import Edition

    table = connection.ops.quote_name(Edition._meta.db_table)
    found: dict[int, int | None] = {}
    with connection.cursor() as cursor:
        for condition, part in _in_lists("id", edition_ids):
            cursor.execute(f"SELECT id, preferred_id FROM {table} WHERE {condition}", part)  # noqa: S608
            found.update(cursor.fetchall())
    return found


def record_data(record_ids: Sequence[int]) -> list[tuple[int, dict]]:
    """(record id, canonical data as stored) of these records."""
    from .models import SourceRecord

    table = connection.ops.quote_name(SourceRecord._meta.db_table)
    found: list[tuple[int, dict]] = []
    with connection.cursor() as cursor:
        for condition, part in _in_lists("id", record_ids):
            cursor.execute(f"SELECT id, data FROM {table} WHERE {condition}", part)  # noqa: S608
            found += [(pk, orjson.loads(data) if isinstance(data, (str, bytes)) else data)
                      for pk, data in cursor.fetchall()]
    return found


def db_datetime(value: datetime):
    """A datetime as the ORM would send it to this database."""
    return connection.ops.adapt_datetimefield_value(value)


def db_json(value):
    """A JSON value as the ORM would send it to this database (compact, UTF-8 kept)."""
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return codec.data_text(value)


#: The keys of an entry of a placement's evidence, in order: which member, its decision's score and comparisons.
_EVIDENCE_KEYS = ("with", "score", "comparisons")


def db_evidence(evidence: list[dict]):
    """A placement's evidence (``placement.Judgement.evidence``) as `db_json` sends it, made faster on SQLite.

    Members described alike share one decision and one list of its comparisons; a record joining an
    edition that many libraries copied lists them for each member (about eight for a record of a late
    file of ``bench/ingest.py --million``), and encoding them all over again was a tenth of the CPU such
    a record costs. Here each shared list is encoded once, into the same text `db_json` makes.
    """
    if connection.vendor == "postgresql":
        return db_json(evidence)
    encoded: dict[int, str] = {}  # id of a comparisons list → its JSON text
    entries = []
    for entry in evidence:
        member, score, comparisons = entry.get("with"), entry.get("score"), entry.get("comparisons")
        if tuple(entry) != _EVIDENCE_KEYS or type(member) is not int or type(score) is not int:
            entries.append(codec.data_text(entry))  # not the usual entry: encoded whole
            continue
        text = encoded.get(id(comparisons))
        if text is None:
            text = encoded[id(comparisons)] = codec.data_text(comparisons)
        entries.append(f'{{"with":{member},"score":{score},"comparisons":{text}}}')
    return f"[{','.join(entries)}]"

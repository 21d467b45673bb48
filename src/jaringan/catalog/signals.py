"""Signals of the catalogue, for what is derived from it.

``editions_changed`` is sent (with ``edition_ids``) whenever editions changed
and their ids went into the outbox (`EditionChange`) in the current
transaction. Receivers that act on the database's committed state (the
search index) should register their work with ``transaction.on_commit``.

``withdrawal_requested`` is sent (with ``record`` and ``batch``, ``None`` for a
harvest's list) before a record leaves the catalogue because its library's
file, harvest or push says it is gone. A receiver that answers with a reason
(text) holds the record back: it stays in its edition, the batch counts it as
held, and the library's staff decide (a copy the library committed to keep).

``import_finished`` is sent (with ``batch``) when an import batch (a file, an
upload, a harvest run of one source) has ended and all it wrote is committed.
"""

from django.dispatch import Signal

editions_changed = Signal()
import_finished = Signal()
withdrawal_requested = Signal()

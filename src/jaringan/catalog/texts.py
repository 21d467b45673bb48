"""Sentences about a batch, written when they are shown, in the reader's language.

A batch stores counts, not sentences: the note on the records past the quarantine's cap is made from
``quarantined`` and the rows kept, so an import run in Indonesian reads in English to an English reader.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import ngettext

from .models import ImportBatch, Quarantine
from .reasons import reason_display

__all__ = ["batch_message", "quarantine_summary"]


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def quarantine_summary(batch: ImportBatch, kept: int | None = None) -> str:
    """A sentence on the quarantined records past the batch's cap (kept as a count, not one by one), or "".

    ``kept`` is the batch's quarantine rows (``library_batches`` annotates it; counted here otherwise).
    A record tried again and taken in leaves both the count and the rows, so the sentence stays true.
    """
    if not batch.quarantined:
        return ""
    if kept is None:
        kept = getattr(batch, "kept", None)
    if kept is None:
        kept = Quarantine.objects.filter(batch=batch).count()
    more = batch.quarantined - kept
    if more <= 0:
        return ""
    return ngettext(
        "And %(more)s more record like these could not be read: only the first %(kept)s are kept in quarantine, "
        "each with its reason; correct the file and send it again.",
        "And %(more)s more records like these could not be read: only the first %(kept)s are kept in quarantine, "
        "each with its reason; correct the file and send it again.",
        more) % {"more": _n(more), "kept": _n(kept)}


def batch_message(batch: ImportBatch, kept: int | None = None) -> str:
    """What the batch tells staff: its stored notice or error (a reader's sentence in the reader's language),
    then the quarantine's sentence."""
    return " ".join(filter(None, [reason_display(batch.message), quarantine_summary(batch, kept)]))

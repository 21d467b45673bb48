"""Uploads saved by the records page or the API, run to their end in the test's own thread."""

from __future__ import annotations


def run_uploads() -> list:
    """Run every upload waiting for this process, as the serving process's background thread does; the
    finished batches.

    A test inside a transaction never commits it, so the thread (started on commit) never starts: the
    test runs the thread's own loop body instead.
    """
    from jaringan.catalog.pipeline import run_waiting

    done = []
    while (batch := run_waiting()) is not None:
        done.append(batch)
    return done

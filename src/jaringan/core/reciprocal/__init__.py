"""Reciprocal borrowing (*peminjaman timbal balik*): a reader of member A borrows in person at member B.

Pure rules, no Django:

* ``terms``    — what an agreement allows visiting readers: whose readers, which categories, how many
  items at a time, for how long, renewals, deposit and fee, excluded collections;
* ``passcode`` — the network pass's code: random, unguessable, with a check character against typos;
* ``desk``     — the host desk's decision: may this visitor borrow here today, how many, until when,
  and why not — every check kept with its reason, as ``core.eligibility`` keeps its verdicts.
"""

from .desk import Check, DeskDecision, Standing, Visitor, decide, due_after_renewal, passes_valid_at
from .passcode import BadPassCode, new_code, normalise
from .terms import BadTerms, BorrowTerms, Category, Collection

__all__ = [
    "BadPassCode", "BadTerms", "BorrowTerms", "Category", "Check", "Collection", "DeskDecision", "Standing",
    "Visitor", "decide", "due_after_renewal", "new_code", "normalise", "passes_valid_at",
]

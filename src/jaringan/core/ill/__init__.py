"""Interlibrary loan, the pure part: the rota of lenders, fees and the ledger. No Django.

Modules, one concept each:

* ``geography`` — the way between two libraries: kilometres and sea crossings (``Place``, ``leg``)
* ``routing``   — the rota: ``rank(need, candidates)`` → lenders best first with their reasons,
  and the candidates left out with theirs; ``Weights`` a network may set
* ``fees``      — the cost of a supply under an agreement (``quote``), the ledger
  (``Entry``, ``balances``, ``settlement``)
* ``lifecycle`` — the whole life of a request, as one table around ISO 18626's (import the module)
"""

from .fees import (
    Entry,
    Line,
    Period,
    Quote,
    Transfer,
    balances,
    band_fee,
    band_for,
    entry_for,
    quote,
    rupiah,
    settlement,
)
from .geography import Leg, Place, leg, sea_crossings
from .routing import DEFAULT, Candidate, Excluded, Lender, Need, Ranking, Reason, Weights, rank, score

__all__ = [
    "Candidate",
    "DEFAULT",
    "Entry",
    "Excluded",
    "Leg",
    "Lender",
    "Line",
    "Need",
    "Period",
    "Place",
    "Quote",
    "Ranking",
    "Reason",
    "Transfer",
    "Weights",
    "balances",
    "band_fee",
    "band_for",
    "entry_for",
    "leg",
    "quote",
    "rank",
    "rupiah",
    "score",
    "sea_crossings",
    "settlement",
]

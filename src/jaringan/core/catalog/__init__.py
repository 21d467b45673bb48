"""The union catalogue's pure core: normalise, analyse, identify, match.

Modules, one concept each:

* ``errors``       — the exception tree (``CatalogError``, ``NoTitle``, ``UnreadableRecord``)
* ``text``         — folding, tokenising, Indonesian + English stemming, match normalisation
* ``identifiers``  — ISBN, ISSN, LCCN, OCLC numbers
* ``record``       — ``CanonicalRecord`` and its parts
* ``cleaning``     — ISBD punctuation, placeholders, years
* ``marc``, ``marc_format`` — MARC 21 (pymarc) → ``CanonicalRecord``
* ``dublin_core``  — oai_dc / simple DC (lxml, parsed safely) → ``CanonicalRecord``
* ``matching``     — field comparisons, the match decision, blocking, clustering

No Django here: a test walks these files and checks their imports.
"""

from .errors import CatalogError, NoTitle, UnreadableRecord
from .record import CanonicalRecord, Classification, Holding, Series

__all__ = [
    "CanonicalRecord",
    "CatalogError",
    "Classification",
    "Holding",
    "NoTitle",
    "Series",
    "UnreadableRecord",
]

"""Records out: MARC 21, MARCXML, MODS, Dublin Core and citation formats from a canonical record.

The SRU server, the OAI-PMH provider and the record page's "Cite / export"
links all call these functions::

    to_marc(record, raw=raw, source_format="marc21", holdings=[("ITB", Holding("005.1 SUL p"))])
    marcxml_bytes(record)          # the same, as a MARCXML document
    to_mods(record, identifier="42")
    to_dc(record, identifier="https://…/catalogue/42/")
    to_ris(record); to_bibtex(record, key="edition42"); to_csl(record, id="42")
    formatted_citation(record, "apa")

Modules, one family of formats each:

* ``common``      — safe text (no controls XML or ISO 2709 cannot carry), names, leading articles
* ``marc``        — MARC 21 (pymarc ``Record``, ISO 2709 bytes) and MARCXML (lxml)
* ``mods``        — MODS 3.7, written so SLiMS's copy-cataloguing client reads it
* ``dublin_core`` — ``oai_dc:dc``
* ``citations``   — RIS, BibTeX, CSL-JSON, a formatted reference through citeproc-py
"""

from .citations import CITATION_STYLES, DEFAULT_STYLE, formatted_citation, to_bibtex, to_csl, to_ris
from .common import call_number
from .dublin_core import DC_NS, OAI_DC_NS, to_dc
from .marc import MARCXML_NS, RecordTooLong, local_call_number, marc_bytes, marcxml_bytes, to_marc, to_marcxml
from .mods import MODS_NS, to_mods

__all__ = [
    "CITATION_STYLES",
    "DC_NS",
    "DEFAULT_STYLE",
    "MARCXML_NS",
    "MODS_NS",
    "OAI_DC_NS",
    "RecordTooLong",
    "call_number",
    "formatted_citation",
    "local_call_number",
    "marc_bytes",
    "marcxml_bytes",
    "to_bibtex",
    "to_csl",
    "to_dc",
    "to_marc",
    "to_marcxml",
    "to_mods",
    "to_ris",
]

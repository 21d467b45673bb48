"""Harvest member catalogues over OAI-PMH 2.0 into the union catalogue.

Modules, one concept each:

* ``errors``    — the exception tree (``HarvestError`` and the OAI-PMH error codes)
* ``page``      — reading one response page: headers, records (normalised), tokens, Identify
* ``transport`` — ``OaiClient``: Sickle with a session, timeout, retries, strict parsing
* ``harvester`` — ``harvest`` (resumable, incremental, with ``Checkpoint``), ``identify``,
  ``list_sets``, ``list_metadata_formats``, ``list_identifiers``, ``get_record``

Pure: no Django.  The only I/O is HTTP through ``OaiClient``.
"""

from .errors import (
    BadArgument,
    BadResumptionToken,
    BadVerb,
    CannotDisseminateFormat,
    HarvestError,
    IdDoesNotExist,
    MalformedResponse,
    NoMetadataFormats,
    NoRecordsMatch,
    NoSetHierarchy,
    OAIError,
    ProviderUnavailable,
)
from .harvester import (
    Checkpoint,
    get_record,
    harvest,
    identify,
    list_identifiers,
    list_metadata_formats,
    list_sets,
    oai_datestamp,
)
from .page import HarvestedRecord, Header, MetadataFormat, OaiSet, Repository
from .transport import OaiClient

__all__ = [
    "BadArgument",
    "BadResumptionToken",
    "BadVerb",
    "CannotDisseminateFormat",
    "Checkpoint",
    "HarvestError",
    "HarvestedRecord",
    "Header",
    "IdDoesNotExist",
    "MalformedResponse",
    "MetadataFormat",
    "NoMetadataFormats",
    "NoRecordsMatch",
    "NoSetHierarchy",
    "OAIError",
    "OaiClient",
    "OaiSet",
    "ProviderUnavailable",
    "Repository",
    "get_record",
    "harvest",
    "identify",
    "list_identifiers",
    "list_metadata_formats",
    "list_sets",
    "oai_datestamp",
]

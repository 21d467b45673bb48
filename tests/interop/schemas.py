"""The published XML schemas (``shared/schemas``), loaded with lxml and nothing fetched.

Every ``xs:import`` is answered from the local copies: a schema location that is
an OASIS address is mapped to the file of the same name in ``sru2/``; any other
address fails the load (no network, no external entity ever resolved).

    validator("mods").assertValid(element)
    errors("marcxml", element)   # [] when valid, else the schema's messages
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlparse

from lxml import etree

from tests.paths import SHARED

MODS_NS = "http://www.loc.gov/mods/v3"
MARC_NS = "http://www.loc.gov/MARC21/slim"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SRW_DC_NS = "info:srw/schema/1/dc-schema"
SRU2_NS = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
OASIS_SCHEMAS = "docs.oasis-open.org"

#: The Dublin Core record containers: the elements of dc.xsd, any number, in any order
#: (OAI-PMH's oai_dc.xsd and SRU's dc-schema say this; their files are not among the copies).
_CONTAINER = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:dc="{dc}"
    targetNamespace="{ns}" elementFormDefault="qualified">
  <xs:import namespace="{dc}" schemaLocation="{location}"/>
  <xs:element name="dc" type="dc:elementContainer"/>
</xs:schema>"""


class _LocalOnly(etree.Resolver):
    """Schema imports answered from ``shared/schemas``; anything not there is refused."""

    def resolve(self, url, public_id, context):
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https"):
            if parsed.netloc != OASIS_SCHEMAS:
                raise OSError(f"refusing to fetch {url}: the schemas must be local")
            return self.resolve_filename(str(SHARED / "schemas" / "sru2" / parsed.path.rsplit("/", 1)[-1]), context)
        return None


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_LocalOnly())
    return parser


def _schema(path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path), _parser()))


def _container(namespace: str) -> etree.XMLSchema:
    text = _CONTAINER.format(dc=DC_NS, ns=namespace, location=(SHARED / "schemas" / "dc.xsd").as_uri())
    return etree.XMLSchema(etree.fromstring(text.encode(), _parser(), base_url=str(SHARED / "schemas") + "/"))


@cache
def validator(name: str) -> etree.XMLSchema:
    """``mods``, ``marcxml``, ``oai_dc``, ``srw_dc`` or ``sru2``."""
    folder = SHARED / "schemas"
    if name == "mods":
        return _schema(folder / "mods-3-7.xsd")
    if name == "marcxml":
        return _schema(folder / "MARC21slim.xsd")
    if name == "oai_dc":
        return _container(OAI_DC_NS)
    if name == "srw_dc":
        return _container(SRW_DC_NS)
    if name == "sru2":
        return _schema(folder / "sru2" / "sruResponse.xsd")
    raise ValueError(name)


#: Root element → the schema it must satisfy.
BY_ROOT = {f"{{{MODS_NS}}}mods": "mods", f"{{{MARC_NS}}}record": "marcxml", f"{{{OAI_DC_NS}}}dc": "oai_dc",
           f"{{{SRW_DC_NS}}}dc": "srw_dc"}


def errors(name: str, element: etree._Element) -> list[str]:
    """The schema's complaints about ``element`` (a copy is validated as a document of its own)."""
    schema = validator(name)
    document = etree.fromstring(etree.tostring(element), _parser())
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def record_errors(element: etree._Element) -> list[str]:
    """The complaints of the schema of ``element``'s kind (MODS, MARCXML or Dublin Core)."""
    name = BY_ROOT.get(element.tag)
    if name is None:
        return [f"no schema for a record element {element.tag}"]
    return errors(name, element)

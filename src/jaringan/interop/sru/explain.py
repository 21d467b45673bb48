"""The explain record (ZeeRex 2.0): where the server is, what it searches, in which schemas it answers."""

from __future__ import annotations

from lxml import etree

ZEEREX_NS = "http://explain.z3950.org/dtd/2.0/"
ZEEREX_SCHEMA = "http://explain.z3950.org/dtd/2.0/"

#: Context sets named in the explain record.
SETS = {
    "cql": "info:srw/cql-context-set/1/cql-v1.2",
    "dc": "info:srw/cql-context-set/1/dc-v1.1",
    "bath": "http://zing.z3950.org/cql/bath/2.0/",
}

#: (title, [(set, index name), ...]) of every index offered.
INDEXES = [
    ("any", [("cql", "serverChoice"), ("cql", "anywhere"), ("bath", "any")]),
    ("all records", [("cql", "allRecords")]),
    ("title", [("dc", "title"), ("bath", "title")]),
    ("author", [("dc", "creator"), ("dc", "author"), ("bath", "author"), ("bath", "name")]),
    ("subject", [("dc", "subject"), ("bath", "subject")]),
    ("publisher", [("dc", "publisher")]),
    ("year of publication", [("dc", "date")]),
    ("ISBN or ISSN", [("dc", "identifier"), ("bath", "standardIdentifier")]),
    ("ISBN", [("bath", "isbn")]),
    ("ISSN", [("bath", "issn")]),
    ("series", [("bath", "seriesTitle")]),
    ("call number", [("bath", "lcCallNumber"), ("bath", "deweyClassification")]),
]

#: What ``configInfo`` says is supported.
SUPPORTS = [
    ("relation", ("=", "==", "adj", "all", "any", "<>", "<", ">", "<=", ">=", "within")),
    ("booleanOperator", ("and", "or", "not")),
    ("maskingCharacter", ("*",)),
    ("sortBy", ("dc.date", "dc.title")),
]


def explain_record(*, host: str, port: int, database: str, title: str, description: str, schemas,
                   default_records: int, maximum_records: int, versions) -> etree._Element:
    """``schemas``: (identifier, short name, title) of each record schema; ``versions``: the SRU
    versions answered."""
    z = f"{{{ZEEREX_NS}}}"
    root = etree.Element(z + "explain", nsmap={None: ZEEREX_NS})
    server = etree.SubElement(root, z + "serverInfo", protocol="SRU", version=" ".join(versions),
                              transport="http")
    etree.SubElement(server, z + "host").text = host
    etree.SubElement(server, z + "port").text = str(port)
    etree.SubElement(server, z + "database").text = database
    info = etree.SubElement(root, z + "databaseInfo")
    etree.SubElement(info, z + "title", lang="en", primary="true").text = title
    etree.SubElement(info, z + "description", lang="en", primary="true").text = description
    index_info = etree.SubElement(root, z + "indexInfo")
    for name, identifier in SETS.items():
        etree.SubElement(index_info, z + "set", name=name, identifier=identifier)
    for index_title, names in INDEXES:
        index = etree.SubElement(index_info, z + "index", search="true", scan="true" if index_title in (
            "any", "title", "author", "subject", "publisher", "series") else "false",
            sort="true" if index_title in ("title", "year of publication") else "false")
        etree.SubElement(index, z + "title", lang="en").text = index_title
        for set_name, index_name in names:
            mapping = etree.SubElement(index, z + "map")
            etree.SubElement(mapping, z + "name", set=set_name).text = index_name
    schema_info = etree.SubElement(root, z + "schemaInfo")
    for identifier, short, schema_title in schemas:
        schema = etree.SubElement(schema_info, z + "schema", identifier=identifier, name=short,
                                  retrieve="true", sort="false")
        etree.SubElement(schema, z + "title", lang="en").text = schema_title
    config = etree.SubElement(root, z + "configInfo")
    etree.SubElement(config, z + "default", type="numberOfRecords").text = str(default_records)
    etree.SubElement(config, z + "setting", type="maximumRecords").text = str(maximum_records)
    etree.SubElement(config, z + "default", type="contextSet").text = "cql"
    etree.SubElement(config, z + "default", type="index").text = "cql.serverChoice"
    for kind, values in SUPPORTS:
        for value in values:
            etree.SubElement(config, z + "supports", type=kind).text = value
    return root

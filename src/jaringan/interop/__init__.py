"""The union catalogue's standard doors: an OAI-PMH 2.0 provider (`/oai`) and SRU with CQL (`/sru`).

Member systems that already speak these standards (SLiMS, Koha, INLIS, any
harvester or Z39.50/SRU client) reach the network with no code of ours:

* ``oai``     — OAI-PMH 2.0: all six verbs, ``oai_dc``, ``marcxml`` (alias
  ``marc21``) and ``mods``, sets per network and per library, deleted records,
  stateless signed resumption tokens;
* ``sru``     — SRU 1.1, 1.2 and 2.0: ``explain``, ``searchRetrieve``, ``scan``;
  CQL translated into the search core's query tree;
* ``ncip``    — NCIP 2 ``LookupUser`` for reciprocal borrowing: answered at ``/ncip``, asked of a
  member's own NCIP server for its reader's standing;
* ``records`` — an edition as MARCXML, Dublin Core or MODS, shared by both.
"""

"""NCIP 2 (ANSI/NISO Z39.83-1) for reciprocal borrowing: members whose local system speaks NCIP
(Koha, FOLIO, Aleph …) take part without typing twice.

* ``messages`` — reading any NCIP 2.0/2.01/2.02 message (with the quirks real systems send) and
  writing ``LookupUser``, ``LookupUserResponse`` and ``Problem`` answers valid against the schemas;
  pure, no Django;
* ``views``    — ``POST /ncip``: Jaringan answers ``LookupUser`` for a visiting reader's standing;
* ``client``   — Jaringan asks a member's NCIP server for its reader's standing.
"""

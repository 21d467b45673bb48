"""The union catalogue over Z39.50, served by Zebra (Debian's ``idzebra-2.0``), for members whose
system copy-catalogues only over Z39.50 (Koha's staff client and many others).

Jaringan speaks no Z39.50 itself: it keeps a Zebra register in step with the catalogue and runs
Zebra's own server, ``zebrasrv``, beside the hub. ``jaringan z3950 ...`` calls the functions of
:mod:`.zebra`:

* ``configure`` writes the Zebra configuration into ``JARINGAN_HOME/z3950`` (``zebra.cfg``,
  ``yazgfs.xml``; the DOM filter's stylesheets and the Bib-1 mapping are this package's
  ``zebra/`` files);
* ``export`` loads every edition, as the MARCXML ``/sru`` serves, into a fresh register;
* ``sync`` applies what changed since the last export or sync: editions whose datestamp moved
  (``Edition.updated``, moved in the same transaction that puts the edition in the catalogue's
  outbox) are written again, retired editions deleted, as OAI-PMH harvesters follow them. The
  outbox's rows themselves are the search index's to consume (it deletes what it applied), so
  Zebra reads the datestamps those same writes move, and writes again each time what changed in
  the minute before the newest change it saw (a transaction that committed late is not missed;
  writing a record again changes nothing);
* ``serve`` runs ``zebrasrv`` on the address given and syncs every few seconds until stopped.

Searches: Bib-1 use attributes 4 (title), 1003/1004 (author), 7 (ISBN, ISBN-10 or ISBN-13),
8 (ISSN), 21 (subject), 1016 (any), 5 (series), 1018 (publisher), 31 (year), 12 (the edition's
id); records are MARCXML (element set ``marcxml``), the same records ``/sru`` serves. The same
server answers SRU too (``cql2pqf.properties``).
"""

from .zebra import Layout, ZebraError, configure, export, layout, serve, sync

__all__ = ["Layout", "ZebraError", "configure", "export", "layout", "serve", "sync"]

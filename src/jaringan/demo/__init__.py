"""The demo network (``jaringan demo``): real Indonesian libraries, their catalogues and their traffic.

Everything the demo loads is made through the services staff and members use, so the pages, the API
and the protocols show what real use would leave. The data are files of their own (``data/``: TOML
read by :mod:`.datafiles`, and the Library of Congress's records); the code is here, one module per
part, loaded in this order by :func:`load`:

* :mod:`.network`: the libraries, networks, memberships, agreements and the demo logins;
* :mod:`.catalogue`: the union catalogue, real records spread over the libraries;
* :mod:`.ill`: interlibrary loan requests in varied states;
* :mod:`.bibliographies`: two public lists on their networks' pages;
* :mod:`.serials`: journals and the members' holdings of them;
* :mod:`.articles`: articles in those journals, with their abstracts in Indonesian and English;
* :mod:`.reciprocal`: reciprocal borrowing terms, passes, visits and loans.

The demo has a past: the catalogues' files, a year of requests and of visits are dated back over the past
twelve months when the demo is built (:mod:`.history`), so its statistics and yearly report show a year.

No production module imports this package: only the command line's ``demo`` command does (a test
holds it), and each part is loaded once (run again, it leaves what is there).
"""

from __future__ import annotations

from collections.abc import Callable

#: Records of the demo catalogue: all 3,148 real Indonesian LoC records (about a minute on 2 cores).
RECORDS = 3148


def load(*, records: int = RECORDS, say: Callable[[str], None] = lambda text: None) -> bool:
    """Load every part of the demo that is not there yet; True if the network was new.

    ``records`` is how many of the Library of Congress's records are spread over the libraries (0 for
    none); ``say`` hears what takes long before it starts and what it made."""
    from jaringan.analysis.services import profiles_refresh
    from jaringan.discovery import services as discovery

    from . import articles, bibliographies, catalogue, ill, network, reciprocal, serials

    created = network.load_network()
    catalogue.load_once(records, say=say, past=True)  # each library's files dated over the past year
    ill.load_ill(past=True)  # requests in varied states, and a year of them played to their end
    bibliographies.load_bibliographies()  # two public lists from the demo records, on their networks' pages
    profiles_refresh()  # collection analysis's figures, so that its pages open at once
    serials.load_serials()  # a few real Indonesian journals with several members' holdings
    articles.load_articles()  # articles in those journals, with abstracts in both languages
    reciprocal.load_reciprocal(past=True)  # reciprocal borrowing terms, passes, a year of visits, loans
    discovery.reindex()  # the search index, built afresh from the demo's catalogue
    return created

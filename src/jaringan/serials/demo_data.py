"""The demo's serials and who holds what of them.

The journals are real Indonesian open-access journals (titles, ISSNs and publishers as the
Directory of Open Access Journals listed them in 2014); the holdings are made up for the demo, with
gaps, overlaps, a missing volume and a line that reads as no range, so the pages have something to show.
"""

#: title, print ISSN, electronic ISSN, publisher, place, frequency, first year (362), earlier title (780 $t)
JOURNALS = [
    ("Biodiversitas", "1412-033X", "2085-4722", "MBI & UNS Solo", "Surakarta", "Quarterly", "Vol. 1, no. 1 (2000)-", None),
    ("Medical Journal of Indonesia", "0853-1773", "2252-8083", "Faculty of Medicine Universitas Indonesia", "Jakarta",
     "Quarterly", "Vol. 1, no. 1 (1992)-", None),
    ("Ilmu Kelautan : Indonesian Journal of Marine Sciences", "0853-7291", None, "Diponegoro University", "Semarang",
     "Quarterly", "Vol. 1 (1996)-", None),
    ("Al-Jami'ah : Journal of Islamic Studies", "0126-012X", "2338-557X", "State Islamic University Sunan Kalijaga",
     "Yogyakarta", "Semiannual", "No. 1 (1962)-", None),
    ("Makara Seri Sains", "1693-6671", None, "Universitas Indonesia", "Depok", "Semiannual", "Vol. 6 (2002)-", "Makara"),
    ("Makara", None, None, "Universitas Indonesia", "Depok", "Semiannual", "Vol. 1 (1997)-vol. 5 (2001)", None),
]

#: library code → [(print ISSN or title, holdings as the library types them)]
HOLDINGS = {
    "PNRI": [("1412-033X", "Vol. 1 (2000) - vol. 14 (2013)"), ("0853-1773", "Vol. 1 (1992) - sekarang"),
             ("0126-012X", "1962-1990; 1995-"), ("Makara", "Vol. 1 (1997) - vol. 5 (2001)"),
             ("1693-6671", "Vol. 6 (2002) - vol. 16 (2012)")],
    "UI": [("0853-1773", "Vol. 1 (1992) - vol. 22 (2013); vol. 7 missing"), ("1693-6671", "Vol. 6 (2002) -"),
           ("Makara", "v.1-5 (1997-2001)")],
    "UGM": [("1412-033X", "2005-2013"), ("0126-012X", "Vol. 30 (1986) - vol. 51 (2013)"),
            ("0853-1773", "v.10 no.2 missing; v.5-15 (1996-2006)")],
    "IPB": [("1412-033X", "Vol. 1 No. 1 (2000) s.d. Vol. 18 No. 2 (2017)"), ("0853-7291", "1996-2004; 2008-")],
    "UNHAS": [("0853-7291", "Vol. 3 (1998) - vol. 12 (2007)"), ("0853-1773", "Th. 2000 - 2010")],
    "UNPATTI": [("0853-7291", "2010-"), ("1412-033X", "bound volumes in the reading room")],
    "UNUD": [("0853-1773", "Vol. 15 (2006) - sekarang")],
    "BRIN": [("1412-033X", "Vol. 1 (2000) -"), ("0853-7291", "Vol. 1 (1996) - vol. 20 (2015)")],
}

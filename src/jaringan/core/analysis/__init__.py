"""Collection analysis: overlap and uniqueness of members' holdings, subject strengths, buy-warnings.

Pure computations over plain data, no Django:

* ``subjects`` — a class number (DDC, LCC, UDC) as the subject group it falls in
* ``overlap``  — overlap, uniqueness, the pairwise matrix and subject profiles of any group of
  members, from counts of editions per *holding pattern* (the exact set of members holding them)
* ``orders``   — an order list (ISBNs typed, a CSV file) as numbered lines of ISBNs
"""

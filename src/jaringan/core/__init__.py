"""The pure domain core: no Django here (a test enforces it).

Agreements, eligibility, geography, and later MARC normalisation, matching,
ISO 18626 and lender routing live here as plain functions over plain data.
"""

"""Reciprocal borrowing: agreement terms, network passes, the host desk, loans, blocks, NCIP standing.

The rules are in ``jaringan.core.reciprocal``; NCIP messages in ``jaringan.interop.ncip``.
"""

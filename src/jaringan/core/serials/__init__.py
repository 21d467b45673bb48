"""Serials and holdings statements, pure Python: holdings parsed from MFHD, KBART and typed text
into ranges of volume, issue and year (:mod:`.coverage`), and which records are one serial
(:mod:`.identity`). No Django here."""

"""Jaringan: the network between libraries."""

__version__ = "0.1.0"

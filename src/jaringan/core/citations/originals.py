"""citeproc-py's own methods, by name, as they were before the kept lookups took their place.

The kept lookups (``lookups``, ``walk``, ``conditions``) ask them once, or for what they do not keep;
``lookups.citeproc_lookups(False)`` puts them back.
"""

from __future__ import annotations

__all__ = ["original"]

#: Filled by :func:`jaringan.core.citations.lookups.keep_style_lookups`, by the names of ``lookups._places``.
original: dict = {}

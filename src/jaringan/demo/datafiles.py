"""The demo's data files (``data/*.toml``), read into the Python values the services take.

TOML has dates but neither decimals nor "none", so two conventions hold in every file:
a key of :data:`NULLABLE` left out of its table reads as None, and an amount of money
(:data:`MONEY`) reads as a ``Decimal``. Nothing here imports Django.
"""

from __future__ import annotations

import copy
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path

#: The folder of the data files, inside the installed package.
DATA = Path(__file__).resolve().parent / "data"

#: Keys of each array of tables that may be absent, meaning none.
NULLABLE = {
    "libraries": ("annual_budget",),  # a library without a budget of its own
    "networks": ("coordinator",),
    "agreements": ("ends",),  # open-ended
    "users": ("library",),  # coordinators belong to networks
    "shipping_bands": ("up_to_km",),  # the last band has no distance limit
}
#: Amounts of money, written in whole rupiah.
MONEY = frozenset({"annual_budget", "fee_per_loan", "fee_per_page"})


def _typed(value, name: str = ""):
    if isinstance(value, dict):
        out = {k: Decimal(v) if k in MONEY else _typed(v, k) for k, v in value.items()}
        for key in NULLABLE.get(name, ()):
            out.setdefault(key, None)
        return out
    if isinstance(value, list):
        return [_typed(item, name) for item in value]
    return value


@cache
def _parsed(name: str) -> dict:
    with open(DATA / f"{name}.toml", "rb") as fh:
        return _typed(tomllib.load(fh))


def read(name: str) -> dict:
    """The data file ``data/<name>.toml`` with its conventions applied: read once, a fresh copy each time."""
    return copy.deepcopy(_parsed(name))


def network() -> dict:
    """The demo network: ``libraries``, ``networks``, ``memberships``, ``agreements``, ``users``,
    ``border_rules``."""
    return read("network")


def serials() -> dict:
    """The demo's ``journals`` and the members' ``holdings`` of them."""
    return read("serials")


def articles() -> dict:
    """The demo's ``articles`` in its journals: the member that catalogues each, its journal's ISSN,
    volume, issue, pages, year, keywords and abstracts in Indonesian and English."""
    return read("articles")


def reciprocal() -> dict:
    """The eastern network's reciprocal ``agreements`` and the borrowing ``terms`` by agreement code."""
    return read("reciprocal")


def bibliographies() -> dict:
    """The demo's public ``lists``."""
    return read("bibliographies")

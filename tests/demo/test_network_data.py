"""The demo network's data file is internally consistent, and reads into the values the services take."""

import re
from datetime import date
from decimal import Decimal

from jaringan.demo import datafiles

_DATA = datafiles.network()
LIBRARIES, NETWORKS, MEMBERSHIPS, AGREEMENTS, USERS = (
    _DATA[k] for k in ("libraries", "networks", "memberships", "agreements", "users"))

TODAY = date(2026, 11, 25)

ISLAND = {
    **dict.fromkeys(
        ["Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
         "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung"],
        "sumatra"),
    **dict.fromkeys(
        ["DKI Jakarta", "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur"],
        "java"),
    **dict.fromkeys(["Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur"], "bali_nusa_tenggara"),
    **dict.fromkeys(
        ["Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur",
         "Kalimantan Utara"],
        "kalimantan"),
    **dict.fromkeys(
        ["Sulawesi Utara", "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan",
         "Sulawesi Tenggara"],
        "sulawesi"),
    **dict.fromkeys(["Maluku", "Maluku Utara"], "maluku"),
    **dict.fromkeys(
        ["Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah", "Papua Pegunungan",
         "Papua Selatan"],
        "papua"),
}
assert len(ISLAND) == 38

KINDS = {"national", "public", "academic", "school", "special"}
LIBRARY_KEYS = {
    "code", "name", "kind", "address", "city", "province", "latitude", "longitude",
    "languages", "collection_size", "open_to_outsiders", "annual_budget", "budget_fixed",
    "staff_count", "contact_name", "email", "phone", "website", "offers_loan", "offers_copy",
    "offers_reciprocal", "delivery_methods",
}

LIBS = {lib["code"]: lib for lib in LIBRARIES}
NETS = {net["code"]: net for net in NETWORKS}


def meets_requirements(lib):
    return (
        lib["collection_size"] > 0
        and lib["open_to_outsiders"]
        and lib["budget_fixed"]
        and lib["annual_budget"] is not None
        and lib["annual_budget"] > 0
        and lib["staff_count"] >= 1
    )


def status(agreement):
    if TODAY < agreement["starts"]:
        return "upcoming"
    if agreement["ends"] is not None and TODAY > agreement["ends"]:
        return "expired"
    return "active"


def test_codes_are_unique():
    for items in (LIBRARIES, NETWORKS, AGREEMENTS, USERS):
        key = "username" if items is USERS else "code"
        codes = [item[key] for item in items]
        assert len(codes) == len(set(codes))


def test_libraries():
    assert len(LIBRARIES) >= 20
    for lib in LIBRARIES:
        assert set(lib) - {"local_content_locations"} == LIBRARY_KEYS, lib["code"]  # local content: a few
        assert all(isinstance(x, str) and x for x in lib.get("local_content_locations", [])), lib["code"]
        assert re.fullmatch(r"[A-Z0-9-]{2,16}", lib["code"])
        assert lib["kind"] in KINDS
        assert lib["province"] in ISLAND, lib["province"]
        assert 1_000 <= lib["collection_size"] <= 200_000
        assert -11 < lib["latitude"] < 6 and 95 < lib["longitude"] < 141
        assert all(re.fullmatch(r"[a-z]{3}", lang) for lang in lib["languages"])
        assert lib["phone"].startswith("+62 ")
        assert set(lib["delivery_methods"]) <= {"post", "courier", "digital", "pickup"}
        assert lib["annual_budget"] is None or isinstance(lib["annual_budget"], Decimal)
    assert {lib["kind"] for lib in LIBRARIES} == KINDS
    assert set(ISLAND.values()) == {ISLAND[lib["province"]] for lib in LIBRARIES}
    assert sum(lib["kind"] == "school" for lib in LIBRARIES) >= 3
    assert 2 <= sum(not meets_requirements(lib) for lib in LIBRARIES) <= 3


def test_networks_and_memberships():
    assert len(NETWORKS) >= 4
    usernames = {u["username"] for u in USERS}
    for net in NETWORKS:
        assert net["coordinator"] is None or net["coordinator"] in usernames
        assert (net["structure"] == "single_type") == (net["library_kind"] in KINDS)
    assert any(net["funding"] == "commercial" for net in NETWORKS)

    pairs = [(m["network"], m["library"]) for m in MEMBERSHIPS]
    assert len(pairs) == len(set(pairs))
    for m in MEMBERSHIPS:
        assert m["network"] in NETS and m["library"] in LIBS
        assert m["status"] in {"applied", "admitted", "rejected", "suspended"}
        if m["status"] in {"admitted", "suspended"}:
            assert meets_requirements(LIBS[m["library"]]), m
        if m["status"] == "rejected":
            assert not meets_requirements(LIBS[m["library"]]), m

    statuses = [m["status"] for m in MEMBERSHIPS]
    assert statuses.count("applied") >= 2 and "rejected" in statuses and "suspended" in statuses
    # A pending application a coordinator can admit in the demo.
    assert any(
        m["status"] == "applied"
        and meets_requirements(LIBS[m["library"]])
        and NETS[m["network"]]["coordinator"] == "koordinator"
        for m in MEMBERSHIPS
    )
    admitted_in = {}
    for m in MEMBERSHIPS:
        if m["status"] == "admitted":
            admitted_in.setdefault(m["library"], set()).add(m["network"])
    assert sum(len(nets) > 1 for nets in admitted_in.values()) >= 3


def test_agreements():
    assert len(AGREEMENTS) >= 6
    admitted = {(m["network"], m["library"]) for m in MEMBERSHIPS if m["status"] == "admitted"}
    for a in AGREEMENTS:
        assert a["network"] in NETS
        assert a["ends"] is None or a["starts"] < a["ends"]
        assert set(a["services"]) <= {"loan", "copy", "reciprocal", "cataloguing", "acquisition"}
        assert (a["form"] == "written") == bool(a["document_ref"])
        assert (a["coverage"] == "network") == (a["parties"] == [])
        roles = {p["role"] for p in a["parties"]}
        if a["relation"] == "one_way" and a["coverage"] == "named":
            assert roles == {"supplier", "recipient"}
        elif a["coverage"] == "named":
            assert roles == {"both"}
        for p in a["parties"]:
            assert (a["network"], p["library"]) in admitted, (a["code"], p)
        for r in a["responsibilities"]:
            assert r["library"] in LIBS and r["scheme"] in {"DDC", "LCC", "UDC"}
            if r["scheme"] == "DDC":
                assert Decimal(r["start"]) <= Decimal(r["end"])
    assert {status(a) for a in AGREEMENTS} == {"expired", "active", "upcoming"}
    assert any(a["ends"] and a["ends"].year == 2023 for a in AGREEMENTS)
    assert any(a["starts"].year == 2027 for a in AGREEMENTS)
    assert {a["form"] for a in AGREEMENTS} == {"written", "unwritten"}
    assert {a["relation"] for a in AGREEMENTS} == {"reciprocal", "one_way"}
    assert {a["coverage"] for a in AGREEMENTS} == {"network", "named"}
    assert any("reciprocal" in a["services"] for a in AGREEMENTS)
    assert any(a["responsibilities"] for a in AGREEMENTS)
    assert any(a["fee_per_loan"] == a["fee_per_page"] == 0 for a in AGREEMENTS)
    assert len({a["fee_per_loan"] for a in AGREEMENTS}) > 2


def test_users():
    roles = {u["username"]: u["role"] for u in USERS}
    assert roles == {
        "koordinator": "coordinator",
        "koordinator.fppti": "coordinator",
        "staf.itb": "staff",
        "staf.unpatti": "staff",
        "staf.unhas": "staff",
        "staf.unud": "staff",
        "pembaca": "reader",
    }
    for u in USERS:
        assert u["password"].startswith("demo-")
        assert all(code in NETS for code in u["networks"])
        assert bool(u["networks"]) == (u["role"] == "coordinator")
        assert u["library"] is None or u["library"] in LIBS
        for code in u["networks"]:
            assert NETS[code]["coordinator"] == u["username"]
    staff_islands = {ISLAND[LIBS[u["library"]]["province"]] for u in USERS if u["role"] == "staff"}
    assert len(staff_islands) == 4


def test_the_readers_library_can_borrow_from_libraries_with_a_demo_login():
    """An interlibrary loan can be played from both sides: an agreement active today covers loans
    from the reader's library to libraries whose staff have a demo login."""
    staff_at = {u["library"] for u in USERS if u["role"] == "staff"}
    admitted = {(m["network"], m["library"]) for m in MEMBERSHIPS if m["status"] == "admitted"}
    for reader in (u for u in USERS if u["role"] == "reader"):
        home = reader["library"]
        assert home in staff_at  # someone approves the reader's request
        lenders = set()
        for a in AGREEMENTS:
            if status(a) != "active" or "loan" not in a["services"] or a["relation"] != "reciprocal":
                continue
            members = {lib for (net, lib) in admitted if net == a["network"]}
            if a["coverage"] == "named":
                members &= {p["library"] for p in a["parties"]}
            if home in members:
                lenders |= members - {home}
        assert lenders & staff_at, reader["username"]


def test_the_reader_is_pure_python():
    """The data are read with the standard library alone (no Django), so these checks run in milliseconds."""
    source = open(datafiles.__file__, encoding="utf-8").read()
    imports = re.findall(r"^(?:from|import) ([\w.]+)", source, re.M)
    assert set(imports) <= {"__future__", "copy", "tomllib", "decimal", "functools", "pathlib"}


def test_each_reading_is_a_fresh_copy():
    """A loader that changes what it was given cannot change the next reading."""
    first = datafiles.network()
    first["libraries"][0]["name"] = "changed"
    assert datafiles.network()["libraries"][0]["name"] != "changed"

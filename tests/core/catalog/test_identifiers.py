"""ISBN, ISSN, LCCN and OCLC number normalisation."""

import pytest

from jaringan.core.catalog.identifiers import (
    normalise_isbn,
    normalise_issn,
    normalise_lccn,
    normalise_oclc,
    oclc_from_035,
    parse_isbn,
)


@pytest.mark.parametrize(
    ("raw", "isbn13"),
    [
        ("0-306-40615-2", "9780306406157"),
        ("9780306406157", "9780306406157"),
        ("978-0-306-40615-7 (hbk.)", "9780306406157"),
        ("979-3062-79-7 (pbk.) : Rp40.000", "9789793062792"),
        ("ISBN 978-602-8519-93-9", "9786028519939"),
        ("0-9752298-0-X", "9780975229804"),
        ("0-306-40615-3", None),  # wrong check digit
        ("9780306406158", None),
        ("HL00361126 :", None),
        ("089542262X295", None),  # digits run on: not an ISBN
        (None, None),
        ("", None),
    ],
)
def test_normalise_isbn(raw, isbn13):
    assert normalise_isbn(raw) == isbn13


def test_parse_isbn_keeps_raw_and_qualifier_of_an_invalid_isbn():
    parsed = parse_isbn("0-306-40615-3 (pbk.)")
    assert parsed is not None
    assert not parsed.valid
    assert parsed.raw == "0-306-40615-3 (pbk.)"
    assert parsed.qualifier == "pbk."


@pytest.mark.parametrize(
    ("raw", "issn"),
    [
        ("0317-8471", "0317-8471"),
        ("0317-8472", None),
        ("ISSN 2049-3630", "2049-3630"),
        ("03178471", "0317-8471"),
        ("2434-561X", "2434-561X"),
        ("nonsense", None),
    ],
)
def test_normalise_issn(raw, issn):
    assert normalise_issn(raw) == issn


@pytest.mark.parametrize(
    ("raw", "lccn"),
    [
        # examples of the Library of Congress normalisation rules
        ("n78-890351", "n78890351"),
        ("n78-89035", "n78089035"),
        ("n 78890351 ", "n78890351"),
        (" 85000002 ", "85000002"),
        ("85-2 ", "85000002"),
        ("2001-000002", "2001000002"),
        ("75-425165//r75", "75425165"),
        (" 79139101 /AC/r932", "79139101"),
        ("   00271635 ", "00271635"),
        ("abc", None),
        (None, None),
    ],
)
def test_normalise_lccn(raw, lccn):
    assert normalise_lccn(raw) == lccn


@pytest.mark.parametrize(
    ("raw", "number"),
    [("(OCoLC)ocm00012345", "12345"), ("(OCoLC)ocn123456789", "123456789"), ("(OCoLC)on1234567890", "1234567890"),
     ("(OCoLC)12345", "12345"), ("(DLC)   00271635", None), ("(OCoLC)", None)],
)
def test_oclc_from_035(raw, number):
    assert oclc_from_035(raw) == number


def test_normalise_oclc_bare_control_number():
    assert normalise_oclc("ocm20612671") == "20612671"
    assert normalise_oclc("not a number") is None

"""Both languages without raw codes: the main pages rendered in Indonesian show no stored code, ISO 18626
status or English sentence a reader was meant to see in words, and in English no Indonesian stored label.

The pages are rendered by Django's test client against the real database, with real imports (a record
without a title goes to quarantine through the MARC reader) and real interlibrary loan requests.
"""

from __future__ import annotations

import re
from html import unescape

import pymarc
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from jaringan.catalog import labels
from jaringan.catalog.models import Edition, ImportBatch, Quarantine
from jaringan.catalog.reasons import reason_display
from jaringan.core.catalog.matching import comparison
from jaringan.core.iso18626.vocabulary import Status
from tests.ill.conftest import held, staff  # noqa: F401  (the books and the lenders' staff)
from tests.support.uploads import run_uploads

pytestmark = pytest.mark.django_db

#: Codes and English words that must not be seen on an Indonesian page (matched as whole words).
RAW_IN_INDONESIAN = [
    "book", "ind", "eng", "match", "missing", "similar", "mismatch", "one-sided", "contradicted", "weak",
    "first author", "Why here", "Withdrawn", "Batch", "no title", "are missing or empty",
    *[s.value for s in Status],
]
#: Indonesian labels that were once stored (written in the importer's language) and shown to everyone.
STORED_INDONESIAN = ["cantuman lain seperti ini", "Mengundurkan diri", "Dipinjamkan", "tanpa judul", "Kelompok impor"]


def visible(response) -> str:
    """The page's text as a reader sees it: no tags, scripts, styles or attributes."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def found(words: list[str], text: str) -> list[str]:
    """Each word found, with the text around it (so a failure says where)."""
    hits = []
    for w in words:
        m = re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
        if m:
            hits.append(f"{w}: …{text[max(0, m.start() - 60):m.end() + 30]}…")
    return hits


def _marc(control: str, title: str | None, language: str = "ind") -> bytes:
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field(tag="001", data=control))
    record.add_field(pymarc.Field(tag="008", data=f"160101s2015    io            000 0 {language} d"))
    if title:
        record.add_field(pymarc.Field(tag="245", indicators=["1", "0"], subfields=[pymarc.Subfield("a", title)]))
    return record.as_marc()


@pytest.fixture
def journey(held, staff, user, settings):
    """The demo network with three books held by six libraries, a file of UNPATTI's with a record without
    a title and more unreadable ones than the quarantine keeps, and a request sent along its rota."""
    from jaringan.ill import services as ill

    settings.QUARANTINE_ROWS_PER_BATCH = 1
    desk = Client()
    desk.force_login(user("staf.unpatti"))
    body = _marc("L-1", "Sejarah Maluku") + _marc("L-2", None) + _marc("L-3", None) + _marc("L-4", None)
    desk.post("/manage/libraries/UNPATTI/records/", {"file": SimpleUploadedFile("koleksi.mrc", body), "format": ""},
              HTTP_ACCEPT_LANGUAGE="id")
    run_uploads()  # read in the background: here, in the test's thread
    sent = ill.illrequest_create(actor=staff("staf.unpatti"), edition=held[1], service="loan", reader_name="Tamu")
    return {"desk": desk, "request": sent, "edition": held[1]}


def _pages(journey) -> dict[str, str]:
    edition = journey["edition"]
    return {
        "search": "/search/?q=sejarah",
        "edition": f"/catalogue/{edition.pk}/",
        "why": f"/catalogue/{edition.pk}/why/",
        "records": "/manage/libraries/UNPATTI/records/",
        "request": f"/manage/ill/requests/{journey['request'].pk}/",
        "queue": "/manage/ill/?library=UNPATTI",
        "lending": "/manage/ill/lending/?library=UNPATTI",
        "check": "/agreements/check/?requester=UNPATTI&supplier=UNHAS&service=loan",
        "library": "/libraries/UNPATTI/",
        "catalogue": "/catalogue/",
    }


def test_indonesian_pages_show_words_not_codes(journey):
    assert Quarantine.objects.filter(library__code="UNPATTI").count() == 1  # the cap: 1 kept, 2 summed up
    for name, url in _pages(journey).items():
        response = journey["desk"].get(url, HTTP_ACCEPT_LANGUAGE="id")
        assert response.status_code == 200, (name, response.status_code)
        text = visible(response)
        assert not found(RAW_IN_INDONESIAN, text), (name, found(RAW_IN_INDONESIAN, text))
    records = visible(journey["desk"].get("/manage/libraries/UNPATTI/records/", HTTP_ACCEPT_LANGUAGE="id"))
    assert "tanpa judul (245 $a, $k dan $b tidak ada atau kosong)" in records
    assert "Dan 2 cantuman lain seperti ini" in records and "Mengundurkan diri" not in records
    edition = visible(journey["desk"].get(f"/catalogue/{journey['edition'].pk}/", HTTP_ACCEPT_LANGUAGE="id"))
    with translation.override("id"):
        language = labels.language_label(journey["edition"].language)
    assert "Format Buku" in edition and f"Bahasa {language}" in edition and language in ("Indonesia", "Inggris")
    assert "Alasan pengelompokan" in edition
    why = visible(journey["desk"].get(f"/catalogue/{journey['edition'].pk}/why/", HTTP_ACCEPT_LANGUAGE="id"))
    assert "Judul" in why and "sama" in why and "Kesimpulan" in why and "title" not in why
    rota = visible(journey["desk"].get(f"/manage/ill/requests/{journey['request'].pk}/", HTTP_ACCEPT_LANGUAGE="id"))
    assert "Alasan urutan ini" in rota and "Alasan pengelompokan" not in rota


def test_english_pages_show_no_indonesian_stored_label(journey):
    for name, url in _pages(journey).items():
        text = visible(journey["desk"].get(url, HTTP_ACCEPT_LANGUAGE="en"))
        assert not found(STORED_INDONESIAN, text), (name, found(STORED_INDONESIAN, text))
    records = visible(journey["desk"].get("/manage/libraries/UNPATTI/records/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "And 2 more records like these could not be read" in records  # the batch was read in Indonesian
    assert "no title (245 $a, $k and $b are missing or empty)" in records


def test_a_status_keeps_its_code_only_in_a_title():
    html = Client().get("/", HTTP_ACCEPT_LANGUAGE="id")  # the site answers; the badge is rendered alone below
    assert html.status_code == 200
    from django.template.loader import render_to_string

    with translation.override("id"):
        from jaringan.ill.web import screens

        badge = render_to_string("ill/pages/_badge.html", {"b": screens.state_badge("Loaned")})
    assert re.sub(r"<[^>]+>", "", badge).strip() == screens.state_badge("Loaned")["label"] != "Loaned"
    assert 'title="ISO 18626: Loaned"' in badge


def test_every_verdict_and_field_of_matching_has_words_in_both_languages():
    verdicts = [comparison.MATCH, comparison.SIMILAR, comparison.WEAK, comparison.MISMATCH, comparison.MISSING,
                comparison.ONE_SIDED, comparison.CONTRADICTED]
    fields = ["isbn", "lccn", "oclc", "issn", "doi", "title", "subtitle", "part", "authors", "first author",
              "container", "issue", "publisher", "year", "edition", "pages", "format", "language"]
    for lang in ("id", "en"):
        with translation.override(lang):
            assert all(labels.verdict_label(v) for v in verdicts), lang
            if lang == "id":
                assert not [v for v in verdicts if labels.verdict_label(v) == v]
            words = {f: labels.field_label(f) for f in fields}
    assert set(labels.FIELD_LABELS) == set(fields) and set(labels.VERDICT_LABELS) == set(verdicts)
    with translation.override("id"):
        rows = [(labels.field_label(f), labels.verdict_label(v)) for f, v in (("first author", "missing"), ("year", "match"))]
    assert rows == [("Pengarang pertama", "tidak ada di kedua cantuman"), ("Tahun", "sama")]
    assert words["first author"] == "First author"  # English, the last language asked


def test_every_language_of_the_demo_catalogue_has_its_name_in_both_languages():
    from jaringan.demo.catalogue import records_path

    import lzma

    seen = set()
    with lzma.open(records_path(), "rb") as fh:
        for record in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True):
            if record is not None and record["008"] is not None:
                seen.add(record["008"].data[35:38])
    seen &= {code for code in seen if code.isalpha()}
    assert {"ind", "eng", "may", "jav"} <= seen
    for lang in ("id", "en"):
        with translation.override(lang):
            missing = [code for code in seen if labels.language_label(code) == code]
            assert not missing, (lang, missing)
    with translation.override("id"):
        assert labels.language_label("ind") == "Indonesia" and labels.format_label("book") == "Buku"


@pytest.mark.parametrize(("stored", "lang", "shown"), [
    ("no title (245 $a, $k and $b are missing or empty)", "id", "tanpa judul (245 $a, $k dan $b tidak ada atau kosong)"),
    ("the file ends inside this record: the leader says 12,345 bytes but only 1,000 remain", "id",
     "berkas berakhir di tengah cantuman ini: leader menyebut 12.345 bita, tetapi hanya tersisa 1.000"),
    ("line 1,204: no title (the 'title' column is empty)", "id", "baris 1.204: tanpa judul (kolom 'title' kosong)"),
    ("this is an authority record (leader/06 'z'), not a bibliographic record", "id",
     "ini cantuman kendali (authority) (leader/06 'z'), bukan cantuman bibliografis"),
    ("the file ends inside this record: the leader says 12,345 bytes but only 1,000 remain", "en",
     "the file ends inside this record: the leader says 12,345 bytes but only 1,000 remain"),
    ("a sentence no reader writes", "id", "a sentence no reader writes"),
    ("Interrupted: the process running it (unknown) stopped; it last committed at 2026-12-06 07:15:00.", "id",
     "Terputus: proses yang menjalankannya (tidak diketahui) berhenti; terakhir menyimpan pada 6 Des. 2026, 7.15."),
    ("The previous run was interrupted at 2026-12-06 07:15:00 (it had read 40000 records; what it committed is "
     "kept and recognised when seen again).", "en",
     "The previous run was interrupted at Dec. 6, 2026, 7:15 a.m. (it had read 40,000 records; what it committed "
     "is kept and recognised when seen again)."),
    ("koleksi.xml: the file is larger than the limit of 2,000,000 bytes for this format", "id",
     "koleksi.xml: berkas lebih besar dari batas 2.000.000 bita untuk format ini"),
    ("koleksi.dat: cannot tell the format from the file's beginning 'hello'; give it explicitly "
     "(marc21, marcxml, dc, mods, csv or slims)", "id",
     "koleksi.dat: format tidak dapat dikenali dari awal berkas 'hello'; pilih formatnya di daftar format"),
])
def test_quarantine_reasons_are_shown_in_the_pages_language(stored, lang, shown):
    with translation.override(lang):
        assert reason_display(stored) == shown


def test_the_batch_note_is_written_when_shown_not_stored(journey):
    batch = ImportBatch.objects.get(library__code="UNPATTI", name="koleksi.mrc")
    assert "cantuman" not in batch.message and "record" not in batch.message
    assert Edition.objects.filter(records__source_id="L-1").exists()


def test_one_date_style_a_language_in_every_template():
    """Dates are written with the language's DATE_FORMAT or DATETIME_FORMAT (a month list with its
    YEAR_MONTH style "F Y", a form's value as Y-m-d): no template spells a style of its own."""
    from pathlib import Path

    import jaringan

    allowed = {"DATE_FORMAT", "DATETIME_FORMAT", "F Y", "Y-m-d"}
    used = {}
    for template in Path(jaringan.__file__).parent.rglob("templates/**/*.html"):
        for style in re.findall(r"\|date:[\"']([^\"']*)[\"']", template.read_text()):
            used.setdefault(style, []).append(template.name)
    assert set(used) <= allowed, {s: f for s, f in used.items() if s not in allowed}


@pytest.mark.parametrize(("lang", "grouped"), [("id", "40.000"), ("en", "40,000")])
def test_an_upload_report_groups_its_numbers_as_the_batch_table_does(demo_network, lang, grouped):
    from django.template.loader import render_to_string

    from jaringan.network.models import Library

    library = Library.objects.get(code="UNPATTI")
    report = ImportBatch.objects.create(library=library, status="done", read=40_000, created=39_990, quarantined=10)
    with translation.override(lang):
        html = render_to_string("catalog/intake.html", {"library": library, "report": report, "form": None})
    section = html.split('id="report"', 1)[1].split("</section>", 1)[0]
    assert grouped in section and "40000" not in section and "39990" not in section


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_file_of_no_known_format_is_refused_in_the_pages_language_without_codes(demo_network, user, lang):
    desk = Client()
    desk.force_login(user("staf.unpatti"))
    response = desk.post("/manage/libraries/UNPATTI/records/",
                         {"file": SimpleUploadedFile("catatan.txt", b"hello this is not a catalogue"), "format": ""},
                         HTTP_ACCEPT_LANGUAGE=lang)
    text = visible(response)
    batch = ImportBatch.objects.get(library__code="UNPATTI", name="catatan.txt")
    assert batch.status == "failed" and "marc21" in batch.message  # stored as the reader wrote it
    assert "marc21, marcxml" not in text and "slims)" not in text  # (the OAI form lists its prefixes: protocol)
    expected = {"id": "format tidak dapat dikenali dari awal berkas", "en": "cannot tell the format from the file's"}
    assert text.count(expected[lang]) == 2  # the form's error and the failed batch in the table

"""CSV files that are broken or hostile: a row that cannot be read is set aside naming its lines and column, the
rest of the file is read, and memory stays bounded however large the file."""

import io
import os
import resource
import subprocess
import sys
import textwrap

import pytest

from jaringan.core.catalog.readers import BadHeader, FileTooLarge, read
from jaringan.core.catalog.readers.csvrows import FIELD_LIMIT, MAX_LINE_CHARS

HEADER = "id,title,subjects,call_number\n"


def _items(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return list(read(io.BytesIO(data), format="csv"))


def test_a_field_over_the_limit_sets_its_row_aside_and_the_rest_is_read():
    long = "x" * 200_000
    items = _items(HEADER + "B1,Laskar pelangi,Novel,899 HIR l\n"
                   f"B2,Bumi manusia,{long},899 TOE b\n"
                   "B3,Pengantar ilmu perpustakaan,Perpustakaan,020 SUL p\n"
                   "B1,,,899 HIR l c.2\n")
    assert [(i.source_id, i.ok) for i in items] == [("B1", True), (None, False), ("B3", True)]
    assert len(items[0].record.holdings) == 2  # its second row, after the refused one, still joined it
    refused = items[1]
    assert refused.error.startswith(f"line 3: the column 'subjects' holds about 200,000 characters, more than "
                                    f"the {FIELD_LIMIT:,} a field may have")
    assert refused.raw.startswith(HEADER.replace("\n", "\r\n").encode()) and len(refused.raw) > 200_000


def test_an_unclosed_quote_runs_on_until_the_limit_and_the_rows_after_it_are_read():
    rows = "".join(f"B{n},Judul nomor {n} {'kata ' * 15},Subjek,{n} ABC\n" for n in range(3, 4003))
    items = _items(HEADER + 'B1,Laskar pelangi,Novel,899 HIR l\nB2,"Bumi manusia tanpa tutup,Novel,899\n' + rows)
    refused = [i for i in items if i.error]
    assert len(refused) == 1 and refused[0].error.startswith("lines 3–")
    assert "the column 'title' holds about" in refused[0].error
    last_swallowed = int(refused[0].error.split("–")[1].split(":")[0].replace(",", ""))
    read_after = [i.source_id for i in items if i.ok]
    assert read_after[0] == "B1" and read_after[-1] == "B4002"
    assert len(read_after) == 1 + 4003 - last_swallowed  # every row after the run-on one (the last is line 4,003)


def test_a_line_longer_than_the_limit_is_skipped_to_its_end():
    junk = b"\x1d" * (MAX_LINE_CHARS + 1000)
    items = _items(HEADER.encode() + b"B1,Laskar pelangi,Novel,899\n" + junk + b"\nB3,Bumi manusia,Novel,899\n")
    assert [(i.source_id, i.ok) for i in items] == [("B1", True), (None, False), ("B3", True)]
    assert items[1].error.startswith(f"line 3: a line is longer than {MAX_LINE_CHARS:,} characters")


def test_a_binary_file_sent_as_csv_is_refused_by_its_header_in_a_short_message():
    with pytest.raises(BadHeader) as refused:
        _items(b"\x1d" * 3_000_000)
    assert len(str(refused.value)) < 400 and "a first line that cannot be read as CSV" in str(refused.value)


def test_each_line_is_decoded_on_its_own():
    """A file of UTF-8 with one line from Excel (Windows-1252): both read right."""
    items = _items(HEADER.encode() + "B1,Café dan budaya,Kopi,641\n".encode() + "B2,Café di Bandung,Kopi,641\n".encode("cp1252"))
    assert [i.record.title for i in items] == ["Café dan budaya", "Café di Bandung"]


def test_a_file_over_the_size_limit_is_refused_before_any_row(monkeypatch):
    from jaringan.core.catalog.readers import csvfile

    monkeypatch.setattr(csvfile, "MAX_CSV_BYTES", 1000)
    with pytest.raises(FileTooLarge):
        _items(HEADER + "B1,Laskar pelangi,Novel,899\n" * 100)


def test_memory_stays_bounded_on_a_large_file(tmp_path):
    """An 11 MB file (the rows of one record far apart) is read in well under the memory the old whole-file
    reading took (108 MiB more for this file): the rows wait on disk."""
    path = tmp_path / "besar.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("id,title,authors,subjects,call_number,location\n")
        for n in range(40_000):
            out.write(f"B{n},Judul buku nomor {n} tentang sejarah perpustakaan,\"Penulis, Nama\",{'Sejarah; ' * 20},"
                      f"{n % 900} PEN j,Ruang {n % 5}\n")
            if n % 4 == 0:
                out.write(f"B{max(0, n - 5000)},,,,{n % 900} PEN j c.2,Gudang\n")
    assert os.path.getsize(path) > 11_000_000
    script = textwrap.dedent(f"""
        import resource
        from jaringan.core.catalog.readers import read
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        items = sum(1 for item in read({str(path)!r}, format="csv") if item.ok)
        print(items, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    items, grown_mib = map(int, done.stdout.split())
    assert items == 40_000
    assert grown_mib < 40, f"reading grew the process by {grown_mib} MiB"
    assert resource  # the parent's own figure is not the one measured

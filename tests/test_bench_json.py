"""`bench/ingest.py` and `bench/match_quality.py` with `--json`: the human lines, then one JSON object of the
same figures on the last line, so that a script can compare two runs.

Small runs: 200 LoC records held by four libraries (on SQLite in a folder of the bench's own, whatever
database the suite runs on: the bench drops and remakes its PostgreSQL database), and the match-quality
sets over a 300-record slice of the LoC file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

from tests.support.processes import REPO


def _run(*args: str) -> tuple[list[str], dict]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.rstrip("\n").splitlines()
    return lines[:-1], json.loads(lines[-1])


def test_ingest_json_gives_the_rates_memory_and_pymarc_ratio():
    lines, figures = _run("bench/ingest.py", "--records", "200", "--json")
    files = figures["files"]
    assert len(files) == 4 and figures["database"] == "sqlite3"
    assert figures["records"] == sum(f["read"] for f in files) >= 200
    assert figures["editions"] == 200  # unvaried copies of 200 records: one edition each
    assert all(f["records_per_second"] > 0 and f["quarantined"] == 0 for f in files)
    assert all(f["importing_cpu_ms_per_record"] > 0 for f in files)
    # Each file's peak so far: never falling, the last one the run's peak (the drain at the end aside).
    peaks = [f["importing_peak_mib"] for f in files]
    assert 0 < peaks[0] and peaks == sorted(peaks) and peaks[-1] <= figures["peak_memory_mib"]["importing"]
    assert figures["peak_memory_mib"]["importing"] > 0 and figures["peak_memory_mib"]["largest_worker"] > 0
    rate, pymarc = figures["records_per_second"], figures["pymarc_records_per_second"]
    assert abs(figures["ratio_to_pymarc"] - rate / pymarc) < 1e-3
    # The same figures as the lines above it (printed as whole numbers, kept to a tenth in the JSON).
    overall = next(line for line in lines if line.startswith("end-to-end ingest"))
    printed = re.search(rf"ingest +([\d,]+) records/s \({figures['records']:,} in", overall)
    assert printed and abs(int(printed[1].replace(",", "")) - rate) <= 0.6, (overall, rate)
    for f in files:
        line = next(line for line in lines if line.strip().startswith(f["library"] + " "))
        printed = re.search(r"([\d,]+)/s this file", line)
        assert printed and abs(int(printed[1].replace(",", "")) - f["records_per_second"]) <= 0.6, (line, f)


def test_ingest_files_imports_only_the_first_files_of_the_input():
    lines, figures = _run("bench/ingest.py", "--records", "200", "--files", "2", "--json")
    assert [f["library"] for f in figures["files"]] == [line.split()[0] for line in lines
                                                        if re.search(r"/s this file", line)]
    assert len(figures["files"]) == 2 and figures["records"] == sum(f["read"] for f in figures["files"])


def test_match_quality_json_gives_precision_recall_f1_per_set_and_counts_per_kind():
    lines, figures = _run("bench/match_quality.py", "--loc-slice", "300", "--json")
    assert figures["loc_slice"] == 300
    for name in ("books", "cluster", "articles"):
        assert 0 < figures[name]["precision"] <= 1 and 0 < figures[name]["recall"] <= 1, name
    for name, label in (("books", "precision"), ("articles", "articles: precision")):
        result = figures[name]
        assert result["tp"] + result["fn"] == result["positive_pairs"]
        assert result["fp"] + result["tn"] == result["negative_pairs"]
        assert sum(k["pairs"] for k in result["negative_kinds"].values()) == result["negative_pairs"]
        assert sum(k["fp"] for k in result["negative_kinds"].values()) == result["fp"]
        assert all(0 <= v["recall"] <= 1 and v["pairs"] > 0 for v in result["variations"].values())
        printed = (f"{label} {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}")
        assert any(line.startswith(printed) for line in lines), (printed, name)
    assert {"title_typo", "identifiers_stripped"} <= set(figures["books"]["variations"])
    assert {"venue_acronym", "doi_dropped"} <= set(figures["articles"]["variations"])
    cluster = figures["cluster"]
    assert any(f"pairwise precision {cluster['precision']:.4f} recall {cluster['recall']:.4f} "
               f"F1 {cluster['f1']:.4f}" in line for line in lines)


def test_late_file_and_key_rows_read_the_catalogue_ingest_left():
    lines, _figures = _run("bench/ingest.py", "--records", "200", "--files", "3", "--json")
    home = next(line for line in lines if line.startswith("catalogue kept in")).split(None, 3)[3].split(" (")[0]
    try:
        lines, figures = _run("bench/late_file.py", "--home", home, "--file", "4", "--records", "60",
                              "--chunks", "25,60", "--runs", "1", "--json")
        assert [run["chunk"] for run in figures["runs"]] == [25, 60] and len(lines) == 2
        for run in figures["runs"]:
            assert run["read"] == 60 and run["library"] == figures["runs"][0]["library"]
            assert run["records_per_second"] > 0 and run["importing_cpu_ms_per_record"] > 0
            assert run["kb_written_per_record"] > 0 and run["peak_mib"] > 0
        lines, figures = _run("bench/key_rows.py", "--home", home, "--sample", "20", "--json")
        libraries = figures["libraries"]
        assert len(libraries) == 3 and libraries[0]["joined"] == 0  # the first library joins nothing
        assert figures["key_rows"] > figures["edition_key_pairs"] > 0
        assert figures["edition_keys_kept"] == figures["edition_key_pairs"]  # kept exactly by the database
        later = [library for library in libraries[1:] if library["joined"]]
        assert later and all(library["sampled"] == min(20, library["joined"]) for library in later)
        assert all(0 < library["held_already"] <= library["key_rows_sampled"] for library in later)
        assert len(lines) == 6 and lines[0].startswith("key rows") and lines[1].startswith("editions' keys")
    finally:
        shutil.rmtree(home, ignore_errors=True)

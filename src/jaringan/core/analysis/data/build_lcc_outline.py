"""Make ``lcc_outline.json`` (LCC classes and subclasses with their captions) from the Library of
Congress Classification Outline as YAML, one file per class (``lcco_a.yml`` …, see SOURCES.md).

    python src/jaringan/core/analysis/data/build_lcc_outline.py FOLDER_WITH_LCCO_YAML

Not used at run time; kept so that the data can be made again from its source.
"""

import json
import sys
from pathlib import Path

import yaml


def main(folder: str) -> None:
    rows = []
    for path in sorted(Path(folder).glob("lcco_*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows.append({"class": data["class"], "caption": " ".join(data["name"].split()).capitalize()})
        for section in data.get("sections") or []:
            if section.get("subclass") and section["subclass"] != data["class"]:
                rows.append({"class": section["subclass"], "caption": " ".join(section["name"].split())})
    out = Path(__file__).with_name("lcc_outline.json")
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=None).replace("}, {", "},\n{") + "\n", encoding="utf-8")
    print(f"{len(rows)} classes and subclasses -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])

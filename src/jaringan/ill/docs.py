"""The generated parts of ``docs/ill.md``, drawn from the tables themselves.

``python -m jaringan.ill.docs docs/ill.md`` rewrites every block between
``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``; a test fails when the
file and the tables disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from jaringan.core.ill import lifecycle
from jaringan.core.iso18626 import states


def _actions_table() -> str:
    rows = ["| action | who | ISO 18626 | from | note |", "|---|---|---|---|---|"]
    for row in lifecycle.ACTIONS.values():
        who = ", ".join(str(r) for r in sorted(row.roles))
        if row.event is not None:
            sent = f"`{row.event}`" + (f" ({row.reason})" if row.reason else "")
        elif row.restate:
            sent = f"current status ({row.reason})"
        else:
            sent = "—"
        where = ", ".join(sorted(str(s) for s in row.sources)) or "where the ISO 18626 table allows"
        rows.append(f"| `{row.name}` | {who} | {sent} | {where} | {row.note} |")
    return "\n".join(rows)


def sections() -> dict[str, str]:
    return {
        "lifecycle": "```mermaid\n" + lifecycle.mermaid() + "```",
        "iso18626": "```mermaid\n" + states.mermaid() + "```",
        "actions": _actions_table(),
    }


_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z0-9]+) -->\n)(?:.*?\n)?(<!-- end: (?P=name) -->)", re.S)


def render(text: str) -> str:
    """``text`` with every generated block replaced by its current content."""
    found = sections()
    return _BLOCK.sub(lambda m: m.group(1) + found[m.group("name")] + "\n" + m.group(3), text)


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docs/ill.md")
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""docs/ill.md keeps the diagrams and the table drawn from the lifecycle tables, and names every action."""

from pathlib import Path

from jaringan.core.ill import lifecycle
from jaringan.ill import docs

DOC = Path(__file__).resolve().parents[2] / "docs" / "ill.md"


def test_the_generated_blocks_match_the_tables():
    text = DOC.read_text(encoding="utf-8")
    assert docs.render(text) == text, "run: python -m jaringan.ill.docs docs/ill.md"
    for name in docs.sections():
        assert f"<!-- generated: {name} -->" in text


def test_every_action_and_state_is_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    for action in lifecycle.ACTIONS:
        assert f"`{action}`" in text
    for state in lifecycle.all_states():
        assert state in text

"""`make bench` rewrites the tables it measures in docs/benchmarks.md and keeps every note."""

from __future__ import annotations

from pathlib import Path

from bench.loadtest import HEADING
from bench.run import splice_blocks

DOCS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def test_new_tables_replace_the_old_and_the_notes_between_them_stay() -> None:
    old = DOCS.read_text(encoding="utf-8")
    blocks = {
        "main": "# Benchmarks\n\n| new main table |",
        "classic": "## Classic designs\n\n| new classic table |",
        "cafe": "## World Café shapes\n\n| new café table |",
        "web": "## Web app\n\n| new web table |",
    }
    new = splice_blocks(old, blocks, HEADING)
    for body in blocks.values():
        assert new.count(body) == 1
    # the tables measured before are gone, the notes written by hand are not
    assert "| 9 / 3 x 3 / 4 |" not in new and "| Lima plan generated from the UI" not in new
    for note in (
        "### Near a design",
        "### The needs phase",
        "### Re-plans",
        "- 12 / 4 x 3 / 5: exactly 3.",
        HEADING,
    ):
        assert new.count(note) == old.count(note) == 1, note
    order = [new.index(x) for x in ("new main", "new classic", "new café", "### Near", "new web")]
    assert order == sorted(order)
    assert splice_blocks(new, blocks, HEADING) == new  # a second run changes nothing more


def test_a_first_run_writes_every_table_and_a_new_one_goes_before_the_load_section() -> None:
    fresh = splice_blocks(
        "", {"main": "# Benchmarks\n\n| a |", "web": "## Web app\n\n| b |"}, HEADING
    )
    assert fresh.index("| a |") < fresh.index("| b |")
    loaded = fresh + "\n" + HEADING + "\n\n| load |\n"
    grown = splice_blocks(loaded, {"classic": "## Classic designs\n\n| c |"}, HEADING)
    assert grown.index("| b |") < grown.index("| c |") < grown.index(HEADING)
    assert grown.endswith("| load |\n")

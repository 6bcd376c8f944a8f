"""The scheduler's messages are plain English unless an application installs a translator."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scheduler import messages
from scheduler.problem import Infeasible, build_problem
from tests.factories import make_instance

TOO_FEW_SEATS = dict(people=10, tables=1, capacity=4, rounds=2)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default hook, whatever an earlier test imported (the app installs its own)."""
    monkeypatch.setattr(messages, "_translator", messages._translator)
    messages.set_translator()


@pytest.mark.usefixtures("english")
def test_default_hook_is_english() -> None:
    assert messages._("round {round}") == "round {round}"
    assert messages.ngettext("{count} seat", "{count} seats", 1) == "{count} seat"
    assert messages.ngettext("{count} seat", "{count} seats", 0) == "{count} seats"
    assert messages.ngettext("{count} seat", "{count} seats", 2) == "{count} seats"
    with pytest.raises(Infeasible) as err:
        build_problem(make_instance(**TOO_FEW_SEATS))
    assert str(err.value) == (
        "round 1 has 10 participants but only 4 seats; add tables or capacity, "
        "or mark people absent"
    )


@pytest.mark.usefixtures("english")
def test_an_installed_translator_is_used_for_every_message() -> None:
    seen: list[tuple[str, ...]] = []

    def gettext(message: str) -> str:
        seen.append((message,))
        return message.upper()

    def ngettext(singular: str, plural: str, n: int) -> str:
        seen.append((singular, plural))
        return (singular if n == 1 else plural).replace("} seats;", "} sillas;")

    messages.set_translator(gettext, ngettext)
    with pytest.raises(Infeasible, match="only 4 sillas"):
        build_problem(make_instance(**TOO_FEW_SEATS))
    assert seen and all("{" in part for entry in seen for part in entry)  # placeholders, unfilled
    assert messages._("valid plan") == "VALID PLAN"
    messages.set_translator()
    assert messages._("valid plan") == "valid plan"


def test_without_the_app_the_messages_are_english_and_nothing_of_it_is_loaded() -> None:
    code = (
        "import sys\n"
        "from scheduler.problem import Infeasible, build_problem\n"
        "from scheduler.search import solve\n"
        "from tests.factories import make_instance\n"
        "try:\n"
        f"    build_problem(make_instance(**{TOO_FEW_SEATS!r}))\n"
        "except Infeasible as exc:\n"
        "    print(exc)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('app', 'babel', 'fastapi')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.splitlines() == [
        "round 1 has 10 participants but only 4 seats; add tables or capacity, "
        "or mark people absent",
        "[]",
    ]

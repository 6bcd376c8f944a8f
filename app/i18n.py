"""Translation of user-facing strings.

Every message a user reads goes through `_` from the start, so adding a language later means
adding a catalogue under `app/locale/`, not editing every module. Translate the template, then
format it: `_("table {name} is full").format(name=...)`.
"""

from __future__ import annotations

import gettext
from pathlib import Path

_catalogue = gettext.translation("ronda", localedir=Path(__file__).parent / "locale", fallback=True)


def _(message: str) -> str:
    return _catalogue.gettext(message)

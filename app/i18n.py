"""Translation of user-facing strings, in English (the source), Spanish and Portuguese (Brazil).

Every message a user reads goes through `_` (Python) or `{{ _() }}` / `{% trans %}` (templates).
Catalogues are the `.po` files under `app/locale/<lang>/LC_MESSAGES/ronda.po`, read at start-up
with Babel, so there is no compile step to forget. The language of the current request lives in
a context variable that the web middleware sets; the CLI speaks English.

The scheduler writes its own messages (infeasible instances, broken rules, impossible bounds)
through `scheduler.messages`; importing this module installs `_` and `ngettext` there, so those
messages come out in the language of the request too, from the same catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from scheduler import messages as scheduler_messages

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "es": "Español", "pt": "Português"}
DEFAULT = "en"

_current: ContextVar[str] = ContextVar("ronda_language", default=DEFAULT)


@cache
def catalogue(language: str) -> dict[str, str | tuple[str, ...]]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "ronda.po"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        po = read_po(f, locale=language)
    out: dict[str, str | tuple[str, ...]] = {}
    for message in po:
        if not message.id or not message.string or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else str(message.id[0])
        out[key] = message.string if isinstance(message.string, str) else tuple(message.string)
    return out


def language() -> str:
    return _current.get()


@contextmanager
def use_language(code: str) -> Iterator[None]:
    token = _current.set(code if code in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    found = catalogue(language()).get(message)
    return found if isinstance(found, str) and found else message


def ngettext(singular: str, plural: str, n: int) -> str:
    found = catalogue(language()).get(singular)
    if isinstance(found, tuple) and len(found) >= 2:
        return found[0] if n == 1 else found[1]
    return singular if n == 1 else plural


def join_and(items: Sequence[str]) -> str:
    """The items as "a", "a and b" or "a, b and c", in the current language."""
    if len(items) < 2:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def negotiate(accept_language: str | None) -> str:
    """The first supported language of an Accept-Language header."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT


scheduler_messages.set_translator(_, ngettext)

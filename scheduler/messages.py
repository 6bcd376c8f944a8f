"""The translation hook for the messages the scheduler gives its users.

The scheduler writes its messages in English through `_` and `ngettext`, with named
placeholders filled in afterwards (`_("round {round} ...").format(round=...)`), so that an
application can show them in its own language: it installs its translation functions once with
`set_translator`. Without one, the messages stay English. The library itself knows nothing of
catalogues or languages.
"""

from __future__ import annotations

from collections.abc import Callable

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


# One tuple, replaced whole, so a reader in another thread never sees half of an installation.
_translator: tuple[Gettext, Ngettext] = (_english, _english_plural)


def set_translator(gettext: Gettext | None = None, ngettext: Ngettext | None = None) -> None:
    """Translate the scheduler's messages with these functions; None restores English."""
    global _translator
    _translator = (gettext or _english, ngettext or _english_plural)


def _(message: str) -> str:
    return _translator[0](message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translator[1](singular, plural, n)

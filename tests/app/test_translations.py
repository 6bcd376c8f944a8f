"""Every user-facing message has a Spanish and a Portuguese translation that keeps its
placeholders.

The messages are extracted again from the code and the templates, as `make messages` does
(babel.cfg, keywords `_` and `ngettext:1,2`), so a string added without running it, or left
untranslated, fails here with its text.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from functools import cache
from pathlib import Path

import httpx
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("es", "pt")


def po_path(language: str) -> Path:
    return ROOT / "app" / "locale" / language / "LC_MESSAGES" / "ronda.po"


KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "ngettext": (1, 2)}  # -k _ -k ngettext:1,2

# %(name)s with its conversion, or %% for a literal percent sign; a lone % is caught too.
PERCENT = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%|%")


@cache
def extracted() -> dict[str, str | tuple[str, ...]]:
    """msgid (the singular for plurals) -> the message as the code has it, where it was."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    found: dict[str, str | tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        if key:
            found[key] = message
    return found


@cache
def catalogue(language: str) -> Catalog:
    with po_path(language).open("rb") as f:
        return read_po(f, locale=language)


def translations(language: str) -> list[Message]:
    return [m for m in catalogue(language) if m.id]


def placeholders(text: str) -> Counter[str]:
    """{name!r:spec} fields and %(name)s conversions, as written."""
    fields: Counter[str] = Counter(PERCENT.findall(text))
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            fields["{" + field + (f"!{conversion}" if conversion else "") + f":{spec}}}"] += 1
    return fields


def test_extraction_finds_the_messages() -> None:
    messages = extracted()
    assert "Events" in messages and "Sign out" in messages  # a template and ...
    assert "the username is empty; choose one" in messages  # ... the Python code
    assert messages["%(num)d round"] == ("%(num)d round", "%(num)d rounds")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation(language: str) -> None:
    catalog = catalogue(language)
    missing = []
    for key, message in sorted(extracted().items()):
        entry = catalog.get(message)
        if entry is None or entry.fuzzy:
            missing.append(key)
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        plural = isinstance(message, tuple)
        if not all(forms) or plural != entry.pluralizable or (plural and len(forms) < 2):
            missing.append(key)
    assert not missing, (
        f"{len(missing)} message(s) without a translation in {po_path(language)} "
        "(run `make messages`, then translate them):\n" + "\n".join(map(repr, missing))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for entry in translations(language):
        sources = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for index, form in enumerate(forms):
            if not form:
                continue
            source = sources[min(index, len(sources) - 1)]
            try:
                kept = placeholders(form) == placeholders(source)
            except ValueError as exc:  # unbalanced braces
                kept, form = False, f"{form} ({exc})"
            if not kept:
                wrong.append(f"{source!r} -> {form!r}")
    assert not wrong, "placeholders changed in translation:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_fuzzy_or_empty_entries(language: str) -> None:
    def empty(entry: Message) -> bool:
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        return not all(forms)

    bad = [m.id for m in translations(language) if m.fuzzy or empty(m)]
    assert not bad, f"fuzzy or untranslated entries: {bad}"


def test_home_page_in_spanish(organizer: httpx.Client) -> None:
    organizer.get("/language/es?next=/")
    page = organizer.get("/")
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
    assert "<h1>Eventos</h1>" in page.text and "Aún no hay eventos." in page.text
    assert "Cerrar sesión (admin)" in page.text and "Nuevo evento" in page.text
    assert "Sign out" not in page.text and "No event yet." not in page.text


def test_event_form_in_spanish(organizer: httpx.Client) -> None:
    organizer.get("/language/es?next=/")
    page = organizer.get("/events/new")
    assert page.status_code == 200
    for text in (
        "Duración de cada ronda (minutos)",
        "Tiempo entre rondas (minutos)",
        "Rotativo: los facilitadores llevan su tema de mesa en mesa",
        "(obligatorio)",
        "Crear evento",
    ):
        assert text in page.text, text
    assert "Round length" not in page.text and "Create event" not in page.text

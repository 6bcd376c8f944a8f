"""Templates and static files: the one place that resolves their paths.

A route renders with `render(request, "page.html", {...}, partial="_part.html")`: an htmx request
(header HX-Request) gets the partial, a normal request the full page, so one route serves both.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import i18n
from .models import aware

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"

environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html", "xml"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=i18n._, ngettext=i18n.ngettext, newstyle=True
)


def template_gettext(message: str, **variables: object) -> Markup:
    """`_()` in templates: what jinja2's newstyle gettext does when autoescaping (every
    template here does), the message translated and its `%(name)s` filled with escaped values,
    in one call where jinja2's takes three, and kept once made when it has no values (a fifth
    of an attendee page's time went there)."""
    if variables:
        return Markup(i18n._(message)) % variables
    return _plain(i18n.language(), message)


@lru_cache(maxsize=4096)
def _plain(language: str, message: str) -> Markup:
    """A template's message with no values, in `language` (the current one when called)."""
    return Markup(i18n._(message)) % {}


HIDDEN, SHOWN = Markup(" hidden"), Markup("")


def _hide(visible: object) -> Markup:
    """` hidden` for an element that is not `visible` (live pages render every state's blocks,
    their script shows the current one): a function, since a macro costs several times more
    and an attendee page calls it twenty times."""
    return SHOWN if visible else HIDDEN


ICONS = Path(__file__).resolve().parent.parent / "static" / "vendor" / "lucide-1.62.0"


@lru_cache(maxsize=64)
def _icon(name: str) -> Markup:
    """An icon of the vendored Lucide set, inline (it takes the text's colour and size), hidden
    from screen readers: the words beside it say what it means."""
    svg = (ICONS / f"{name}.svg").read_text(encoding="utf-8")
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s*class="[^"]*"', "", svg, count=1)
    svg = re.sub(
        r'width="24"\s+height="24"', 'class="icon" aria-hidden="true" focusable="false"', svg
    )
    return Markup(" ".join(svg.split()))


environment.globals["_"] = template_gettext
environment.globals["icon"] = _icon
environment.globals["hide"] = _hide
environment.globals["LANGUAGES"] = i18n.LANGUAGES
templates = Jinja2Templates(env=environment)


def label(code: str) -> str:
    """The reader's words for a code stored in English (plan status, subject mode, ...)."""
    words = {
        "optimal": i18n._("optimal"),
        "feasible": i18n._("feasible"),
        "invalid": i18n._("invalid"),
        "rotating": i18n._("rotating"),
        "fixed": i18n._("fixed"),
        "none": i18n._("none"),
        "keep_apart": i18n._("keep apart"),
        "keep_together": i18n._("keep together"),
        "participants": i18n._("participants"),
        "subjects": i18n._("subjects"),
        "tables": i18n._("tables"),
        "needs_offers": i18n._("needs and offers"),
    }
    return words.get(code, code)


environment.filters["label"] = label


def local(moment: dt.datetime, zone: str | None) -> str:
    """A stored time as the event's clock shows it (its time zone named in the heading)."""
    return aware(moment).astimezone(ZoneInfo(zone or "UTC")).strftime("%Y-%m-%d %H:%M:%S")


environment.filters["local"] = local


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    name = partial if partial and is_htmx(request) else template
    data = {"language": i18n.language(), **(context or {})}
    return templates.TemplateResponse(request, name, data, status_code=status_code)

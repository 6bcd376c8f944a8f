"""What goes on paper: a card per table per round, an itinerary per participant, badges.

Round times count from the session's start (a clock time when the organizer gives one): round
k starts (k - 1) x (round minutes + transition minutes) after it. A badge's QR code (segno,
inline SVG) links to the participant's attendee page.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import segno
from markupsafe import escape
from sqlmodel import Session

from ..i18n import _
from ..models import Event, Facilitator
from . import exporting
from .errors import NotFound
from .plan_views import Cell, PlanView

BADGES_PER_SHEET = 8  # 2 x 4 badges of 90 x 60 mm fit A4 and Letter alike


@dataclass(frozen=True)
class RoundTime:
    round: int
    start: str
    end: str


def round_times(event: Event, *, start: dt.time | None = None) -> dict[int, RoundTime]:
    """Each round's start and end: clock times from `start` (by default the event's start
    time, in its time zone), else offsets like 0:40."""
    start = start or event.start_time
    step = event.round_minutes + event.transition_minutes

    def show(minutes: int) -> str:
        if start is None:
            return f"{minutes // 60}:{minutes % 60:02d}"
        moment = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)
        return moment.strftime("%H:%M")

    return {
        r: RoundTime(r, show((r - 1) * step), show((r - 1) * step + event.round_minutes))
        for r in range(1, event.rounds + 1)
    }


def table_cards(view: PlanView) -> list[Cell]:
    """One card per table in use per round, round by round."""
    return [view.cells[(r, t)] for r in view.rounds for t in view.tables if (r, t) in view.cells]


def attendee_url(public_url: str, token: str) -> str:
    """A badge's secret link (see `app.routes.attend`)."""
    return f"{public_url.rstrip('/')}/a/{token}"


def qr_svg(url: str, *, label: str) -> str:
    """An inline SVG QR code (no XML declaration) that a screen reader announces by `label`."""
    code = segno.make(url, error="m")
    svg: str = code.svg_inline(
        scale=3, omitsize=True, title=label, svgclass="qr", lineclass="qr-line"
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


@dataclass(frozen=True)
class Badge:
    code: str
    name: str
    organization: str
    url: str
    qr: str  # inline SVG


def badges(view: PlanView, *, public_url: str, tokens: dict[str, str]) -> list[Badge]:
    """A badge for each participant the plan seats at least once and the event still has;
    `tokens` maps codes to the participants' secrets."""
    out = []
    for person in view.instance.participants:
        if person.id not in tokens or not any(view.seat(r, person.id) for r in view.rounds):
            continue
        url = attendee_url(public_url, tokens[person.id])
        label = _("QR code: the attendee page of {name}").format(name=person.name or person.id)
        out.append(
            Badge(
                code=person.id,
                name=person.name or person.id,
                organization=person.organization or "",
                url=url,
                qr=qr_svg(url, label=label),
            )
        )
    return out


def facilitator_cards(hosts: list[tuple[Facilitator, str]], *, public_url: str) -> list[Badge]:
    """A card for each facilitator (with their subject): the QR code opens their tablet page."""
    out = []
    for host, subject in hosts:
        url = f"{public_url.rstrip('/')}/f/{host.token}"
        label = _("QR code: the facilitator page of {name}").format(name=host.name)
        out.append(
            Badge(
                code="", name=host.name, organization=subject, url=url, qr=qr_svg(url, label=label)
            )
        )
    return out


def sheets(items: list[Badge], size: int = BADGES_PER_SHEET) -> list[list[Badge]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def file_stem(event: Event) -> str:
    """A file name from the event's name: ASCII letters, digits and dashes."""
    ascii_name = unicodedata.normalize("NFKD", event.name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower() or f"event-{event.id}"


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "instance": "application/json",
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


def export_file(session: Session, *, event: Event, fmt: str) -> ExportFile:
    """The current plan as CSV, XLSX or interchange JSON, or the event as an instance JSON."""
    stem = file_stem(event)
    if fmt == "csv":
        # With a byte-order mark: Excel on Windows reads the accents right.
        content = exporting.plan_csv(session, event=event).encode("utf-8-sig")
        name = f"{stem}-plan.csv"
    elif fmt == "xlsx":
        content, name = exporting.plan_xlsx(session, event=event), f"{stem}-plan.xlsx"
    elif fmt == "json":
        content, name = exporting.plan_json(session, event=event).encode(), f"{stem}-plan.json"
    elif fmt == "instance":
        content = exporting.instance_json(session, event=event).encode()
        name = f"{stem}-instance.json"
    else:
        raise NotFound(
            _("unknown export format {fmt!r}; use csv, xlsx, json or instance").format(fmt=fmt)
        )
    return ExportFile(content=content, media_type=EXPORT_TYPES[fmt], filename=name)

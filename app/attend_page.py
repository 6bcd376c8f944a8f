"""The attendee's page in two steps: its shape, then the live state filled in.

Most of an attendee's page (their tables, who sits with them, needs and offers, the labels in
their language) changes only with a new plan; what the live state decides is a few dozen bytes:
which blocks are hidden, the round, the clock times, the state for the page's script. The
template asks `PageMarks` for those and gets marks (`<@key@>`) instead; the page is rendered
once into a `Shape` (its text cut at the marks) and each request fills the marks in from the
state it has, which costs microseconds where rendering the template cost a millisecond. A mark
never meets text of a participant's: the template escapes their `<`.

Shapes are kept with the attendees' snapshot of the event (`attendee_cache.Snapshot.pages`), so
that a new plan or any change to the event drops them with the snapshot.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from .models import LiveSession
from .services import attendance, live
from .web import template_gettext

MARK = re.compile(r"<@([^@<>]*)@>")
HIDDEN = " hidden"
Shape = tuple[str, ...]  # text, key, text, key, ..., text
SHAPES_KEPT = 6000  # per event and process: about 40 MB at 6 KB a page


def _mark(key: str) -> Markup:
    return Markup(f"<@{key}@>")


class PageMarks:
    """What the attendee's template asks of the live state; each answer is a mark."""

    state = _mark("state")  # the state as JSON, for the page's script
    server_time = _mark("time")
    status = _mark("status")  # before, running, paused, change or after
    round = _mark("round")

    @staticmethod
    def when(*statuses: str) -> Markup:
        """` hidden` unless the page's status is one of these."""
        return _mark("when:" + " ".join(statuses))

    @staticmethod
    def now(round: int) -> Markup:
        """` hidden` unless this is the round being held (or changed to)."""
        return _mark(f"now:{round}")

    @staticmethod
    def next(round: int) -> Markup:
        """` hidden` unless this round comes next."""
        return _mark(f"next:{round}")

    @staticmethod
    def item(round: int) -> Markup:
        """The itinerary line's class: current, past or none."""
        return _mark(f"item:{round}")

    @staticmethod
    def at(round: int) -> Markup:
        """` · 10:35`, the round's start when the clock knows it, else nothing."""
        return _mark(f"at:{round}")

    @staticmethod
    def span(round: int) -> Markup:
        """`10:35–11:10` when the clock knows the round's times, else `Round 2`."""
        return _mark(f"span:{round}")


def shape_of(html: str) -> Shape:
    return tuple(MARK.split(html))


def status_of(state: LiveSession) -> str:
    if state.status == "not_started":
        return "before"
    if state.status == "finished":
        return "after"
    if state.status == "paused":
        return "paused"
    return "change" if state.phase == "change" else "running"


def _state_json(view: attendance.AttendeeView) -> str:
    """As the template's `tojson|forceescape` would write it in an attribute."""
    value = live.as_json(view.state, rounds=view.event.rounds)
    return str(escape(str(htmlsafe_json_dumps(value, dumps=json.dumps, sort_keys=True))))


def values_of(view: attendance.AttendeeView, server_time: str) -> Callable[[str], str]:
    """What each mark says for this view's live state, in the current language."""
    state = view.state
    status = status_of(state)
    current = state.round or 0
    upcoming = 1 if status == "before" else current if status == "change" else current + 1
    stops = {stop.round: stop for stop in view.stops}

    def value(key: str) -> str:
        kind, _sep, arg = key.partition(":")
        if kind == "when":
            return "" if status in arg.split() else HIDDEN
        if kind == "now":
            held = int(arg) == current and status in ("running", "paused", "change")
            return "" if held else HIDDEN
        if kind == "next":
            return "" if int(arg) == upcoming and status != "after" else HIDDEN
        if kind == "item":
            r = int(arg)
            if r == current and status not in ("before", "after"):
                return "current"
            return "past" if r < current or status == "after" else ""
        if kind == "at":
            stop = stops.get(int(arg))
            return f" · {escape(stop.start)}" if stop and stop.start else ""
        if kind == "span":
            stop = stops.get(int(arg))
            if stop and stop.start:
                return f"{escape(stop.start)}–{escape(stop.end)}"
            return str(template_gettext("Round %(round)s", round=int(arg)))
        if kind == "state":
            return _state_json(view)
        if kind == "time":
            return str(escape(server_time))
        if kind == "status":
            return status
        if kind == "round":
            return str(state.round or "")
        raise KeyError(key)

    return value


def fill(shape: Shape, value: Callable[[str], str]) -> str:
    """The page: the shape with each mark replaced by its value."""
    out = list(shape)
    for i in range(1, len(out), 2):
        out[i] = value(out[i])
    return "".join(out)

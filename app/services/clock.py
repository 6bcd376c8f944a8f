"""Clock times of the rounds, in the event's own time zone.

Before the session, round k starts (k - 1) x (round + change minutes) after the event's start
time. Once it runs, the rounds still to come are projected from the end of the current phase as
the live state has it, so an extended or late round moves every later time with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..models import Event, LiveSession
from .live import aware


@dataclass(frozen=True)
class RoundTime:
    round: int
    start: dt.datetime
    end: dt.datetime


def zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.time_zone or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def event_start(event: Event) -> dt.datetime | None:
    """When round 1 is due (None without a start time); on the event's date, else today."""
    if event.start_time is None:
        return None
    day = event.date or dt.datetime.now(zone(event)).date()
    return dt.datetime.combine(day, event.start_time, tzinfo=zone(event))


def planned(event: Event) -> dict[int, RoundTime]:
    start = event_start(event)
    if start is None:
        return {}
    step = dt.timedelta(minutes=event.round_minutes + event.transition_minutes)
    length = dt.timedelta(minutes=event.round_minutes)
    return {
        r: RoundTime(r, start + (r - 1) * step, start + (r - 1) * step + length)
        for r in range(1, event.rounds + 1)
    }


def projected(
    event: Event, state: LiveSession, now: dt.datetime | None = None
) -> dict[int, RoundTime]:
    """Planned times, with the current round and the later ones moved to the live clock."""
    times = planned(event)
    if state.status not in ("running", "paused") or not state.round:
        return times
    now = now or dt.datetime.now(dt.UTC)
    ends = aware(state.phase_ends_at)
    if ends is None:  # paused: what is left, counted from now
        ends = now + dt.timedelta(seconds=state.remaining_seconds or 0)
    length = dt.timedelta(minutes=event.round_minutes)
    change = dt.timedelta(minutes=event.transition_minutes)
    current = state.round
    # In a conversation, as if the round had had its full length up to its end.
    start = ends if state.phase == "change" else ends - length
    tz = zone(event)
    out = dict(times)
    for r in range(current, event.rounds + 1):
        begin = start + (r - current) * (length + change)
        if r == current and state.phase == "conversation":
            out[r] = RoundTime(r, begin.astimezone(tz), ends.astimezone(tz))
        else:
            out[r] = RoundTime(r, begin.astimezone(tz), (begin + length).astimezone(tz))
    return out


def hm(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""

"""The audit log in an organizer's words: "moved to the next round" for
`POST /api/events/7/session/next`. The log keeps the request as it was; this reads it when the
history is shown, in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Callable

from .i18n import _

Words = Callable[[re.Match[str]], str]

# (methods, the path after /events/{id} with /api left out, words): the first match speaks.
_RULES: list[tuple[str, str, Words]] = [
    ("POST", r"^/events/new$|^/events$", lambda m: _("created the event")),
    ("PATCH", r"^$", lambda m: _("changed the event's details")),
    ("POST", r"^/edit$", lambda m: _("changed the event's details")),
    ("POST", r"^/import$", lambda m: _("imported files")),
    ("POST", r"^/participants$", lambda m: _("added a participant")),
    ("POST", r"^/participants/(\d+)/token$", lambda m: _("issued a new badge link")),
    ("POST", r"^/participants/(\d+)/attending$", lambda m: _("changed who attends")),
    ("POST", r"^/participants/(\d+)/remove$", lambda m: _("removed a participant")),
    ("DELETE", r"^/participants/(\d+)$", lambda m: _("removed a participant")),
    ("PATCH POST", r"^/participants/(\d+)$", lambda m: _("changed a participant")),
    ("POST", r"^/tables$", lambda m: _("added a table")),
    ("POST", r"^/tables/(\d+)/remove$", lambda m: _("removed a table")),
    ("DELETE", r"^/tables/(\d+)$", lambda m: _("removed a table")),
    ("PATCH POST", r"^/tables/(\d+)$", lambda m: _("changed a table")),
    ("POST", r"^/subjects$", lambda m: _("added a subject")),
    ("POST", r"^/subjects/(\d+)/remove$", lambda m: _("removed a subject")),
    ("DELETE", r"^/subjects/(\d+)$", lambda m: _("removed a subject")),
    ("PATCH POST", r"^/subjects/(\d+)$", lambda m: _("changed a subject")),
    ("POST", r"^/topics$", lambda m: _("added a topic")),
    ("POST", r"^/topics/(\d+)/remove$", lambda m: _("removed a topic")),
    ("DELETE", r"^/topics/(\d+)$", lambda m: _("removed a topic")),
    ("PATCH POST", r"^/topics/(\d+)$", lambda m: _("changed a topic")),
    ("POST", r"^/absences$", lambda m: _("marked an absence")),
    ("DELETE", r"^/absences/", lambda m: _("removed an absence")),
    ("POST", r"^/constraints(/groups)?$", lambda m: _("added a keep-apart or keep-together rule")),
    ("POST DELETE", r"^/constraints/(groups/)?\d+(/remove)?$", lambda m: _("removed a rule")),
    ("POST", r"^/(constraints/)?pins$", lambda m: _("pinned a participant to a table")),
    ("POST DELETE", r"^/(constraints/)?pins/\d+(/remove)?$", lambda m: _("removed a pin")),
    ("POST", r"^/plan/generate$", lambda m: _("started making a plan")),
    ("POST", r"^/plan/replan$", lambda m: _("started re-planning the remaining rounds")),
    ("POST", r"^/plan/job/stop$", lambda m: _("stopped the plan being made")),
    ("POST", r"^/plan/layouts/[^/]+/tradeoff$", lambda m: _("tried a table layout")),
    ("POST", r"^/plan/move$", lambda m: _("moved a participant in the plan")),
    ("POST", r"^/plan/swap$", lambda m: _("swapped two participants in the plan")),
    ("POST", r"^/plan/undo$", lambda m: _("undid the last change to the plan")),
    ("POST PUT", r"^/plan/lock(s|ed-rounds)$", lambda m: _("changed which rounds are locked")),
    (
        "POST",
        r"^/plan/versions/(\d+)/restore$",
        lambda m: _("restored plan version {number}").format(number=m.group(1)),
    ),
    ("POST", r"^/session/start$", lambda m: _("started the session")),
    ("POST", r"^/session/next$", lambda m: _("moved on to the next round")),
    ("POST", r"^/session/back$", lambda m: _("went back one round")),
    ("POST", r"^/session/pause$", lambda m: _("paused the timer")),
    ("POST", r"^/session/resume$", lambda m: _("resumed the timer")),
    ("POST", r"^/session/extend$", lambda m: _("gave the round more time")),
    ("POST", r"^/session/finish$", lambda m: _("finished the session")),
    ("POST", r"^/session/publish$", lambda m: _("published the plan")),
    ("POST", r"^/live/command$", lambda m: _("used the live console (round, timer or plan)")),
    ("POST", r"^/live/arrived$", lambda m: _("checked a participant in")),
    ("POST", r"^/live/badge$", lambda m: _("issued a new badge link")),
    ("POST", r"^/live/badge-links$", lambda m: _("made the badges' links")),
    ("POST", r"^/live/missing-absent$", lambda m: _("marked those not checked in absent")),
    ("POST", r"^/live/screen-link$", lambda m: _("made a new screen link")),
    ("POST", r"^/facilitators/\d+/token$", lambda m: _("issued a new facilitator link")),
    ("PUT POST", r"^/(harvest/)?initiatives(/[^/]+)?$", lambda m: _("recorded an initiative")),
    ("PUT DELETE POST", r"^/organizers(/[^/]+)?$", lambda m: _("changed the event's organizers")),
    ("POST", r"^/questionnaire/status$", lambda m: _("opened or closed the questionnaire")),
    ("POST", r"^/questionnaire/questions$", lambda m: _("added a question")),
    ("POST", r"^/questionnaire/questions/\d+/remove$", lambda m: _("removed a question")),
    ("POST", r"^/questionnaire/questions/\d+$", lambda m: _("changed a question")),
    ("POST", r"^/questionnaire/map$", lambda m: _("turned answers into needs and offers")),
    ("POST", r"^/plenary/topic$", lambda m: _("put a topic on the floor")),
    ("POST", r"^/plenary/agenda/\d+/[^/]+$", lambda m: _("changed the plenary's agenda")),
    ("POST", r"^/plenary/floor/\d+/give$", lambda m: _("gave the floor")),
    ("POST", r"^/plenary/floor/\d+/(up|down)$", lambda m: _("moved a speaker in the queue")),
    ("POST", r"^/plenary/floor/\d+/[^/]+$", lambda m: _("removed a speaker from the queue")),
    ("POST", r"^/plenary/end-speech$", lambda m: _("ended a speech")),
    ("POST", r"^/plenary/speaker-time$", lambda m: _("changed the time per speaker")),
]
_COMPILED = [
    (set(methods.split()), re.compile(pattern), words) for methods, pattern, words in _RULES
]
_EVENT = re.compile(r"^(?:/api)?/events/\d+")


def describe(action: str) -> str:
    """What an audit entry's request did, in words; the request itself when it is unknown."""
    method, _space, path = action.partition(" ")
    rest = path.removeprefix("/api")
    if rest not in ("/events/new", "/events"):
        rest = _EVENT.sub("", path, count=1)
    for methods, pattern, words in _COMPILED:
        if method in methods and (found := pattern.search(rest)):
            return words(found)
    return action

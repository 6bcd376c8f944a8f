"""An event's bounds, worked out once per version of its data.

Bounds depend on the event (participants, tables, subjects, needs and offers), never on the
plan; the needs bound solves a linear program (a third of a second for Lima), which every hand
edit, every quality panel and every layout card used to pay again. Kept per process, by a digest
of the instance without its names, the newest 64.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from scheduler import Bounds, Instance, bounds

KEPT = 64
# Names count for nothing in a bound: a renamed participant keeps the event's bounds.
NAMES = {
    "name": True,
    "participants": {"__all__": {"name"}},
    "subjects": {"__all__": {"name"}},
    "topics": {"__all__": {"name"}},
}
_MEMO: OrderedDict[str, Bounds] = OrderedDict()
_LOCK = threading.Lock()


def bounds_of(instance: Instance, key: str | None = None) -> Bounds:
    """`scheduler.bounds(instance)`, computed once per instance (InstanceError is not kept);
    `key`: its `digest`, when the caller has it already."""
    key = key or digest(instance)
    with _LOCK:
        found = _MEMO.get(key)
        if found is not None:
            _MEMO.move_to_end(key)
            return found
    found = bounds(instance)
    with _LOCK:
        _MEMO[key] = found
        while len(_MEMO) > KEPT:
            _MEMO.popitem(last=False)
    return found


# A plan version's metrics keep a copy of the bounds they were measured with, under this key,
# with the digest of the instance: the next hand edit, on any worker, reuses them when the
# instance is the same. Not shown in the API nor in exported plans (`public`).
KEPT_KEY = "_bounds"


def digest(instance: Instance) -> str:
    return hashlib.sha256(instance.model_dump_json(exclude=NAMES).encode()).hexdigest()


def kept(instance: Instance, metrics: dict[str, Any], key: str | None = None) -> Bounds | None:
    """The bounds a version's metrics kept for this same instance, if any."""
    found = metrics.get(KEPT_KEY)
    if not isinstance(found, dict) or found.get("digest") != (key or digest(instance)):
        return None
    try:
        values = dict(found["bounds"])
        values["needs_unreachable"] = [tuple(pair) for pair in values["needs_unreachable"]]
        return Bounds(**values)
    except (KeyError, TypeError, ValueError):
        return None


def keep(instance: Instance, found: Bounds, key: str | None = None) -> dict[str, Any]:
    return {"digest": key or digest(instance), "bounds": found.as_dict()}


def keep_in(metrics: dict[str, Any], instance: Instance, found: Bounds) -> None:
    """Keep the bounds a solve worked out in its plan's metrics, for the edits that follow."""
    metrics[KEPT_KEY] = keep(instance, found)


def public(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metrics.items() if k != KEPT_KEY}

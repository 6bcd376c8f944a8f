"""Why a need was left unserved, for the quality panel.

- `no_offerer`: nobody the participant can meet offers the topic (or no table has its
  subject): no plan serves it;
- `offerers_full`: the topic already serves as many participants as its offerers' seats
  allow in any plan that keeps every subject for everyone (need_bounds.py), and this plan
  does;
- `priority`: the bound leaves room, but the plan gave the seats next to its offerers to a
  higher priority (fewer repeats, every subject) or the search found no better plan in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .bounds import Bounds
from .schema import ALL, Instance, Plan
from .validate import score_plan

Why = Literal["no_offerer", "offerers_full", "priority"]


@dataclass(frozen=True)
class UnservedNeed:
    topic: str
    participant: str
    why: Why


def unserved_needs(
    instance: Instance, plan: Plan, bounds: Bounds, previous: Plan | None = None
) -> list[UnservedNeed]:
    """Every need the plan leaves unserved, with why, in topic then participant order."""
    score = score_plan(instance, plan, previous)
    served = score.served
    # the bound per topic holds for plans that keep every subject for everyone
    covered = score.subject_visits >= bounds.subject_visits_full
    unreachable = set(bounds.needs_unreachable)
    everyone = [p.id for p in instance.participants]
    out = []
    for topic in instance.topics:
        asking = everyone if ALL in topic.requesting else sorted(set(topic.requesting))
        count = sum(1 for p in asking if (topic.id, p) in served)
        most = bounds.needs_by_topic.get(topic.id, len(asking)) if covered else len(asking)
        for p in asking:
            if (topic.id, p) in served:
                continue
            if (topic.id, p) in unreachable:
                why: Why = "no_offerer"
            elif count >= most:
                why = "offerers_full"
            else:
                why = "priority"
            out.append(UnservedNeed(topic.id, p, why))
    return out

"""Who changes seat in a re-plan: each participant, round and the tables before and after."""

from __future__ import annotations

from dataclasses import dataclass

from .schema import Instance, Plan


@dataclass(frozen=True)
class SeatChange:
    participant: str  # id
    name: str  # the participant's name (the id when it has none)
    round: int
    before: str  # table
    after: str


def seat_changes(instance: Instance, plan: Plan, previous: Plan) -> list[SeatChange]:
    """The seats of `plan` that differ from `previous`, outside the fixed rounds, by round
    then participant: the same seats the validator counts as `seat_changes`."""
    names = {p.id: p.name or p.id for p in instance.participants}
    fixed = {rnd.round for rnd in instance.fixed_rounds}
    before = previous.seats()
    return [
        SeatChange(p, names.get(p, p), r, before[(p, r)], t)
        for (p, r), t in sorted(plan.seats().items(), key=lambda item: (item[0][1], item[0][0]))
        if r not in fixed and (p, r) in before and before[(p, r)] != t
    ]

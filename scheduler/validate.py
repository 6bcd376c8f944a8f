"""Check a plan against its instance and measure it, straight from the ids.

This module shares no code with the search or the CP-SAT model: it reads the instance and the
plan as an organizer would and counts what happened, so a bug in the solver cannot hide here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .messages import _, ngettext
from .schema import ALL, Instance, Plan


@dataclass
class Score:
    violations: list[str] = field(default_factory=list)
    repeats: int = 0
    max_meetings: int = 0
    pairs_met: int = 0
    subject_visits: int = 0
    needs_served: int = 0
    needs_total: int = 0
    seat_changes: int | None = None
    meetings: dict[tuple[str, str], int] = field(default_factory=dict)
    subjects_seen: dict[str, set[str]] = field(default_factory=dict)
    served: set[tuple[str, str]] = field(default_factory=set)

    @property
    def valid(self) -> bool:
        return not self.violations


def _groups(pairs: list[list[str]]) -> dict[str, str]:
    """Representative of each keep_together group (transitively joined)."""
    rep: dict[str, str] = {}

    def find(a: str) -> str:
        while rep.get(a, a) != a:
            a = rep[a]
        return a

    for group in pairs:
        for other in group[1:]:
            rep[find(other)] = find(group[0])
    return {a: find(a) for group in pairs for a in group}


def score_plan(instance: Instance, plan: Plan, previous: Plan | None = None) -> Score:
    score = Score()
    seating = _check_rounds(instance, plan, score)
    _check_rules(instance, seating, score)
    _measure(instance, seating, score)
    if previous is not None:
        before = previous.seats()
        fixed = {rnd.round for rnd in instance.fixed_rounds}
        score.seat_changes = sum(
            1
            for (p, r), t in plan.seats().items()
            if r not in fixed and (p, r) in before and before[(p, r)] != t
        )
    return score


Seating = dict[int, dict[str, tuple[str | None, list[str]]]]  # round -> table -> (subject, people)


def _check_rounds(instance: Instance, plan: Plan, score: Score) -> Seating:
    bad = score.violations
    tables = {t.id: t for t in instance.tables}
    people = {p.id for p in instance.participants}
    seating: Seating = {}
    for rnd in plan.rounds:
        if not 1 <= rnd.round <= instance.rounds:
            bad.append(
                _("round {round} is outside rounds 1..{rounds}").format(
                    round=rnd.round, rounds=instance.rounds
                )
            )
            continue
        if rnd.round in seating:
            bad.append(_("round {round} appears twice").format(round=rnd.round))
            continue
        seating[rnd.round] = {}
        for tab in rnd.tables:
            if tab.table not in tables:
                bad.append(
                    _("round {round}: unknown table {table!r}").format(
                        round=rnd.round, table=tab.table
                    )
                )
                continue
            if tab.table in seating[rnd.round]:
                bad.append(
                    _("round {round}: table {table!r} appears twice").format(
                        round=rnd.round, table=tab.table
                    )
                )
                continue
            for p in tab.participants:
                if p not in people:
                    bad.append(
                        _("round {round}: unknown participant {participant!r}").format(
                            round=rnd.round, participant=p
                        )
                    )
            seating[rnd.round][tab.table] = (tab.subject, list(tab.participants))
    for r in range(1, instance.rounds + 1):
        seating.setdefault(r, {})
    return seating


def _expected_present(instance: Instance) -> dict[int, set[str]]:
    present = {r: {p.id for p in instance.participants} for r in range(1, instance.rounds + 1)}
    for p in instance.participants:
        for r in p.absent_rounds:
            present[r].discard(p.id)
    for rnd in instance.fixed_rounds:
        present[rnd.round] = {p for tab in rnd.tables for p in tab.participants}
    return present


def _check_rules(instance: Instance, seating: Seating, score: Score) -> None:
    bad = score.violations
    tables = {t.id: t for t in instance.tables}
    hosts = {s.id: s.hosts for s in instance.subjects}
    present = _expected_present(instance)
    for r, room in seating.items():
        seat_of: dict[str, str] = {}
        for t, (subject, people) in room.items():
            for p in people:
                if p in seat_of:
                    bad.append(
                        _(
                            "round {round}: {participant!r} sits at both {first!r} and {second!r}"
                        ).format(round=r, participant=p, first=seat_of[p], second=t)
                    )
                seat_of[p] = t
            size, table = len(people), tables[t]
            if size and not table.min_size <= size <= table.capacity:
                bad.append(
                    _("round {round}: table {table!r} seats {size}, outside {low}..{high}").format(
                        round=r, table=t, size=size, low=table.min_size, high=table.capacity
                    )
                )
            _check_subject(instance, r, t, subject, size, hosts, bad)
        for p in sorted(present[r] - seat_of.keys()):
            bad.append(
                _("round {round}: {participant!r} is present but has no seat").format(
                    round=r, participant=p
                )
            )
        for p in sorted(seat_of.keys() - present[r]):
            bad.append(
                _("round {round}: {participant!r} is seated but absent").format(
                    round=r, participant=p
                )
            )
        if instance.subject_mode == "rotating":
            used = Counter(s for s, people in room.values() if people and s is not None)
            for s, k in used.items():
                if s in hosts and k > hosts[s]:
                    bad.append(
                        ngettext(
                            "round {round}: subject {subject!r} at {count} tables but has "
                            "{hosts} host",
                            "round {round}: subject {subject!r} at {count} tables but has "
                            "{hosts} hosts",
                            hosts[s],
                        ).format(round=r, subject=s, count=k, hosts=hosts[s])
                    )
        for group in instance.keep_apart:
            for a, b in combinations(group, 2):
                if a in seat_of and seat_of.get(a) == seat_of.get(b):
                    bad.append(
                        _("round {round}: {first!r} and {second!r} must be kept apart").format(
                            round=r, first=a, second=b
                        )
                    )
        for group in instance.keep_together:
            here = {seat_of[a] for a in group if a in seat_of}
            if len(here) > 1:
                bad.append(
                    _("round {round}: keep-together group {group} is split").format(
                        round=r, group=group
                    )
                )
        for pin in instance.pins:
            if pin.round == r and seat_of.get(pin.participant) != pin.table:
                bad.append(
                    _("round {round}: {participant!r} is pinned to {table!r}").format(
                        round=r, participant=pin.participant, table=pin.table
                    )
                )
    for rnd in instance.fixed_rounds:
        want = {
            tab.table: (tab.subject, sorted(tab.participants))
            for tab in rnd.tables
            if tab.participants
        }
        got = {t: (s, sorted(ps)) for t, (s, ps) in seating[rnd.round].items() if ps}
        if want != got:
            bad.append(
                _("round {round} differs from the fixed round given").format(round=rnd.round)
            )


def _check_subject(
    instance: Instance,
    r: int,
    t: str,
    subject: str | None,
    size: int,
    hosts: dict[str, int],
    bad: list[str],
) -> None:
    mode = instance.subject_mode
    if subject is not None and subject not in hosts:
        bad.append(
            _("round {round}: table {table!r} has unknown subject {subject!r}").format(
                round=r, table=t, subject=subject
            )
        )
    elif mode == "none" and subject is not None:
        bad.append(
            _("round {round}: table {table!r} has a subject but subject_mode is 'none'").format(
                round=r, table=t
            )
        )
    elif mode == "fixed" and subject != instance.table_subjects.get(t):
        bad.append(
            _("round {round}: table {table!r} must keep subject {subject!r}").format(
                round=r, table=t, subject=instance.table_subjects.get(t)
            )
        )
    elif mode == "rotating" and size and subject is None:
        bad.append(
            _("round {round}: table {table!r} is in use but has no subject").format(
                round=r, table=t
            )
        )


def _measure(instance: Instance, seating: Seating, score: Score) -> None:
    rep = _groups(instance.keep_together)
    meetings: Counter[tuple[str, str]] = Counter()
    seen: dict[str, set[str]] = defaultdict(set)
    everyone = [p.id for p in instance.participants]
    for room in seating.values():
        for subject, people in room.values():
            for a, b in combinations(sorted(set(people)), 2):
                if a not in rep or rep[a] != rep.get(b):
                    meetings[(a, b)] += 1
            if subject is not None:
                for p in people:
                    seen[p].add(subject)
            _serve(instance, everyone, subject, people, score.served)
    score.meetings = dict(meetings)
    score.pairs_met = len(meetings)
    score.repeats = sum(m - 1 for m in meetings.values())
    score.max_meetings = max(meetings.values(), default=0)
    score.subjects_seen = dict(seen)
    score.subject_visits = sum(len(s) for s in seen.values())
    score.needs_total = sum(
        len(everyone) if ALL in topic.requesting else len(set(topic.requesting))
        for topic in instance.topics
    )
    score.needs_served = len(score.served)


def _serve(
    instance: Instance,
    everyone: list[str],
    subject: str | None,
    people: list[str],
    served: set[tuple[str, str]],
) -> None:
    """A need is served at a table of its subject where someone else offers it."""
    here = set(people)
    for topic in instance.topics:
        if instance.subject_mode != "none" and topic.subject not in (None, subject):
            continue
        asking = here if ALL in topic.requesting else here & set(topic.requesting)
        offering = here if ALL in topic.offering else here & set(topic.offering)
        for p in asking:
            if offering - {p}:
                served.add((topic.id, p))

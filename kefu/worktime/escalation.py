"""Escalation of late clocks 超时升级: the one sweep every deadline uses (complaint steps,
accidents, service clocks on notifications).

A record keeps, per escalation level, the instant it is due at that level (stored, so finding the
late ones is an index range) and the level it has reached. The sweep walks each level's due
rows; `escalate_once` locks one row, checks it is still due, and claims the escalation by
inserting a row that a unique constraint allows once per record, clock and level. Running the
sweep twice, concurrently, or after downtime therefore escalates each level exactly once, and a
consumer that was down catches up on both levels at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

SUPERVISOR, MANAGER = 1, 2


@dataclass(frozen=True)
class Rung:
    """One level of the ladder and the stored field holding when it is due."""

    level: int
    due_field: str


def sweep(
    queryset: QuerySet,
    *,
    rungs: Sequence[Rung],
    level_field: str,
    escalate: Callable[[int, int, datetime], bool],
    now: datetime,
) -> int:
    """Call `escalate(pk, level, now)` for every row of `queryset` below `level` whose due field
    is past, most overdue first; returns how many escalations were made."""
    done = 0
    for rung in rungs:
        due = queryset.filter(
            **{f"{level_field}__in": list(range(rung.level)), f"{rung.due_field}__lte": now}
        )
        for pk in due.order_by(rung.due_field).values_list("pk", flat=True).iterator(chunk_size=500):
            done += bool(escalate(pk, rung.level, now))
    return done


def escalate_once(
    model: type[Model],
    pk: int,
    *,
    still_due: Callable[[Model], bool],
    claim: Callable[[Model], object],
    then: Callable[[Model], None],
) -> bool:
    """Lock row `pk`; when `still_due(row)`, `claim(row)` (insert the unique escalation row) and,
    if nobody claimed it before, `then(row)` (raise the level, timeline, notices on commit)."""
    with transaction.atomic():
        row = model._base_manager.select_for_update(of=("self",)).filter(pk=pk).first()
        if row is None or not still_due(row):
            return False  # someone moved it on or escalated it meanwhile
        try:
            with transaction.atomic():
                claim(row)
        except IntegrityError:
            return False
        then(row)
    return True


def recipients(office, level: int) -> list:
    """Who a late record goes to: the supervisors of its responsibility centre (the manager when
    the centre has none) at level 1, the managers at level 2."""
    from kefu.org.queries import staff_with_role

    if level == SUPERVISOR:
        return staff_with_role("supervisor", office=office) or staff_with_role("manager")
    return staff_with_role("manager")

"""Service clocks 服务时钟 of notifications: which target applies, when each clock is due, when it
was met, and what a list shows about it.

- **Response** 响应 is the first reaction to the customer's need: the user status leaves the
  type's initial status (Z1 勘察结束 or 推迟, Z2 回复营业 …, through the one workflow engine), or
  a visit window is agreed with the customer, or the technician records his arrival on site
  (kefu.field), whichever comes first. Creating the notification or naming a person responsible
  is not a reaction: the assistant usually does both at once.
- **Resolution** 解决 is reaching the completed stage (通知结案). A cancelled notification stops its
  clocks without meeting them.

Both clocks start when the notification is created and count working time on a work calendar
(kefu.worktime: working hours, public holidays, 调休 make-up days): the matching target's, else
the default one. The calendar is stored with the clocks (`clock_calendar`, empty: the default), so
every later computation (the amber and manager instants after a reaction or a status change, the
time left on lists and pages) counts on the calendar the clock started on, even after the target
is moved to another calendar. The due instants are stored (`response_due`, `resolution_due`) and
recomputed from the creation time, with the target's current calendar, when the type, the
priority or the customer changes, or when `recompute_service_clocks` applies changed targets;
`clock_due` is the running clock's due, indexed, so "late" and "time left" are index ranges at
any size. Postponing does not stop the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kefu.core import buffer
from kefu.tickets.choices import ClockKind
from kefu.workflow.choices import Stage
from kefu.worktime import clock
from kefu.worktime.choices import ClockMode

# The fields a clock change writes (services add them to `update_fields`).
CLOCK_FIELDS = [
    "response_due",
    "responded_at",
    "resolution_due",
    "resolved_at",
    "clock_due",
    "clock_warn_at",
    "clock_manager_at",
    "clock_calendar_id",
    "clock_level",
]
# A change of one of these recomputes the due instants.
TARGET_INPUTS = ("type", "priority", "customer")


def targets() -> list:
    from kefu.tickets.models import ServiceTarget

    return buffer.get("tickets.service_targets", lambda: list(ServiceTarget.objects.all()))


def target_for(type_id: int | None, priority: str, tier: str, rows: list | None = None):
    """The most specific ServiceTarget for a notification (None: no clock). A type match beats a
    priority match, which beats a tier match; blanks mean "any"."""
    best, best_score = None, -1
    for row in targets() if rows is None else rows:
        if (
            (row.type_id and row.type_id != type_id)
            or (row.priority and row.priority != priority)
            or (row.customer_tier and row.customer_tier != tier)
        ):
            continue
        score = 4 * bool(row.type_id) + 2 * bool(row.priority) + bool(row.customer_tier)
        if score > best_score:
            best, best_score = row, score
    return best


def _add(start: dt.datetime, minutes: float, calendar) -> dt.datetime:
    return clock.add_duration(start, minutes, mode=ClockMode.BUSINESS, calendar=calendar)


def calendar_of(n, specs: dict | None = None) -> clock.CalendarSpec:
    """The loaded calendar `n`'s clocks count on (the stored one; none stored: the default).
    `specs` (id → spec): what a pass over many rows loaded already, so each calendar is read
    once per pass, not once per row."""
    key = getattr(n, "clock_calendar_id", None)  # absent on the historical model of migration 0007
    if specs is None:
        return clock.load_calendar(key)
    spec = specs.get(key)
    if spec is None:
        spec = specs[key] = clock.load_calendar(key)
    return spec


def running_kind(n) -> str:
    """Which clock runs: response until the first reaction, then resolution ("" when none)."""
    if n.stage not in Stage.open_values():
        return ""
    if n.responded_at is None and n.response_due is not None:
        return ClockKind.RESPONSE
    return ClockKind.RESOLUTION if n.resolution_due is not None else ""


def _run(n, target=None, specs: dict | None = None) -> None:
    """Set the running clock's due, amber and manager instants from the stored dues, on the
    stored calendar (not the target's current one)."""
    kind = running_kind(n)
    if not kind:
        n.clock_due = n.clock_warn_at = n.clock_manager_at = None
        return
    if target is None:
        target = target_for(n.type_id, n.priority, _tier(n))
    calendar = calendar_of(n, specs)
    due = n.response_due if kind == ClockKind.RESPONSE else n.resolution_due
    start = n.created_at or clock.now()
    if target is None:
        n.clock_warn_at, n.clock_manager_at = due, _add(due, 240, calendar)
    else:
        minutes = target.response_minutes if kind == ClockKind.RESPONSE else target.resolution_minutes
        n.clock_warn_at = _add(start, minutes * (100 - min(target.warn_percent, 100)) / 100, calendar)
        n.clock_manager_at = _add(due, target.manager_after_minutes, calendar)
    n.clock_due = due


def _tier(n) -> str:
    if hasattr(n, "_tier"):  # set by a bulk recompute that read the tiers in one query
        return n._tier
    customer = getattr(n, "customer", None) if n.customer_id else None
    return getattr(customer, "tier", "") or ""


def start(
    n,
    *,
    at: dt.datetime | None = None,
    rows: list | None = None,
    run: bool = True,
    specs: dict | None = None,
) -> list[str]:
    """Compute both dues from the creation time (or `at`) and the matching target, on the
    target's calendar, which is stored with them; the fields changed. Called on create and when
    the type, priority or customer changes."""
    target = target_for(n.type_id, n.priority, _tier(n), rows)
    begin = at or n.created_at or clock.now()
    n.clock_calendar_id = getattr(target, "calendar_id", None)  # historical targets have none
    if target is None:
        n.response_due = n.resolution_due = None
    else:
        calendar = calendar_of(n, specs)
        n.response_due = _add(begin, target.response_minutes, calendar)
        n.resolution_due = _add(begin, target.resolution_minutes, calendar)
    if run:
        _run(n, target, specs)
    return list(CLOCK_FIELDS)


def respond(n, *, at: dt.datetime) -> bool:
    """Note the first reaction (once); True when it was the first."""
    if n.responded_at is not None:
        return False
    n.responded_at = at
    n.clock_level = 0  # the resolution clock starts unescalated
    _run(n)
    return True


def stage_changed(n, *, at: dt.datetime) -> None:
    """After a status change: resolution met on completion; clocks stop when closed."""
    if n.stage == Stage.COMPLETED and n.resolved_at is None:
        n.resolved_at = at
    elif n.stage in Stage.open_values():
        n.resolved_at = None
    _run(n)


def settle(n, now: dt.datetime) -> None:
    """Count a clock that was already late before anyone watched it as escalated, so a back-fill
    or a change of targets does not send a storm of notices about old work; the worklist's "late"
    selection still shows it."""
    if n.clock_due is not None and n.clock_due <= now:
        level = 2 if n.clock_manager_at is not None and n.clock_manager_at <= now else 1
        n.clock_level = max(n.clock_level or 0, level)


def backfill(
    notifications,
    *,
    targets: list,
    tiers,
    first_moves,
    initial_ids: set[int],
    batch: int = 2000,
) -> int:
    """Set every notification's clocks from `targets` (rows made before the clocks, or after the
    targets changed), in id batches; only rows whose values change are written. Response: the
    first status change on the timeline (`first_moves(ids)` → {id: instant}), else the creation
    for a notification already past its initial status. Resolution: its completion. Clocks
    already late count as escalated (`settle`). Like a change of type or priority, this restarts
    the clocks on the targets' current terms, their calendars included; each calendar is loaded
    once for the whole pass.
    `tiers(customer_ids)` → {id: tier}. Shared by the migration (historical models) and
    `manage.py recompute_service_clocks`."""
    fields = ["id", "type_id", "priority", "customer_id", "stage", "status_id", "created_at", "completed_at"]
    # The migration that made the clocks runs this on a historical model without a stored calendar.
    names = [name for name in CLOCK_FIELDS if _has_field(notifications.model, name)]
    done, last, now = 0, 0, clock.now()
    specs: dict[int | None, clock.CalendarSpec] = {}  # each calendar loaded once for the pass
    while True:
        chunk = list(notifications.filter(pk__gt=last).order_by("pk").only(*fields, *names)[:batch])
        if not chunk:
            return done
        last = chunk[-1].pk
        tier_of = tiers({n.customer_id for n in chunk})
        moved = first_moves([n.pk for n in chunk])
        changed = []
        for n in chunk:
            before = [getattr(n, name) for name in names]
            n._tier = tier_of.get(n.customer_id, "") or ""
            start(n, at=n.created_at, rows=targets, run=False, specs=specs)
            if n.responded_at is None and (n.pk in moved or n.status_id not in initial_ids):
                n.responded_at = moved.get(n.pk) or n.created_at
            if n.stage == Stage.COMPLETED and n.resolved_at is None:
                n.resolved_at = n.completed_at or n.created_at
            target = target_for(n.type_id, n.priority, n._tier, targets)
            _run(n, target, specs)
            settle(n, now)
            if [getattr(n, name) for name in names] != before:
                changed.append(n)
        if changed:
            _write(notifications.db, type(chunk[0])._meta.db_table, changed, names)
            done += len(changed)


def _has_field(model, attname: str) -> bool:
    return any(f.attname == attname for f in model._meta.concrete_fields)


def _write(alias: str, table: str, rows: list, names: list[str]) -> None:
    """One UPDATE per row by primary key, sent as one batch (a CASE per column, as bulk_update
    builds, costs far more at tens of thousands of rows)."""
    from django.db import connections

    connection = connections[alias]
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value

    def value(n, name: str):
        v = getattr(n, name)
        return adapt(v) if isinstance(v, dt.datetime) else v

    sets = ", ".join(f"{quote(name)} = %s" for name in names)
    sql = f"UPDATE {quote(table)} SET {sets} WHERE {quote('id')} = %s"
    params = [[value(n, name) for name in names] + [n.pk] for n in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# --- what lists and pages show ---------------------------------------------------------------
@dataclass(frozen=True)
class Clock:
    """One notification's clock as a list or page shows it."""

    kind: str  # response / resolution / "" (stopped or none)
    due: dt.datetime | None
    left_seconds: int | None  # working seconds left (negative: late), for the ticking script
    warn_seconds: int  # amber when left_seconds is at most this
    state: str  # late / near / ok / met / breached / ""
    # The words, translated once per list (`texts()`), not once per row.
    words: dict | None = field(default=None, compare=False, repr=False)
    tz: dt.tzinfo | None = field(default=None, compare=False, repr=False)  # the zone, for display
    calendar: int | None = None  # the stored work calendar it counts on (None: the default)

    @property
    def late(self) -> bool:
        return self.state == "late"

    @property
    def css(self) -> str:
        return {"late": "text-danger fw-semibold", "near": "text-warning-emphasis fw-semibold"}.get(
            self.state, "text-body-secondary" if self.state in ("met", "") else ""
        )

    @property
    def text(self) -> str:
        words = self.words or texts()
        if self.state in ("met", "breached"):
            return words[self.state]
        if self.left_seconds is None:
            return ""
        return words["overdue" if self.left_seconds < 0 else "left"] % {
            "time": humanize(self.left_seconds, words)
        }

    @property
    def label(self) -> str:
        return (self.words or texts())[self.kind] if self.kind else ""

    @property
    def html(self) -> SafeString:
        return mark_safe(clock_html(self))  # built from escaped values only


def texts() -> dict[str, str]:
    """The words a clock is shown in, in the current language (the ticking script gets the same
    ones from /api/v1/worktime/periods)."""
    return {
        "left": _("%(time)s left"),
        "overdue": _("%(time)s overdue"),
        "d": _("%(n)d d"),
        "h": _("%(n)d h"),
        "min": _("%(n)d min"),
        "met": _("Met"),
        "breached": _("Breached"),
        ClockKind.RESPONSE: str(ClockKind.RESPONSE.label),
        ClockKind.RESOLUTION: str(ClockKind.RESOLUTION.label),
    }


def humanize(seconds: int, words: dict) -> str:
    """As kefu.worktime.clock.humanize ('1天2小时5分钟', rounded up to the minute), from `words`."""
    minutes = -(-abs(seconds) // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(words["d"] % {"n": days})
    if hours:
        parts.append(words["h"] % {"n": hours})
    if mins or not parts:
        parts.append(words["min"] % {"n": mins})
    return " ".join(parts)


def clock_of(
    *,
    clock_due,
    clock_warn_at,
    response_due,
    responded_at,
    resolution_due,
    resolved_at,
    now: dt.datetime,
    calendar=None,
    calendar_id: int | None = None,
    words: dict | None = None,
) -> Clock:
    """The clock shown for stored values; `calendar`: the loaded work calendar the clock counts
    on (stored as `calendar_id`, None: the default), so a list of rows reads each one once."""
    tz = getattr(calendar, "tz", None)
    if clock_due is not None:
        kind = (
            ClockKind.RESPONSE if responded_at is None and response_due == clock_due else ClockKind.RESOLUTION
        )
        left = clock.business_between(now, clock_due, calendar=calendar)
        state = "late" if clock_due <= now else "near" if clock_warn_at and clock_warn_at <= now else "ok"
        warn = dt.timedelta(0)  # only a running, not yet late clock turns amber
        if state != "late" and clock_warn_at:
            warn = clock.business_between(clock_warn_at, clock_due, calendar=calendar)
        if left <= dt.timedelta(0) and state != "late":
            left = dt.timedelta(seconds=1)  # due later today but after working hours: not late yet
        left_seconds, warn_seconds = int(left.total_seconds()), int(warn.total_seconds())
        return Clock(kind, clock_due, left_seconds, warn_seconds, state, words, tz, calendar_id)
    if resolution_due is not None and resolved_at is not None:
        state = "met" if resolved_at <= resolution_due else "breached"
        return Clock(ClockKind.RESOLUTION, resolution_due, None, 0, state, words, tz, calendar_id)
    return Clock("", None, None, 0, "", words, tz, calendar_id)


def clock_for(n, now: dt.datetime | None = None, *, calendars: dict | None = None) -> Clock:
    """The clock of one notification, on its stored calendar (`calendars`: see `calendar_of`)."""
    return clock_of(
        clock_due=n.clock_due,
        clock_warn_at=n.clock_warn_at,
        response_due=n.response_due,
        responded_at=n.responded_at,
        resolution_due=n.resolution_due,
        resolved_at=n.resolved_at,
        now=now or clock.now(),
        calendar=calendar_of(n, calendars),
        calendar_id=n.clock_calendar_id,
        words=texts(),
    )


def met(due: dt.datetime | None, at: dt.datetime | None) -> bool | None:
    """True met, False breached, None not decided (no target, or still running)."""
    if due is None or at is None:
        return None
    return at <= due


def clock_html(c: Clock, tz=None) -> str:
    """The clock as markup: a `<time>` the page script (kefu.js) ticks every 30 s in working time
    (of its `data-calendar`, else the default calendar), red when late and amber when near due;
    "met"/"breached" once stopped."""
    from html import escape

    if not c.state:
        return ""
    label = escape(c.label)
    if c.left_seconds is None:
        return f'<span class="small {c.css}" title="{label}">{escape(c.text)}</span>'
    due = c.due
    assert due is not None
    local = due.astimezone(tz or c.tz or clock.load_calendar(c.calendar).tz)
    calendar = f' data-calendar="{int(c.calendar)}"' if c.calendar is not None else ""
    return (
        f'<span class="small text-body-secondary">{label}</span> '
        f'<time datetime="{local.isoformat(timespec="seconds")}" data-clock="{c.left_seconds}" '
        f'data-warn="{c.warn_seconds}"{calendar} class="{c.css}" title="{local:%Y-%m-%d %H:%M}">'
        f"{escape(c.text)}</time>"
    )

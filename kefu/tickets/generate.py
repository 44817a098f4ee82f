"""`manage.py generate --notifications N`: N notifications in every status, for benchmarks.

Each one is shaped like what `services.create_notification` (and a later status change) writes:
a number drawn from its type's number range, an item, the partners (ship-to, sold-to, person
responsible), the long text with its entry under the creator's name, the timeline events
(created, text added, status changed when not in the initial status) and its keyword search
document. Values are drawn in plain Python and written with `kefu.core.bulkload` (driver
`executemany` on SQLite, `COPY` on PostgreSQL) in large batches, one transaction per batch;
deterministic for a given `--seed`.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

ORDER = 40
WORDS = [
    "活动柜",
    "抽屉锁",
    "气压棒",
    "五星脚",
    "桌面板",
    "文件柜门",
    "滑轨",
    "沙发面料",
    "屏风",
    "铰链",
    "锁芯",
    "书架隔板",
]
FAULTS = ["损坏", "松动", "划伤", "卡顿", "异响", "断裂", "开线", "打不开", "缺件", "变形"]
NUMBER_GAP = 10_000_000  # generated numbers keep clear of the ones users draw (and of the next type's)
MINUTES = 60 * 24 * 720  # created within the last two years


def add_arguments(parser) -> None:
    parser.add_argument(
        "--notifications", type=int, default=0, help="How many service notifications to make."
    )


def run(options, ctx) -> int:
    from kefu.core.bulkload import deferred_indexes
    from kefu.core.search import bulk_load

    total = options.get("notifications") or 0
    if not total:
        return 0
    plan = _Plan(ctx["rng"], total)
    batch = max(ctx.get("batch", 50_000), 1)
    made = 0
    with (
        deferred_indexes(*plan.models, rows=total, laps=plan.clock),
        deferred_indexes(plan.history_model, rows=2 * total, laps=plan.clock),  # about three events each
        bulk_load(plan.search_index, rows=total, laps=plan.clock),
    ):
        while made < total:
            size = min(batch, total - made)
            with transaction.atomic():
                plan.write_batch(size)
            made += size
            if ctx.get("stdout") and made % max(batch, 100_000) < size:
                ctx["stdout"].write(f"    notifications: {made}/{total}")
        plan.clock.lap("commits")
    plan.finish()
    plan.clock.lap("sequences and analyze")
    if ctx.get("stdout") and ctx.get("verbosity", 1) > 1:
        ctx["stdout"].write(f"    notifications, {plan.clock.legend()} by step: {plan.clock}")
    return made


class _Plan:
    """Everything a batch needs, read once: types, statuses, customers, centres, staff."""

    def __init__(self, rng, total: int) -> None:
        from django.contrib.contenttypes.models import ContentType

        from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode
        from kefu.core.bulkload import Laps, Table, next_ids
        from kefu.core.models import NumberRange
        from kefu.customers.models import Customer
        from kefu.org.models import (
            BusinessArea,
            DistributionChannel,
            Division,
            SalesOffice,
            Staff,
            WorkCentre,
        )
        from kefu.tickets import events
        from kefu.tickets.models import Item, LongTextEntry, Notification, NotificationType, Partner
        from kefu.tickets.queries import SEARCH_INDEX
        from kefu.timeline.models import TimelineEvent
        from kefu.workflow.engine import initial_status
        from kefu.workflow.events import TRANSITION
        from kefu.workflow.models import Status, Transition

        self.rng = rng
        # Creation times rise with the ids over the last two years, as they do in real use (and
        # the time-ordered indexes then fill at their ends instead of all over).
        self.done, self.step = 0, MINUTES * 60 / total
        self.clock = Laps()
        self.types = list(NotificationType.objects.filter(code__in=["Z1", "Z2"]).select_related("profile"))
        if not self.types:
            raise SystemExit("load the demo first (notification types Z1/Z2)")
        self.customers = list(Customer.objects.values_list("pk", "sales_office_id", "name")[:200_000])
        if not self.customers:
            raise SystemExit("generate customers first (or load the demo)")
        transitions = {(t.from_status_id, t.to_status_id): t for t in Transition.objects.all()}
        # Per type: its statuses with what a row in that status carries (stage, history events).
        self.kinds = []
        for ntype in self.types:
            first = initial_status(ntype.profile)
            kinds = []
            for status in Status.objects.filter(profile=ntype.profile).order_by("order", "pk"):
                move = None
                if status.pk != first.pk:
                    step = transitions.get((first.pk, status.pk))
                    move = json.dumps(
                        {
                            "from": first.code,
                            "to": status.code,
                            "transition": step.pk if step else None,
                            "approval": bool(step and step.is_approval),
                            "inputs": {},
                        }
                    )
                kinds.append((status.pk, status.stage, move))
            rng_row = NumberRange.objects.filter(code=ntype.number_range).first()
            next_value = max(rng_row.next_value if rng_row else ntype.number_start, ntype.number_start)
            self.kinds.append(
                {
                    "type": ntype,
                    "statuses": kinds,
                    "prefix": rng_row.prefix if rng_row else "",
                    "width": rng_row.width if rng_row else 0,
                    "next": next_value + NUMBER_GAP,
                    "created": '{"number": "%s", "type": "'
                    + ntype.code
                    + '", "status": "'
                    + first.code
                    + '"}',
                    "payment": "paid" if ntype.code == "Z1" else "unpaid",
                }
            )
        self.centres: dict[int, list[int]] = {}
        for wc_id, office_id in WorkCentre.objects.values_list("pk", "sales_office_id"):
            self.centres.setdefault(office_id, []).append(wc_id)
        self.any_centre = [next(iter(self.centres.values()))[0]]
        self.techs: dict[int, list[tuple[int, str]]] = {}
        self.creators: dict[int, list[tuple[int, str]]] = {}
        technicians = set(
            Staff.objects.filter(
                user__groups__role__code__in=["technician", "complaint_specialist"]
            ).values_list("pk", flat=True)
        )
        for person in Staff.objects.filter(is_active=True).prefetch_related("sales_offices").order_by("pk"):
            for office in person.sales_offices.all():
                self.creators.setdefault(office.pk, []).append((person.user_id, person.pk, person.name))
                if person.pk in technicians:
                    self.techs.setdefault(office.pk, []).append((person.pk, str(person)))
        anyone = next(iter(self.creators.values()))
        self.anyone = anyone
        self.offices = dict(SalesOffice.objects.values_list("pk", "sales_organization_id"))
        self.channel = DistributionChannel.objects.order_by("code").values_list("pk", flat=True).first()
        division = Division.objects.filter(code="02").first() or Division.objects.first()
        self.division = division.pk if division else None
        self.area = BusinessArea.objects.filter(code="1002").values_list("pk", flat=True).first()
        self.ptypes = list(ProductType.objects.values_list("pk", flat=True)) or [None]
        self.colours = list(ColourCode.objects.values_list("pk", flat=True)) or [None]
        self.materials = list(Material.objects.values_list("pk", flat=True)) or [None]
        self.reasons = list(ReasonCode.objects.values_list("pk", flat=True)) or [None]
        self.content_type = ContentType.objects.get_for_model(Notification).pk
        self.event_created, self.event_text = events.CREATED.code, events.TEXT_ADDED.code
        self.event_transition = TRANSITION
        now = timezone.now()
        self.now = now.astimezone(dt.UTC).replace(tzinfo=None)
        self.start = self.now - dt.timedelta(minutes=MINUTES)
        self.local_offset = timezone.localtime(now).utcoffset() or dt.timedelta(0)  # Asia/Shanghai: no DST
        self.search_index = SEARCH_INDEX
        self.next_id = next_ids(Notification, f"search_{SEARCH_INDEX}")
        self.next_entry = next_ids(LongTextEntry)
        self.models = (Notification, Item, LongTextEntry, Partner)
        self.history_model = TimelineEvent
        self.notifications = Table(
            Notification,
            [
                "id",
                "number",
                "type",
                "description",
                "long_text",
                "status",
                "stage",
                "customer",
                "sold_to",
                "reference_document",
                "required_start",
                "required_end",
                "work_centre",
                "responsible",
                "sales_organization",
                "distribution_channel",
                "division",
                "sales_office",
                "business_area",
                "contact_phone",
                "priority",
                "urgent",
                "payment_status",
                "created_by",
                "created_at",
                "updated_at",
                "completed_at",
            ],
        )
        self.items = Table(
            Item,
            [
                "notification",
                "position",
                "product_type",
                "colour",
                "material",
                "quantity",
                "reason",
                "created_at",
                "updated_at",
            ],
        )
        self.entries = Table(
            LongTextEntry, ["id", "notification", "author", "author_name", "created_at", "text"]
        )
        self.partners = Table(Partner, ["notification", "function", "customer", "name"])
        self.events = Table(
            TimelineEvent, ["content_type", "object_id", "event_type", "actor", "occurred_at", "data"]
        )

    def write_batch(self, size: int) -> None:
        from kefu.core.bulkload import stamp, write
        from kefu.core.search import append_documents
        from kefu.tickets.models import PartnerRole

        self.clock.lap("commits")
        rng = self.rng
        random, choice = rng.random, rng.choice
        kinds, customers, centres, techs, creators = (
            self.kinds,
            self.customers,
            self.centres,
            self.techs,
            self.creators,
        )
        day, hour, second = dt.timedelta(days=1), dt.timedelta(hours=4), dt.timedelta(seconds=1)
        first, step, done = self.start, self.step, self.done
        offset, ct = self.local_offset, self.content_type
        e_created, e_text, e_move = self.event_created, self.event_text, self.event_transition
        ship_to, sold_to, responsible_role = PartnerRole.SHIP_TO, PartnerRole.SOLD_TO, PartnerRole.RESPONSIBLE
        channel, division, area = self.channel, self.division, self.area
        notifications, items, entries, partners, events, docs = [], [], [], [], [], []
        for _ in range(size):
            kind = kinds[0] if random() < 0.7 or len(kinds) == 1 else kinds[1]
            status_id, stage, move = choice(kind["statuses"])
            customer_id, office_id, customer_name = choice(customers)
            centre = choice(centres.get(office_id) or self.any_centre)
            tech = choice(techs.get(office_id) or [(None, "")])
            user_id, _staff_id, author = choice(creators.get(office_id) or self.anyone)
            created = first + second * int((done + random()) * step)
            done += 1
            created_s = stamp(created)
            local = created + offset
            start = local.date() + day * int(random() * 6)
            word, fault = choice(WORDS), choice(FAULTS)
            text = f"客户反映{word}{fault},需上门处理。"
            long_text = f"[{local:%Y-%m-%d %H:%M} {author}]\n{text}"
            number = f"{kind['prefix']}{str(kind['next']).zfill(kind['width'])}"
            kind["next"] += 1
            pk, entry = self.next_id, self.next_entry
            self.next_id += 1
            self.next_entry += 1
            description = f"{word}{fault}"
            notifications.append(
                (
                    pk,
                    number,
                    kind["type"].pk,
                    description,
                    long_text,
                    status_id,
                    stage,
                    customer_id,
                    customer_id,
                    str(30000000 + int(random() * 10_000_000)),
                    start.isoformat(),
                    (start + day * (1 + int(random() * 14))).isoformat(),
                    centre,
                    tech[0],
                    self.offices[office_id],
                    channel,
                    division,
                    office_id,
                    area,
                    "13800000000",
                    "1233334"[int(random() * 7)],
                    random() < 0.02,
                    kind["payment"],
                    user_id,
                    created_s,
                    created_s,
                    stamp(created + 3 * day) if stage == "completed" else None,
                )
            )
            items.append(
                (
                    pk,
                    1,
                    choice(self.ptypes),
                    choice(self.colours),
                    choice(self.materials),
                    "1",
                    choice(self.reasons),
                    created_s,
                    created_s,
                )
            )
            entries.append((entry, pk, user_id, author, created_s, text))
            partners.append((pk, ship_to, customer_id, customer_name))
            partners.append((pk, sold_to, customer_id, customer_name))
            if tech[0] is not None:
                partners.append((pk, responsible_role, None, tech[1]))
            events.append((ct, pk, e_created, user_id, created_s, kind["created"] % number))
            events.append((ct, pk, e_text, user_id, created_s, json.dumps({"text": text, "entry": entry})))
            if move is not None:
                events.append((ct, pk, e_move, None, stamp(created + hour), move))
            docs.append((pk, [description, long_text]))
        self.done = done
        clock = self.clock
        clock.lap("values")
        write(self.notifications, notifications)
        clock.lap("notifications")
        write(self.items, items)
        clock.lap("items")
        write(self.entries, entries)
        clock.lap("long-text entries")
        write(self.partners, partners)
        clock.lap("partners")
        write(self.events, events)
        clock.lap("timeline events")
        append_documents(self.search_index, docs)
        clock.lap("search index")

    def finish(self) -> None:
        from kefu.core.bulkload import analyze, reset_sequences
        from kefu.core.models import NumberRange
        from kefu.core.search import analyze_index

        reset_sequences(*self.models)
        for kind in self.kinds:  # the number ranges move past what was generated
            NumberRange.objects.filter(code=kind["type"].number_range, next_value__lt=kind["next"]).update(
                next_value=kind["next"]
            )
        # Fresh statistics, so the planner picks the worklist indexes.
        analyze(
            "tickets_notification",
            "tickets_item",
            "tickets_longtextentry",
            "tickets_partner",
            "timeline_timelineevent",
            f"search_{self.search_index}",
        )
        analyze_index(self.search_index)

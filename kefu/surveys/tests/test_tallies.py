"""The results page reads daily tallies (RatingTally, AnswerTally): every figure equals the same
figure computed in plain Python from the ratings and answers themselves, for a company-wide user
and for scoped ones; the services keep the tallies exact; a rebuild counts the same."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from kefu.surveys import queries, services
from kefu.surveys.errors import RatingLinkUsed
from kefu.surveys.models import (
    AnswerTally,
    Rating,
    RatingTally,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
PERIODS = [
    (date(2026, 12, 1), date(2026, 12, 31)),  # the month: Nov 30 issues rated in it, Dec 31 ones rated after
    (date(2026, 11, 1), date(2026, 11, 30)),
    (date(2026, 12, 1), date(2026, 12, 1)),  # one day, cut at Shanghai midnight (not UTC)
    (date(2026, 12, 2), date(2026, 12, 2)),  # only a rating issued before: no evaluation row
    (date(2026, 12, 4), date(2026, 12, 4)),
    (date(2027, 1, 1), date(2027, 1, 31)),
    (date(2026, 1, 1), date(2027, 12, 31)),
]


# --- the data: several centres, work centres, people and tiers -----------------------------------
@pytest.fixture
def mixed(frozen_clock, org, people, make_customer, staff_factory):
    from kefu.complaints.services import create_complaint
    from kefu.tickets.services import create_notification

    manager = staff_factory(roles=["manager"], name="李建国")
    leaver = staff_factory(roles=["technician"], offices=[org.office_b], name="赵离")
    tech, keyaccount, outsider = people["technician"], people["keyaccount"], people["outsider"]
    a_key = make_customer(tier="key")
    a_small = make_customer(tier="small")
    a_none = make_customer()
    b_major = make_customer(tier="major", sales_office=org.office_b)
    b_small = make_customer(tier="small", sales_office=org.office_b)
    b_nobody = make_customer(tier="major", sales_office=org.office_b, responsible=None)

    def notification(customer, wc, responsible):
        return create_notification(
            actor=manager.user,
            customer=customer,
            description="柜门坏了",
            work_centre=wc,
            responsible=responsible,
        )

    def complaint(customer, owner):
        return create_complaint(actor=manager.user, customer=customer, subject="桌面开裂", owner=owner)

    # (service, issued, rated, stars)
    plan = [
        (lambda: notification(a_key, org.wc_a, tech), sh(2026, 11, 30, 10), sh(2026, 12, 2, 9), 5),
        (lambda: notification(a_small, org.wc_a, tech), sh(2026, 12, 1, 0, 30), sh(2026, 12, 1, 8), 1),
        (lambda: notification(a_small, org.wc_a, tech), sh(2026, 12, 1, 15), sh(2026, 12, 1, 16), 4),
        (
            lambda: notification(a_none, org.wc_b, keyaccount),
            sh(2026, 12, 3, 23, 50),
            sh(2026, 12, 4, 0, 10),
            2,
        ),
        (lambda: notification(b_major, org.wc_b, outsider), sh(2026, 12, 5, 9), None, None),
        (lambda: notification(b_nobody, org.wc_b, None), sh(2026, 12, 5, 11), sh(2026, 12, 6, 11), 4),
        (lambda: notification(b_small, org.wc_b, leaver), sh(2026, 12, 7, 11), sh(2026, 12, 7, 12), 3),
        (lambda: notification(b_small, org.wc_b, leaver), sh(2026, 11, 29, 23, 59), None, None),
        (lambda: complaint(a_key, keyaccount), sh(2026, 12, 10, 14), sh(2026, 12, 10, 15), 3),
        (lambda: complaint(b_major, None), sh(2026, 11, 15, 14), None, None),
        (lambda: complaint(a_none, None), sh(2026, 11, 16, 14), sh(2026, 11, 20, 14), 2),
        (lambda: notification(a_key, org.wc_a, tech), sh(2026, 12, 31, 23, 59), sh(2027, 1, 1, 0, 5), 5),
        (lambda: notification(b_major, org.wc_b, outsider), sh(2026, 12, 20, 9), sh(2026, 12, 20, 10), 4),
    ]
    for make, issued, rated, stars in plan:
        frozen_clock.set(issued)
        rating = services.issue_rating(make())
        if rated is not None:
            frozen_clock.set(rated)
            services.submit_rating(services.rating_token(rating), stars=stars)

    mydc = SurveyTemplate.objects.get(code="MYDC")
    xqdc = SurveyTemplate.objects.get(code="XQDC")
    # a survey edited as data: two questions of one factor and one with no factor
    own = SurveyTemplate.objects.create(code="ZDY", name="自定义")
    for i, (code, factor) in enumerate([("G1", "care"), ("G2", "care"), ("G3", "")]):
        SurveyQuestion.objects.create(template=own, code=code, text=code, kind="gap", factor=factor, order=i)
    relation = people["relation"].user

    def gaps(**pairs):
        return {code: {"expected": e, "perceived": p} for code, (e, p) in pairs.items()}

    responses = [
        (
            relation,
            mydc,
            a_key,
            sh(2026, 12, 2, 10),
            {**gaps(F1=(5, 3), F2=(4, 5)), "C1": {"text": "希望更快"}},
        ),
        (keyaccount.user, mydc, a_small, sh(2026, 12, 1, 0, 10), gaps(F1=(3, 4), F5=(4, 4))),
        (
            None,
            mydc,
            b_major,
            sh(2026, 12, 15, 10),
            gaps(F1=(4, 4), F2=(5, 3), F3=(3, 5), F4=(4, 2), F5=(5, 5)),
        ),
        (relation, xqdc, b_major, sh(2026, 12, 10, 10), {"Q1": {"text": "定期保养"}, "Q4": {"value": 4}}),
        (relation, mydc, a_none, sh(2026, 11, 20, 10), gaps(F3=(4, 3), F4=(3, 3))),
        (outsider.user, own, b_small, sh(2026, 12, 31, 23, 30), gaps(G1=(5, 4), G2=(3, 4), G3=(4, 1))),
        (relation, mydc, b_small, sh(2027, 1, 3, 10), gaps(F1=(5, 5))),
    ]
    for actor, template, customer, at, answers in responses:
        frozen_clock.set(at)
        if actor is None:  # a customer's own answers (a campaign link): no collector
            services._store_response(
                actor=None,
                template=template,
                customer=customer,
                answers=answers,
                collected="online",
                answered_at=None,
                visit=None,
            )
        else:
            services.record_response(actor=actor, template=template, customer=customer, answers=answers)
    wc_b_only = staff_factory(roles=["key_account"], work_centres=[org.wc_b], name="钱工")
    return {
        "company": relation,
        "centre_a": keyaccount.user,
        "centre_b": outsider.user,
        "work_centre_b": wc_b_only.user,
        "own": tech.user,
        "leaver": leaver,
    }


# --- the reference: plain Python over the base rows the user may see ----------------------------
def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min, SH), datetime.combine(end + timedelta(days=1), time.min, SH)


def _in_db_order(rows: list[dict], model, key: str, label: str) -> list[dict]:
    """Rows in the order the database sorts their label in (its collation; NULL first on SQLite,
    last on PostgreSQL), as ORDER BY label does."""
    ids = [r[key] for r in rows if r[key] is not None]
    order = list(model.objects.filter(pk__in=ids).order_by("name", "pk").values_list("pk", flat=True))
    known = sorted((r for r in rows if r[key] is not None), key=lambda r: order.index(r[key]))
    unknown = [r for r in rows if r[key] is None]
    return unknown + known if connection.vendor == "sqlite" else known + unknown


def reference_evaluation(user, start: date, end: date, by: str) -> list[dict]:
    from kefu.org.models import SalesOffice, Staff

    lo, hi = _bounds(start, end)
    key, label = ("sales_office_id", "sales_office__name") if by == "office" else ("staff_id", "staff__name")
    groups: dict = {}
    for r in Rating.objects.visible_to(user).select_related("sales_office", "staff"):
        if not lo <= r.issued_at < hi:
            continue
        ident = (
            (r.sales_office_id, r.sales_office.name)
            if by == "office"
            else (
                r.staff_id,
                r.staff.name if r.staff else None,
            )
        )
        g = groups.setdefault(ident, {"issued": 0, "rated": 0, "low": 0, "stars": []})
        g["issued"] += 1
        g["rated"] += r.rated_at is not None
        g["low"] += r.stars is not None and r.stars <= 2
        if r.stars is not None:
            g["stars"].append(r.stars)
    rows = []
    for (ident, name), g in groups.items():
        rate = round(100 * g["rated"] / g["issued"], 1)
        rows.append(
            {
                key: ident,
                label: name,
                "issued": g["issued"],
                "rated": g["rated"],
                "low": g["low"],
                "stars": round(sum(g["stars"]) / len(g["stars"]), 2) if g["stars"] else None,
                "name": name or "—",
                "rate": rate,
                "meets_target": rate >= 80,
            }
        )
    if by == "office":
        # grouped by centre, every rating has one
        return _in_db_order(rows, SalesOffice, key, label)
    return _in_db_order(rows, Staff, key, label)


def reference_stars(user, start: date, end: date) -> list[int]:
    lo, hi = _bounds(start, end)
    counts = Counter(
        r.stars for r in Rating.objects.visible_to(user) if r.rated_at is not None and lo <= r.rated_at < hi
    )
    return [counts[i] for i in range(1, 6)]


def _reference_answers(user, start: date, end: date) -> list[SurveyAnswer]:
    lo, hi = _bounds(start, end)
    responses = {
        s.pk: s
        for s in SurveyResponse.objects.visible_to(user).select_related("sales_office")
        if lo <= s.answered_at < hi
    }
    answers = []
    for a in SurveyAnswer.objects.all():
        if a.response_id in responses and a.gap is not None:
            a.response = responses[a.response_id]
            answers.append(a)
    return answers


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def reference_factors(user, start: date, end: date) -> list[dict]:
    from kefu.surveys.choices import Factor

    answers = _reference_answers(user, start, end)
    out = []
    for code, label in Factor.choices:
        mine = [a for a in answers if a.factor == code]
        out.append(
            {
                "factor": code,
                "label": str(label),
                "n": len(mine),
                "expected": _mean([a.expected for a in mine]),
                "perceived": _mean([a.perceived for a in mine]),
                "gap": _mean([a.gap for a in mine]),
            }
        )
    return out


def reference_gap_by(user, start: date, end: date, group: str) -> list[dict]:
    from kefu.customers.choices import Tier

    groups: dict = {}
    for a in _reference_answers(user, start, end):
        name = a.response.customer_tier if group == "tier" else a.response.sales_office.name
        groups.setdefault(name, []).append(a.gap)
    if group == "tier":
        labels = dict(Tier.choices)
        return [
            {"name": str(labels.get(t, t or "—")), "n": len(g), "gap": _mean(g)}
            for t, g in sorted(groups.items())
        ]
    from kefu.org.models import SalesOffice

    order = list(SalesOffice.objects.filter(name__in=groups).order_by("name").values_list("name", flat=True))
    return [{"name": n, "n": len(groups[n]), "gap": _mean(groups[n])} for n in order]


def assert_results_match(mixed) -> None:
    checked = 0
    for who in ("company", "centre_a", "centre_b", "work_centre_b", "own"):
        user = mixed[who]
        for start, end in PERIODS:
            for by in ("office", "staff"):
                got = queries.evaluation_rate(user, start, end, by=by)
                assert got == reference_evaluation(user, start, end, by), (who, start, end, by)
                checked += len(got)
            assert queries.stars_distribution(user, start, end) == reference_stars(user, start, end)
            assert queries.factor_results(user, start, end) == reference_factors(user, start, end)
            for group in ("tier", "office"):
                got = queries.gap_by(user, start, end, group=group)
                assert got == reference_gap_by(user, start, end, group), (who, start, end, group)
                checked += len(got)
    assert checked > 100  # the data reach every user and period that matters, not only empty ones


# --- the tests -------------------------------------------------------------------------------------
def test_results_equal_a_computation_from_the_base_rows(mixed):
    # the fixture covers what the figures must get right (else the test would prove little)
    company = mixed["company"]
    month = queries.evaluation_rate(company, date(2026, 12, 1), date(2026, 12, 31), by="staff")
    assert {r["name"] for r in month} >= {"王敏", "黄磊", "吴倩", "赵离", "—"}
    assert sum(r["low"] for r in month) == 2 and sum(r["issued"] - r["rated"] for r in month) == 1
    assert queries.evaluation_rate(company, date(2026, 12, 2), date(2026, 12, 2)) == []  # only rated that day
    assert queries.stars_distribution(company, date(2026, 12, 2), date(2026, 12, 2)) == [0, 0, 0, 0, 1]
    assert (
        queries.evaluation_rate(mixed["centre_b"], date(2026, 12, 1), date(2026, 12, 31), by="office") != []
    )
    assert_results_match(mixed)


def test_centre_scoped_users_see_only_their_centres_figures(mixed, org):
    month = (date(2026, 12, 1), date(2026, 12, 31))
    offices = {r["sales_office_id"] for r in queries.evaluation_rate(mixed["centre_b"], *month)}
    assert offices == {org.office_b.pk}
    centres = {r["name"] for r in queries.gap_by(mixed["centre_b"], *month, group="office")}
    assert centres == {org.office_b.name}
    # a work centre's member sees the ratings of that work centre in either centre, no answers
    by_office = {r["sales_office_id"] for r in queries.evaluation_rate(mixed["work_centre_b"], *month)}
    assert by_office == {org.office_a.pk, org.office_b.pk}
    assert queries.factor_results(mixed["work_centre_b"], *month)[0]["n"] == 0


def _tallies() -> tuple[dict, dict]:
    """The tallies as {key: amounts}, the keys with what the queries group and filter by."""
    ratings: dict = {}
    for t in RatingTally.objects.all():
        amounts = (
            t.issued,
            t.rated,
            t.low,
            t.stars_sum,
            t.stars_1,
            t.stars_2,
            t.stars_3,
            t.stars_4,
            t.stars_5,
        )
        key = (t.day, t.sales_office_id, t.work_centre_id, t.staff_id)
        ratings[key] = tuple(map(sum, zip(ratings.get(key, (0,) * 9), amounts, strict=True)))
    answers: dict = {}
    for a in AnswerTally.objects.all():
        key = (a.day, a.template_id, a.sales_office_id, a.collected_by_id, a.customer_tier, a.factor)
        amounts = (a.n, a.expected_sum, a.perceived_sum, a.gap_sum)
        answers[key] = tuple(map(sum, zip(answers.get(key, (0,) * 4), amounts, strict=True)))
    return ratings, answers


def test_a_rebuild_counts_what_the_services_counted(mixed):
    incremental = _tallies()
    assert incremental[0] and incremental[1]
    counted = services.rebuild_tallies()
    assert _tallies() == incremental
    assert counted == {"ratings": RatingTally.objects.count(), "answers": AnswerTally.objects.count()}
    # a range: only its days are recounted, the others are left as they are
    RatingTally.objects.filter(day=date(2026, 12, 1)).update(issued=99)
    RatingTally.objects.filter(day=date(2026, 11, 30)).update(issued=77)
    services.rebuild_tallies(date(2026, 12, 1), date(2026, 12, 3))
    ratings, answers = _tallies()
    assert {k: v for k, v in ratings.items() if k[0] != date(2026, 11, 30)} == {
        k: v for k, v in incremental[0].items() if k[0] != date(2026, 11, 30)
    }
    assert {v[0] for k, v in ratings.items() if k[0] == date(2026, 11, 30)} == {77}
    assert answers == incremental[1]


def test_the_command_recounts_lost_tallies(mixed):
    incremental = _tallies()
    RatingTally.objects.all().delete()
    AnswerTally.objects.all().delete()
    call_command("rebuild_survey_tallies", verbosity=0)
    assert _tallies() == incremental
    assert_results_match(mixed)


def test_issue_and_submit_count_on_the_issue_day_and_the_rated_day(frozen_clock, customer, people, org):
    from kefu.complaints.services import create_complaint

    frozen_clock.set(sh(2026, 12, 1, 0, 30))  # 2026-11-30 16:30 UTC: Shanghai's 1 December
    rating = services.issue_rating(
        create_complaint(actor=people["keyaccount"].user, customer=customer, subject="桌面开裂")
    )
    issued = RatingTally.objects.get()
    assert (issued.day, issued.sales_office_id, issued.staff_id) == (
        date(2026, 12, 1),
        org.office_a.pk,
        rating.staff_id,
    )
    assert (issued.issued, issued.rated, issued.stars_sum) == (1, 0, 0)
    frozen_clock.set(sh(2026, 12, 3, 9))
    token = services.rating_token(rating)
    services.submit_rating(token, stars=2)
    issued.refresh_from_db()
    assert (issued.issued, issued.rated, issued.low, issued.stars_sum, issued.stars_2) == (1, 1, 1, 2, 0)
    rated = RatingTally.objects.get(day=date(2026, 12, 3))
    assert (rated.issued, rated.rated, rated.stars_2, rated.staff_id) == (0, 0, 1, rating.staff_id)
    # the link is single-use: a second submission is refused and counts nothing
    with pytest.raises(RatingLinkUsed):
        services.submit_rating(token, stars=5)
    before = _tallies()
    assert before[0] == {
        (date(2026, 12, 1), org.office_a.pk, None, rating.staff_id): (1, 1, 1, 2, 0, 0, 0, 0, 0),
        (date(2026, 12, 3), org.office_a.pk, None, rating.staff_id): (0, 0, 0, 0, 0, 1, 0, 0, 0),
    }
    # issuing again (a reopened and closed service) keeps the one rating and its one count
    assert services.issue_rating(rating.content_type.get_object_for_this_type(pk=rating.object_id)) == rating
    assert _tallies() == before


def test_answers_count_per_factor_on_the_response_day(frozen_clock, customer, people, org):
    frozen_clock.set(sh(2026, 12, 1, 0, 10))
    template = SurveyTemplate.objects.get(code="MYDC")
    type(customer).objects.filter(pk=customer.pk).update(tier="key")
    customer.refresh_from_db()
    services.record_response(
        actor=people["relation"].user,
        template=template,
        customer=customer,
        answers={"F1": {"expected": 5, "perceived": 3}, "F2": {"expected": 4}, "C1": {"text": "好"}},
    )
    tally = AnswerTally.objects.get()  # F2 half answered and C1 (no satisfaction) count nothing
    assert (tally.day, tally.factor, tally.customer_tier, tally.collected_by_id, tally.sales_office_id) == (
        date(2026, 12, 1),
        "enterprise",
        "key",
        people["relation"].user.pk,
        org.office_a.pk,
    )
    assert (tally.n, tally.expected_sum, tally.perceived_sum, tally.gap_sum) == (1, 5, 3, -2)


def test_a_deleted_persons_figures_join_the_ratings_without_a_person(mixed):
    """A staff member deleted (the admin may): their ratings and tally rows lose the person alike,
    and the figures still equal the ratings' own."""
    leaver = mixed["leaver"]
    pk = leaver.pk
    assert RatingTally.objects.filter(staff_id=pk).exists()
    leaver.delete()
    assert not RatingTally.objects.filter(staff_id=pk).exists()
    assert_results_match(mixed)
    frozen = RatingTally.objects.filter(staff=None).count()
    services.rebuild_tallies()
    assert RatingTally.objects.filter(staff=None).count() <= frozen
    assert_results_match(mixed)


def test_the_nightly_task_recounts_yesterday_and_today(mixed, frozen_clock):
    from kefu.surveys.tasks import recount_tallies

    incremental = _tallies()
    RatingTally.objects.filter(day__in=[date(2026, 12, 4), date(2026, 12, 3), date(2026, 12, 1)]).update(
        issued=50
    )
    frozen_clock.set(sh(2026, 12, 4, 1, 40))
    recount_tallies.call_local()
    ratings, _answers = _tallies()
    assert {v[0] for k, v in ratings.items() if k[0] == date(2026, 12, 1)} == {50}  # older: left alone
    assert {k: v for k, v in ratings.items() if k[0] != date(2026, 12, 1)} == {
        k: v for k, v in incremental[0].items() if k[0] != date(2026, 12, 1)
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables; CI runs this on PostgreSQL",
)
def test_concurrent_submits_lose_no_count_and_a_link_counts_once(org, people, make_customer):
    """Real threads, each with its own connection: eight ratings of one person submitted at once
    all land in the same new tally rows (the upsert's insert-or-add), and two submissions of one
    link at once count once."""
    import threading
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    from kefu.worktime import clock

    now = clock.now()
    ratings = []
    for i in range(8):
        customer = make_customer()  # a rating's service: any record (the timeline notes the rating)
        ratings.append(
            Rating.objects.create(
                content_type=ContentType.objects.get_for_model(customer),
                object_id=customer.pk,
                kind="notification",
                number=f"T{i}",
                customer=customer,
                sales_office=org.office_a,
                work_centre=org.wc_a,
                staff=people["technician"],
                nonce=uuid.uuid4().hex,
                issued_at=now - timedelta(days=1),
                expires_at=now + timedelta(days=30),
            )
        )
    services.rebuild_tallies()  # created past the service: counted as issued by a rebuild
    tokens = [services.rating_token(r) for r in ratings] + [services.rating_token(ratings[0])]
    start = threading.Barrier(len(tokens))
    outcomes: list[object] = []
    lock = threading.Lock()

    def submit(token: str, stars: int) -> None:
        try:
            start.wait()
            services.submit_rating(token, stars=stars)
            result: object = "ok"
        except RatingLinkUsed:
            result = "used"
        except Exception as exc:  # a lost race must be a clear refusal, nothing else
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit, args=(token, 1 + i % 5)) for i, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 8 + ["used"], outcomes
    incremental = _tallies()
    assert sum(v[1] for v in incremental[0].values()) == 8  # rated
    assert sum(sum(v[4:]) for v in incremental[0].values()) == 8  # the stars buckets
    services.rebuild_tallies()
    assert _tallies() == incremental

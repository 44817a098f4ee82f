"""The rating and answer tallies (RatingTally, AnswerTally): counted in each write's transaction
by kefu.surveys.services, the only caller, and recounted set-based from the base rows.

The day of a count is the Asia/Shanghai date the results page's periods are cut by: a rating's
`issued`/`rated`/`low`/`stars_sum` go to its issue day, its `stars_<n>` bucket to the day it was
rated, an answer's sums to the day of its response.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps
from django.db import connections, router, transaction

from kefu.core.tallies import add_to, local_day_sql, lock_for_rebuild
from kefu.surveys.choices import LOW_STARS

SH = ZoneInfo("Asia/Shanghai")


def local_day(moment: datetime) -> date:
    return moment.astimezone(SH).date()


def _rating_key(rating, day: date) -> tuple[dict[str, Any], dict[str, Any]]:
    key = {
        "day": day,
        "sales_office_id": rating.sales_office_id,
        "work_centre_key": rating.work_centre_id or 0,
        "staff_key": rating.staff_id or 0,
    }
    return key, {"work_centre_id": rating.work_centre_id, "staff_id": rating.staff_id}


def count_issued(rating) -> None:
    """A rating link was issued (in the transaction that created the rating)."""
    from kefu.surveys.models import RatingTally

    key, also = _rating_key(rating, local_day(rating.issued_at))
    add_to(RatingTally, key, {"issued": 1}, also=also)


def count_rated(rating, stars: int, rated_at: datetime) -> None:
    """A rating was submitted (in the transaction whose conditional UPDATE took it, so once):
    rated, low and the stars' sum on its issue day, its stars bucket on the day it was rated."""
    from kefu.surveys.models import RatingTally

    by_day: dict[date, dict[str, int]] = defaultdict(dict)
    by_day[local_day(rating.issued_at)].update(
        {"rated": 1, "low": int(stars <= LOW_STARS), "stars_sum": stars}
    )
    by_day[local_day(rated_at)][f"stars_{stars}"] = 1
    for day, amounts in by_day.items():
        key, also = _rating_key(rating, day)
        add_to(RatingTally, key, amounts, also=also)


def count_answers(response, answers) -> None:
    """A response's answers with a satisfaction (perceived − expected), summed per factor (in the
    transaction that stored them)."""
    from kefu.surveys.models import AnswerTally

    by_factor: dict[str, dict[str, int]] = {}
    for answer in answers:
        if answer.gap is None:
            continue
        sums = by_factor.setdefault(
            answer.factor, {"n": 0, "expected_sum": 0, "perceived_sum": 0, "gap_sum": 0}
        )
        sums["n"] += 1
        sums["expected_sum"] += answer.expected or 0
        sums["perceived_sum"] += answer.perceived or 0
        sums["gap_sum"] += answer.gap
    for factor, sums in by_factor.items():
        key = {
            "day": local_day(response.answered_at),
            "template_id": response.template_id,
            "sales_office_id": response.sales_office_id,
            "collected_by_key": response.collected_by_id or 0,
            "customer_tier": response.customer_tier,
            "factor": factor,
        }
        add_to(AnswerTally, key, sums, also={"collected_by_id": response.collected_by_id})


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min, tzinfo=SH), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=SH
    )


def rebuild(
    start: date | None = None, end: date | None = None, *, apps: Any = None, using: str | None = None
) -> dict[str, int]:
    """Recount the tallies of the days `start`…`end` (inclusive; None: open-ended) from the
    ratings and answers: DELETE those days, then one INSERT … SELECT … GROUP BY per tally, in
    one transaction that holds incremental writers back. Returns the rows written per tally.
    `apps`: a migration's app registry (its historical models)."""
    registry = apps or django_apps
    Rating, RatingTally, SurveyResponse, SurveyAnswer, AnswerTally = (
        registry.get_model("surveys", name)
        for name in ("Rating", "RatingTally", "SurveyResponse", "SurveyAnswer", "AnswerTally")
    )
    alias = using or router.db_for_write(RatingTally)
    connection = connections[alias]
    qn = connection.ops.quote_name
    rating, response, answer = (qn(m._meta.db_table) for m in (Rating, SurveyResponse, SurveyAnswer))
    rating_tally, answer_tally = qn(RatingTally._meta.db_table), qn(AnswerTally._meta.db_table)
    issued_day = local_day_sql(f"r.{qn('issued_at')}", SH, connection)
    rated_day = local_day_sql(f"r.{qn('rated_at')}", SH, connection)
    answered_day = local_day_sql(f"s.{qn('answered_at')}", SH, connection)

    def period(column: str) -> tuple[str, list]:
        """`column` (a datetime) within the days start…end, in SQL."""
        conditions, params = ["1 = 1"], []
        if start is not None:
            conditions.append(f"{column} >= %s")
            params.append(connection.ops.adapt_datetimefield_value(_bounds(start, start)[0]))
        if end is not None:
            conditions.append(f"{column} < %s")
            params.append(connection.ops.adapt_datetimefield_value(_bounds(end, end)[1]))
        return " AND ".join(conditions), params

    days, day_params = ["1 = 1"], []
    if start is not None:
        days.append("day >= %s")
        day_params.append(connection.ops.adapt_datefield_value(start))
    if end is not None:
        days.append("day <= %s")
        day_params.append(connection.ops.adapt_datefield_value(end))
    in_days = " AND ".join(days)

    stars = ", ".join(f"stars_{i}" for i in range(1, 6))
    stars_sums = ", ".join(f"SUM(stars_{i})" for i in range(1, 6))
    issued_in, issued_params = period(f"r.{qn('issued_at')}")
    rated_in, rated_params = period(f"r.{qn('rated_at')}")
    # Per rating: one row on its issue day (issued, rated, low, stars) and, once rated, one on the
    # day it was rated (its stars bucket); summed per key.
    bucket = ", ".join(f"CASE WHEN r.stars = {i} THEN 1 ELSE 0 END" for i in range(1, 6))
    ratings_sql = f"""
        INSERT INTO {rating_tally} (day, sales_office_id, work_centre_id, staff_id, work_centre_key,
            staff_key, issued, rated, low, stars_sum, {stars})
        SELECT day, sales_office_id, work_centre_id, staff_id, COALESCE(work_centre_id, 0),
            COALESCE(staff_id, 0), SUM(issued), SUM(rated), SUM(low), SUM(stars_sum), {stars_sums}
        FROM (
            SELECT {issued_day} AS day, r.sales_office_id, r.work_centre_id, r.staff_id, 1 AS issued,
                CASE WHEN r.rated_at IS NULL THEN 0 ELSE 1 END AS rated,
                CASE WHEN r.stars <= {LOW_STARS} THEN 1 ELSE 0 END AS low,
                COALESCE(r.stars, 0) AS stars_sum, 0 AS stars_1, 0 AS stars_2, 0 AS stars_3,
                0 AS stars_4, 0 AS stars_5
            FROM {rating} r WHERE {issued_in}
            UNION ALL
            SELECT {rated_day}, r.sales_office_id, r.work_centre_id, r.staff_id, 0, 0, 0, 0, {bucket}
            FROM {rating} r WHERE r.rated_at IS NOT NULL AND {rated_in}
        ) counted
        GROUP BY day, sales_office_id, work_centre_id, staff_id
    """
    answered_in, answered_params = period(f"s.{qn('answered_at')}")
    answers_sql = f"""
        INSERT INTO {answer_tally} (day, template_id, sales_office_id, collected_by_id,
            collected_by_key, customer_tier, factor, n, expected_sum, perceived_sum, gap_sum)
        SELECT {answered_day}, s.template_id, s.sales_office_id, s.collected_by_id,
            COALESCE(s.collected_by_id, 0), s.customer_tier, a.factor, COUNT(*),
            COALESCE(SUM(a.expected), 0), COALESCE(SUM(a.perceived), 0), SUM(a.gap)
        FROM {answer} a JOIN {response} s ON s.id = a.response_id
        WHERE a.gap IS NOT NULL AND {answered_in}
        GROUP BY 1, s.template_id, s.sales_office_id, s.collected_by_id, s.customer_tier, a.factor
    """
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        lock_for_rebuild(RatingTally, connection)
        lock_for_rebuild(AnswerTally, connection)
        cursor.execute(f"DELETE FROM {rating_tally} WHERE {in_days}", day_params)
        cursor.execute(ratings_sql, [*issued_params, *rated_params])
        ratings = cursor.rowcount
        cursor.execute(f"DELETE FROM {answer_tally} WHERE {in_days}", day_params)
        cursor.execute(answers_sql, answered_params)
        answers = cursor.rowcount
    return {"ratings": ratings, "answers": answers}

"""Demo management data: last month's scorecards (one rated, one signed off), the report
recipient (the general manager) and this week's weekly reports, made through the services."""

from __future__ import annotations

from decimal import Decimal

ORDER = 90

RATING = {
    "att_responsibility": "4.5",
    "att_initiative": "4",
    "att_teamwork": "4.5",
    "att_discipline": "5",
    "abl_knowledge": "4",
    "abl_communication": "4.5",
    "abl_problem": "3.5",
    "abl_adaptability": "4",
}


def load(ctx: dict) -> None:
    from django.utils import timezone

    from kefu.reports import services
    from kefu.reports.models import ReportRecipient, Scorecard

    staff = ctx.get("staff") or {}
    manager = staff.get("manager")
    ReportRecipient.objects.get_or_create(email="gm@huamei.example", defaults={"name": "总经理"})
    period = services.previous_month()
    services.compute_period(period)
    if manager is None:
        return
    for username, sign in (("wangmin", False), ("zhanghua", True)):
        person = staff.get(username)
        card = Scorecard.objects.filter(period_start=period, staff=person).first() if person else None
        if card is None:
            continue
        card = services.rate_scorecard(
            card,
            actor=manager.user,
            points={code: Decimal(v) for code, v in RATING.items()},
            comment="工作认真,客户反馈良好。",
            expected_version=None,
        )
        if sign:
            services.sign_scorecard(card, actor=person.user, comment="同意。", expected_version=card.version)
    today = timezone.localdate()
    for username in ("wangmin", "zhanghua"):
        person = staff.get(username)
        if person is not None:
            services.draft_weekly_report(person, today, actor=person.user)

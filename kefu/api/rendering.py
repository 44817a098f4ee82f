"""One datetime format 时间格式 in every API answer: ISO 8601 in the site's time zone, to the
second, with its offset (2026-12-04T09:30:00+08:00) — whether a value came from the database
(UTC) or from the work calendar (local). Dates stay YYYY-MM-DD; money stays a decimal string."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder


def api_datetime(value: dt.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value).replace(microsecond=0).isoformat()


class KefuJSONEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return api_datetime(o)
        return super().default(o)


class KefuJSONRenderer(JSONRenderer):
    encoder_class = KefuJSONEncoder
    json_dumps_params = {"ensure_ascii": False}

"""A workbench tile's number is the length of the list it links to, for the same user."""

import datetime as dt
import re

import pytest

from kefu.core.homepage import home_context
from kefu.core.testing.scope import client_for
from kefu.workflow.choices import Stage

pytestmark = pytest.mark.django_db


def _listed(client, href: str) -> int:
    """Rows the worklist shows for `href` (all pages)."""
    total, page = 0, 1
    while True:
        html = client.get(f"{href}&page={page}" if "?" in href else f"{href}?page={page}").content.decode()
        rows = len(re.findall(r'<tr data-number="', html))
        total += rows
        if "&page=" + str(page + 1) not in html or not rows:
            return total
        page += 1


def test_every_notification_tile_counts_what_its_worklist_lists(desk):
    desk.z1(urgent=True)
    desk.z1(urgent=True)
    done = desk.z1(urgent=True)
    # closed: not on the open tiles (nor its clock, which the close stops)
    type(done).objects.filter(pk=done.pk).update(stage=Stage.COMPLETED, clock_due=None)
    late = desk.z1()
    type(late).objects.filter(pk=late.pk).update(clock_due=late.created_at - dt.timedelta(hours=1))
    client = client_for(desk.assistant)
    tiles = [c for c in home_context(desk.assistant.user)["cards"] if c["href"].startswith("/notifications/")]
    assert len(tiles) == 4
    for tile in tiles:
        assert tile["value"] == _listed(client, tile["href"]), tile
    urgent = next(c for c in tiles if "urgent=true" in c["href"])
    assert urgent["value"] == 2
    assert next(c for c in tiles if "clock=late" in c["href"])["value"] == 1

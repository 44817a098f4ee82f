"""Whatever bytes arrive, intake has a clear outcome: a record, a person's list, never an exception."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefu.channels import mailparse
from kefu.channels.choices import InboundStatus
from kefu.channels.services import mailin
from kefu.channels.testing.mails import build

VALID = build(
    subject="活动柜锁坏了",
    html="<p>柜子<b>坏了</b></p>",
    attachments=[("锁.jpg", "image/jpeg", b"\xff\xd8\xff photo")],
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_the_parser_reads_or_refuses_any_bytes(raw):
    try:
        parsed = mailparse.parse(raw)
    except mailparse.Unreadable as exc:
        assert str(exc)
        return
    assert parsed.message_id.startswith("<") and "@" in parsed.from_address


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), max_size=30))
def test_a_damaged_mail_is_read_or_refused_never_raises(flips):
    raw = bytearray(VALID)
    for position, value in flips:
        raw[position] = value
    try:
        parsed = mailparse.parse(bytes(raw))
    except mailparse.Unreadable as exc:
        assert str(exc)  # a reason a person can read
    else:
        assert parsed.message_id and "\x00" not in parsed.text


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_intake_of_damaged_mail_always_keeps_it(mailbox, customer, flips):
    raw = bytearray(VALID)
    for position, value in flips:
        raw[position] = value
    mail, _created = mailin.ingest(mailbox, bytes(raw))
    assert mail.pk and mail.status in InboundStatus.values
    if mail.status == InboundStatus.QUARANTINED:
        assert mail.note and bytes(mail.raw)

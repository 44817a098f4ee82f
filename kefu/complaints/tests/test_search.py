"""Keyword search of complaints and accidents through the n-gram index (kefu.core.search)."""

import importlib
from decimal import Decimal

import pytest
from django.db import connection

from kefu.complaints import queries
from kefu.complaints.filtersets import AccidentFilterSet, ComplaintFilterSet
from kefu.complaints.services import create_accident, save_carrier, update_accident, update_complaint
from kefu.core import search
from kefu.core.testing.scope import api_client_for

from .conftest import sh

pytestmark = pytest.mark.django_db


def found(user, term, *, status="all"):
    """Numbers of the complaints `user` finds with the list's keyword filter (open and closed)."""
    filterset = ComplaintFilterSet({"q": term, "open": status}, queryset=queries.complaints_for(user))
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("number", flat=True))


def found_accidents(user, term):
    filterset = AccidentFilterSet({"q": term, "open": "all"}, queryset=queries.accidents_for(user))
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("number", flat=True))


@pytest.fixture
def two(make_complaint, key_customer):
    return make_complaint(subject="活动柜锁坏"), make_complaint(subject="桌面开裂", cust=key_customer)


def test_find_by_chinese_fragment_and_single_character(people, two):
    lock, desk = two
    user = people["specialist"].user
    assert found(user, "锁坏") == {lock.number}  # 2-character Chinese fragment
    assert found(user, "活动柜锁坏") == {lock.number}
    assert found(user, "柜") == {lock.number}  # a 1-character term still works
    assert found(user, "开裂") == {desk.number}
    assert found(user, " 桌面 ") == {desk.number}  # surrounding blanks are ignored


def test_find_by_number_fragment_and_customer(people, two):
    lock, desk = two
    user = people["specialist"].user
    assert found(user, lock.number) == {lock.number}
    assert found(user, desk.number[-4:]) == {desk.number}  # a fragment of the complaint number
    assert found(user, desk.number.lower()) == {desk.number}  # case does not matter
    assert found(user, "保健食品") == {lock.number}  # customer name
    assert found(user, "大客户") == {desk.number}
    assert found(user, "2110050008") == {desk.number}  # customer number
    assert found(user, "211005000") == {lock.number, desk.number}  # and its fragment


def test_a_term_that_matches_nothing(people, two):
    user = people["specialist"].user
    assert found(user, "不存在的词") == set()
    assert found(user, "锁坏桌面") == set()  # not across two complaints
    assert found(user, "锁坏申齐") == set()  # nor across two fields of one
    assert found(user, "") == {c.number for c in two}  # an empty term does not filter


def test_an_edited_complaint_is_found_by_its_new_subject_only(people, make_complaint):
    complaint = make_complaint(subject="活动柜锁坏")
    update_complaint(
        complaint, actor=people["specialist"].user, expected_version=complaint.version, subject="气杆下沉"
    )
    user = people["specialist"].user
    assert found(user, "气杆") == {complaint.number}
    assert found(user, "锁坏") == set()


def test_a_renamed_customer_finds_its_complaints_by_the_new_name(people, make_complaint, customer):
    from kefu.customers.services import update_customer

    complaint = make_complaint()
    update_customer(customer, actor=None, expected_version=customer.version, name="上海鑫源贸易有限公司")
    user = people["specialist"].user
    assert found(user, "鑫源") == {complaint.number}
    assert found(user, "申齐") == set()


def test_search_stays_in_scope(people, make_complaint, org):
    from kefu.customers.models import Customer

    ours = make_complaint(subject="活动柜锁坏")
    tianjin = Customer.objects.create(number="2110060001", name="天津申齐分公司", sales_office=org.office_b)
    theirs = make_complaint(actor=people["outsider"], cust=tianjin, subject="活动柜锁坏")
    assert found(people["specialist"].user, "锁坏") == {ours.number}  # another centre's is not found
    assert found(people["specialist"].user, "申齐") == {ours.number}
    assert found(people["outsider"].user, "锁坏") == {theirs.number}
    assert found(people["manager"].user, "锁坏") == {ours.number, theirs.number}
    api = api_client_for(people["specialist"]).get("/api/v1/complaints/", {"q": "锁坏", "open": "all"})
    assert [row["number"] for row in api.json()["items"]] == [ours.number]


def test_a_masked_reader_cannot_find_a_complaint_by_hidden_phone_digits(people, make_complaint):
    # the contact phone is shown 139****5678 to the specialist: its hidden digits find nothing
    make_complaint(contact_name="张伟", contact_phone="13912345678")
    make_complaint()  # contact phone taken over from the customer: 13812345678
    masked = people["specialist"].user
    assert not masked.has_perm("customers.view_personal_data")
    for digits in ("1234", "12345678", "13912345678", "139-1234-5678", "3812345"):
        assert found(masked, digits) == set()
    api = api_client_for(people["specialist"]).get("/api/v1/complaints/", {"q": "1234", "open": "all"})
    assert api.json()["count"] == 0


def test_migration_fills_the_index_from_existing_rows(people, make_complaint):
    complaint = make_complaint(subject="赠品未送")
    search.remove_documents(queries.COMPLAINT_INDEX, [complaint.pk])
    assert found(people["specialist"].user, "赠品") == set()

    class Editor:  # what install() and the fill need of a schema editor
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration = importlib.import_module("kefu.complaints.migrations.0005_search_indexes")
    from django.apps import apps

    migration.install(apps, Editor())
    assert found(people["specialist"].user, "赠品") == {complaint.number}


def test_generated_complaints_are_searchable(people, customer):
    import random

    from kefu.complaints import generate
    from kefu.complaints.models import Complaint

    assert generate.run({"complaints": 3}, {"rng": random.Random(7), "batch": 2}) == 3
    numbers = set(Complaint.objects.values_list("number", flat=True))
    assert found(people["manager"].user, "申齐保健") == numbers
    assert found(people["manager"].user, "KSG") == numbers


# --- accidents ---------------------------------------------------------------------------------
@pytest.fixture
def carrier(people):
    return save_carrier(actor=people["manager"].user, code="CY001", name="顺达物流有限公司", status="active")


@pytest.fixture
def accident(frozen_clock, people, org, carrier):
    frozen_clock.set(sh(2026, 11, 23, 10, 5))
    return create_accident(
        actor=people["assistant"].user,
        kind="damage",
        occurred_at=sh(2026, 11, 23, 10, 0),
        place="北京朝阳仓",
        description="运输途中破损",
        sales_office=org.office_a,
        estimated_loss=Decimal("500.00"),
        carrier=carrier,
        shipment="30001234",
    )


def test_accidents_are_found_by_place_shipment_number_and_carrier(people, accident):
    user = people["assistant"].user
    assert found_accidents(user, "朝阳") == {accident.number}
    assert found_accidents(user, "仓") == {accident.number}
    assert found_accidents(user, "0012") == {accident.number}  # shipment fragment
    assert found_accidents(user, accident.number[-3:]) == {accident.number}
    assert found_accidents(user, "顺达") == {accident.number}
    assert found_accidents(user, "天津港") == set()
    assert found_accidents(people["outsider"].user, "朝阳") == set()  # another centre's


def test_accident_index_follows_edits_and_carrier_renames(people, accident, carrier):
    user = people["assistant"].user
    update_accident(accident, actor=user, expected_version=accident.version, place="天津港")
    assert found_accidents(user, "天津") == {accident.number}
    assert found_accidents(user, "朝阳") == set()
    save_carrier(
        actor=people["manager"].user, carrier=carrier, expected_version=carrier.version, name="安捷快运"
    )
    assert found_accidents(user, "安捷") == {accident.number}
    assert found_accidents(user, "顺达") == set()

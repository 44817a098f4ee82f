"""`manage.py generate --customers`: generated customers look like created ones."""

import random

from kefu.core import search
from kefu.customers import events, generate
from kefu.customers.models import Customer
from kefu.customers.services import SEARCH_INDEX
from kefu.timeline.models import TimelineEvent


def test_generated_customers_are_searchable_with_history(org, staff_factory, make_customer):
    staff_factory(roles=["assistant"], offices=[org.office_a], work_centres=[org.wc_a])
    made = make_customer()
    assert generate.run({"customers": 25}, {"rng": random.Random(7), "batch": 10, "stdout": None}) == 25
    generated = list(Customer.objects.exclude(pk=made.pk).order_by("number"))
    assert [c.number for c in generated] == [str(generate.FIRST_NUMBER + i) for i in range(25)]
    created = TimelineEvent.objects.filter(event_type=events.CREATED.code, content_type__model="customer")
    by_customer = {e.object_id: e.data for e in created}
    assert set(by_customer[generated[0].pk]) == set(by_customer[made.pk])
    assert by_customer[generated[3].pk]["name"] == generated[3].name
    one = generated[7]
    for term in (one.name[2:5], one.mobile[-6:], one.number):
        hits = search.substring_filter(Customer.objects.all(), term, index=SEARCH_INDEX)
        assert one in hits
    # the id sequence moved on: the next customer saves
    assert make_customer(name="后来的客户有限公司").pk > max(c.pk for c in generated)


def test_generated_customers_get_a_sales_feed_that_drives_the_pyramid(org, staff_factory):
    """h-value: `--sales-months 12` bulk-loads a year of monthly sales; the recompute ranks them."""
    from kefu.customers import services
    from kefu.customers.models import MonthlySales

    staff_factory(roles=["assistant"], offices=[org.office_a], work_centres=[org.wc_a])
    options = {"customers": 30, "sales_months": 12}
    assert generate.run(options, {"rng": random.Random(3), "batch": 10, "stdout": None}) == 30
    assert MonthlySales.objects.count() == 30 * 12
    assert MonthlySales.objects.values("customer_id", "period").distinct().count() == 360
    services.recompute_value_classification()
    assert Customer.objects.exclude(tier="").count() == 30
    assert Customer.objects.filter(sales_through__isnull=False).count() == 30

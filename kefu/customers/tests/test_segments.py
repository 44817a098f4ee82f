"""Customer segmentation 客户分类: words from centres, k by silhouette, the decision tree's held-out
accuracy, the stored run, the customer-list filter, the page, the API and the visit-rule condition."""

from decimal import Decimal

import numpy as np
import pytest
from django.utils import translation

from kefu.core.testing.scope import client_for
from kefu.customers import segmentation as seg
from kefu.customers import services
from kefu.customers.choices import SegmentRunStatus
from kefu.customers.models import Customer, CustomerSegment, Segment


def test_a_segment_is_described_in_words_from_its_centre():
    # value +1.2σ, frequency -0.8σ, complaints +1.0σ; the rest within half a σ of the mean
    traits = seg.traits_from_centre(np.array([1.2, -0.8, 0.2, 1.0, 0.1, -0.3]))
    assert traits == ["value+", "frequency-", "complaints+"]
    with translation.override("zh-hans"):
        assert seg.describe(traits) == "高价值·低频·近期有投诉"
        assert seg.describe(seg.traits_from_centre(np.zeros(6))) == "一般客户"
    with translation.override("en"):
        assert seg.describe(traits) == "high value·infrequent·recent complaints"


def test_at_most_three_strongest_traits_and_no_complaints_never_named_alone():
    traits = seg.traits_from_centre(np.array([0.6, 0.7, -2.0, -3.0, 0.9, 0.55]))
    assert traits == ["frequency+", "recency-", "satisfaction+"]


def test_k_is_chosen_by_silhouette_on_synthetic_blobs():
    rng = np.random.default_rng(1)
    centres = np.array([[0, 0, 0, 0, 0, 0], [8, 8, 0, 0, 0, 0], [0, 8, 8, 0, 0, 8], [8, 0, 0, 8, 8, 0]])
    x = np.vstack([c + rng.normal(0, 0.5, size=(150, 6)) for c in centres]).astype(np.float32)
    result = seg.cluster(x, k_min=2, k_max=7, sample=400)
    assert result.k == 4
    assert result.silhouettes[4] == max(result.silhouettes.values())
    assert sorted(np.bincount(result.labels).tolist()) == [150, 150, 150, 150]


def test_the_decision_tree_reports_its_accuracy_on_held_out_rows():
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 100, size=(400, 6)).astype(np.float32)
    labels = np.where(x[:, 0] > 60, "A", np.where(x[:, 0] > 30, "B", "C"))
    new = np.array([[90, 1, 1, 1, 1, 1], [10, 1, 1, 1, 1, 1]], dtype=np.float32)
    tree = seg.classify(x, labels, new)
    assert tree.test_size == 100  # 25 % held out
    assert tree.accuracy is not None and tree.accuracy >= 0.95
    assert tree.proposals.tolist() == ["A", "C"]
    assert "Value" in tree.rules or "价值" in tree.rules


def test_too_few_labelled_customers_give_no_accuracy():
    tree = seg.classify(np.ones((3, 6)), np.array(["A", "A", "B"]), np.ones((1, 6)))
    assert tree.accuracy is None and tree.test_size == 0


# --- the stored run ------------------------------------------------------------------------------
@pytest.fixture
def graded_customers(make_customer):
    """Thirty customers in two clear groups: big and satisfied (A) and small and unhappy (C),
    plus four ungraded newcomers, two of each kind."""
    made = []
    for i in range(34):
        big = i % 2 == 0
        c = make_customer(name=f"客户{i:02d}")
        Customer.objects.filter(pk=c.pk).update(
            value_amount=Decimal(500000 + i * 1000) if big else Decimal(1000 + i * 10),
            satisfaction=95 if big else 40,
            grade=("" if i >= 30 else ("A" if big else "C")),
        )
        made.append(c)
    return made


@pytest.mark.django_db
def test_a_run_stores_segments_memberships_and_the_tree(graded_customers):
    run = services.start_segmentation(actor=None, params={"k_max": 4})
    run = services.run_segmentation(run)
    assert run.status == SegmentRunStatus.DONE
    assert run.customer_count == 34
    assert run.k == 2
    assert CustomerSegment.objects.filter(run=run).count() == 34
    segments = list(Segment.objects.filter(run=run).order_by("number"))
    assert sorted(s.size for s in segments) == [17, 17]
    big = next(s for s in segments if s.centre["value"] > 100000)
    assert "value+" in big.traits and "satisfaction+" in big.traits
    assert run.classifier_label == "grade"
    assert run.classifier_accuracy == 1.0 and run.classifier_test_size == 8
    proposed = dict(
        CustomerSegment.objects.filter(run=run, customer__in=graded_customers[30:]).values_list(
            "customer_id", "proposed_grade"
        )
    )
    assert [proposed[c.pk] for c in graded_customers[30:]] == ["A", "C", "A", "C"]


@pytest.mark.django_db
def test_bad_parameters_name_the_field_and_record_nothing():
    from kefu.core.errors import ValidationFailed
    from kefu.customers.models import SegmentRun

    with pytest.raises(ValidationFailed) as err:
        services.start_segmentation(actor=None, params={"k_min": 5, "k_max": 3})
    assert "k_max" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.start_segmentation(actor=None, params={"sample": "many"})
    assert "sample" in err.value.fields
    assert not SegmentRun.objects.exists()


@pytest.mark.django_db
def test_segment_filters_the_customer_list_page_and_api(graded_customers, manager, outsider):
    run = services.run_segmentation(services.start_segmentation(actor=None, params={"k_max": 3}))
    big = next(s for s in run.segments.all() if "value+" in s.traits)
    client = client_for(manager)
    page = client.get(f"/customers/?segment={big.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "客户00" in html and "客户01" not in html
    api = client.get(f"/api/v1/customers/?segment={big.pk}&limit=100").json()
    assert {row["name"] for row in api["items"]} == {f"客户{i:02d}" for i in range(0, 34, 2)}
    # the filter keeps the reader's scope: an assistant of another centre sees none of them
    other = client_for(outsider).get(f"/api/v1/customers/?segment={big.pk}").json()
    assert other["items"] == []


@pytest.mark.django_db
def test_segments_page_and_api_for_manager_only(graded_customers, manager, assistant):
    client = client_for(manager)
    assert client.get("/api/v1/customers/segments/current").status_code == 404
    started = client.post("/api/v1/customers/segments/runs", {"k_max": 3}, content_type="application/json")
    assert started.status_code == 202
    body = started.json()
    assert body["status"] == "done" and body["k"] == 2 and len(body["segments"]) == 2
    assert body["classifier_accuracy"] == 1.0
    current = client.get("/api/v1/customers/segments/current").json()
    assert current["id"] == body["id"]
    assert client.get(f"/api/v1/customers/segments/runs/{body['id']}").status_code == 200
    assert client.get("/api/v1/customers/segments/runs/999999").status_code == 404
    bad = client.post(
        "/api/v1/customers/segments/runs", {"k_min": 9, "k_max": 2}, content_type="application/json"
    )
    assert bad.status_code == 400 and "k_max" in bad.json()["error"]["fields"]
    with translation.override("zh-hans"):
        page = client.get("/customers/segments/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert "segment-chart" in page.content.decode()
    assert client_for(assistant).get("/customers/segments/").status_code == 403
    assert client_for(assistant).get("/api/v1/customers/segments/current").status_code == 403
    assert (
        client_for(assistant)
        .post("/api/v1/customers/segments/runs", {}, content_type="application/json")
        .status_code
        == 403
    )

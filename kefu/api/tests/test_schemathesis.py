"""Schemathesis 模糊测试 against the API's own OpenAPI document, with a token of the manager: no
generated request — valid or not — may answer 5xx, a status the document does not list, or a
body that does not match its documented schema.

CI runs a few derandomized examples. To fuzz harder locally (never in CI), set
KEFU_FUZZ_EXAMPLES=200, KEFU_FUZZ_RANDOM=1 (then `--hypothesis-seed=N` picks the seed),
KEFU_FUZZ_ROLE=assistant|technician|supervisor|customer, KEFU_FUZZ_NEGATIVE=1 (also check that
input the document forbids is refused), KEFU_FUZZ_POSITIVE=1 (and that input it allows is not
answered 400), KEFU_FUZZ_PATH=<regex> (only the paths it matches)."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from kefu.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
if os.environ.get("KEFU_FUZZ_PATH"):  # a regular expression: fuzz only the paths it matches
    schema = schema.include(path_regex=os.environ["KEFU_FUZZ_PATH"])


@pytest.fixture
def in_test_transaction():
    """Requests go straight to the WSGI handler here, not through Django's test client, so keep
    its end-of-request hook from closing the test's database connection (on PostgreSQL it would
    close the connection holding the test's transaction), as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


MAX_EXAMPLES = int(os.environ.get("KEFU_FUZZ_EXAMPLES", "8"))
DERANDOMIZE = not os.environ.get("KEFU_FUZZ_RANDOM")
ROLE = os.environ.get("KEFU_FUZZ_ROLE", "manager")
NEGATIVE = bool(os.environ.get("KEFU_FUZZ_NEGATIVE"))
POSITIVE = bool(os.environ.get("KEFU_FUZZ_POSITIVE"))


@pytest.fixture
def token(org, staff_factory, in_test_transaction):
    from kefu.api.services import create_token

    if ROLE == "customer":
        from kefu.portal.tests.conftest import make_account
        from kefu.tickets.tests.factories import make_desk

        desk = make_desk(org, staff_factory)
        user = make_account(desk, desk.customer, "zhang@shenqi.example.cn").user
    elif ROLE == "manager":
        from kefu.customers.models import Customer

        user = staff_factory(roles=["manager"], name="李建国").user
        Customer.objects.create(number="2110050007", name="申齐保健食品有限公司", sales_office=org.office_a)
    else:
        from kefu.tickets.tests.factories import make_desk

        desk = make_desk(org, staff_factory)
        user = staff_factory(
            roles=[ROLE], offices=[org.office_a], work_centres=[org.wc_a], name="测试角色"
        ).user
    _token, key = create_token(actor=user, name="schemathesis")
    return key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_what_it_documents(case, token):
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    if NEGATIVE:
        checks.append(negative_data_rejection)
    if POSITIVE:
        checks.append(positive_data_acceptance)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Host": "127.0.0.1"},
        checks=checks,
        # Query filters (grades, orderings, codes) are plain strings in the document and checked
        # by the filtersets: a value the document allows may still be a 400 naming the field.
        excluded_checks=([] if POSITIVE else [positive_data_acceptance])
        + ([] if NEGATIVE else [negative_data_rejection]),
    )

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from kefu.org.demo import DEMO_PASSWORD
from kefu.org.models import Role, SalesOffice, SalesOrganization, Staff, WorkCentre


# Every transactional test is serialized_rollback: it starts from the data migrations' rows (types,
# codes, profiles) whatever transactional test flushed the database before it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_loads_the_company_once():
    call_command("demo", verbosity=0)
    assert SalesOrganization.objects.count() == 3
    assert SalesOffice.objects.count() == 6
    assert WorkCentre.objects.filter(code="S4002").exists()
    assert Staff.objects.count() >= 25
    wangmin = Staff.objects.get(personnel_number="202")
    assert wangmin.name == "王敏" and wangmin.work_centres.filter(code="S4002").exists()
    used_roles = set(Role.objects.filter(group__user__staff__isnull=False).values_list("code", flat=True))
    assert used_roles == set(Role.objects.values_list("code", flat=True)), "every role has a demo user"
    assert get_user_model().objects.get(username="assistant").check_password(DEMO_PASSWORD)
    count = Staff.objects.count()
    call_command("demo", "--if-empty", verbosity=0)
    assert Staff.objects.count() == count

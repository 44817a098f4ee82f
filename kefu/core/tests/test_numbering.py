import pytest

from kefu.core.errors import KefuError
from kefu.core.models import NumberRange
from kefu.core.numbering import next_number


@pytest.mark.django_db
def test_numbers_are_consecutive_from_the_range():
    NumberRange.objects.create(code="Z1", name="Z1", next_value=1000021)
    assert next_number("Z1") == ["1000021"]
    assert next_number("Z1", count=2) == ["1000022", "1000023"]


@pytest.mark.django_db
def test_missing_range_is_created_from_defaults_with_prefix_and_width():
    assert next_number("ZFW", defaults={"prefix": "ZFW", "next_value": 7, "width": 6}) == ["ZFW000007"]
    assert NumberRange.objects.get(code="ZFW").next_value == 8


@pytest.mark.django_db
def test_exhausted_range_is_refused_and_unchanged():
    NumberRange.objects.create(code="small", name="small", next_value=9, last_value=9)
    assert next_number("small") == ["9"]
    with pytest.raises(KefuError) as error:
        next_number("small")
    assert error.value.code == "number_range_exhausted"
    assert NumberRange.objects.get(code="small").next_value == 10

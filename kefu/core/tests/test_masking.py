from hypothesis import given
from hypothesis import strategies as st

from kefu.core.masking import mask_address, mask_email, mask_id_number, mask_phone


def test_mobile_is_masked_in_the_middle():
    assert mask_phone("13812345678") == "138****5678"


def test_landline_keeps_area_code_and_last_two_digits():
    assert mask_phone("010-62345678") == "010-******78"


def test_short_values_are_hidden_entirely():
    assert mask_phone("12345") == "*****"
    assert mask_id_number("1234") == "****"


def test_email_keeps_first_letter_and_domain():
    assert mask_email("wangmin@huamei.example") == "w***@huamei.example"


def test_id_number_keeps_four_at_each_end():
    assert mask_id_number("110101199003071234") == "1101**********1234"


def test_address_keeps_region_only():
    assert mask_address("北京市朝阳区建国路88号SOHO现代城") == "北京市朝阳区****"


@given(st.text(alphabet="0123456789", min_size=7, max_size=15))
def test_masked_phone_never_contains_the_middle_digits(number):
    masked = mask_phone(number)
    assert len(masked) == len(number)
    assert "*" in masked
    assert masked != number


def test_mobile_with_country_code_keeps_prefix():
    assert mask_phone("+86 138 1234 5678") == "+86 138 **** 5678"

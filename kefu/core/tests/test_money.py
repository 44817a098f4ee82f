from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from kefu.core.templatetags.kefu import money


def test_money_has_two_places_and_thousands_separators():
    assert money(Decimal("13299.9900000000")) == "13,299.99"
    assert money("1299.99000000000") == "1,299.99"
    assert money(0) == "0.00"
    assert money(None) == "—" and money("") == "—"


def test_money_is_a_builtin_filter_of_every_template():
    with translation.override("zh-hans"):
        rendered = Template("¥{{ v|money }}").render(Context({"v": Decimal("4800")}))
    assert rendered == "¥4,800.00"

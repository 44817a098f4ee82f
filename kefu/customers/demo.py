"""Demo customers 演示客户: ~300 realistic customers of 华美家具 in the six demo responsibility centres.

Includes seed 004's own customer 2110050007 申齐保健食品有限公司 (office 4002). Puts
`ctx["customers"]` ({number: Customer}) for later apps' demo data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kefu.customers import services

ORDER = 20

# office code → (city, area code, districts, postal prefix, staff usernames: responsible, key-account)
CITIES = {
    "4002": (
        "北京市",
        "010",
        ["朝阳区", "海淀区", "东城区", "丰台区", "通州区"],
        "100",
        ["assistant", "wangmin"],
        "keyaccount",
    ),
    "4003": (
        "天津市",
        "022",
        ["和平区", "河西区", "南开区", "滨海新区"],
        "300",
        ["tj_assistant", "tj_tech"],
        None,
    ),
    "5001": (
        "上海市",
        "021",
        ["浦东新区", "徐汇区", "静安区", "闵行区"],
        "200",
        ["sh_assistant", "sh_tech"],
        None,
    ),
    "5002": (
        "杭州市",
        "0571",
        ["西湖区", "上城区", "滨江区", "余杭区"],
        "310",
        ["hz_assistant", "hz_tech"],
        None,
    ),
    "6001": (
        "广州市",
        "020",
        ["天河区", "越秀区", "海珠区", "番禺区"],
        "510",
        ["gz_assistant", "gz_tech"],
        "gz_keyaccount",
    ),
    "6002": (
        "深圳市",
        "0755",
        ["南山区", "福田区", "罗湖区", "宝安区"],
        "518",
        ["sz_assistant", "sz_tech"],
        "gz_keyaccount",
    ),
}
BRAND = list("华盛鑫源泰丰恒达明宏嘉瑞诚信安博远通鼎佳联创新宇辉金")
INDUSTRIES = [
    ("科技", "软件和信息技术服务业", "计算机软硬件开发、技术服务"),
    ("贸易", "批发和零售业", "日用百货、办公家具销售"),
    ("酒店管理", "住宿和餐饮业", "酒店管理、餐饮服务"),
    ("教育咨询", "教育", "教育信息咨询、培训服务"),
    ("医疗器械", "制造业", "医疗器械销售及维修"),
    ("物流", "交通运输、仓储和邮政业", "普通货运、仓储服务"),
    ("建筑装饰工程", "建筑业", "室内外装饰装修工程"),
    ("银行支行", "金融业", "金融服务"),
    ("房地产开发", "房地产业", "房地产开发经营、物业管理"),
    ("食品", "制造业", "食品生产及销售"),
]
ROADS = [
    "建国路",
    "中山路",
    "人民路",
    "解放路",
    "长江路",
    "和平路",
    "科技园路",
    "世纪大道",
    "滨江大道",
    "文化路",
]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐")
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "志强",
    "海燕",
]
POSITIONS = ["采购经理", "行政主管", "总经理", "办公室主任", "后勤负责人", "财务经理"]
CHANNELS = ["dealer", "out_of_town", "end_user", "online"]
MAIL_DOMAINS = ["163.com", "qq.com", "sina.com", "huamei-kh.cn"]
RELATIONS = ["transactional", "contract", "alliance"]


# 154, 174 and 179 are not mobile ranges in China's numbering plan: take a neighbour (same draws).
UNALLOCATED = {("5", 4): 5, ("7", 4): 7, ("7", 9): 8}


def _mobile(rng) -> str:
    second, third = rng.choice("3578"), rng.randint(0, 9)
    third = UNALLOCATED.get((second, third), third)
    return f"1{second}{third}{rng.randint(0, 99999999):08d}"


def _landline(rng, area: str) -> str:
    return f"{area}-{rng.randint(2, 8)}{rng.randint(0, 9999999):07d}"


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def load(ctx: dict) -> None:
    rng = ctx["rng"]
    offices = ctx["offices"]
    staff = ctx["staff"]
    customers: dict[str, object] = {}
    now = timezone.now()
    today = timezone.localdate()

    def make(
        number: str, name: str, office: str, *, nature: str = "organisation", key: bool = False, **extra
    ):
        city, area, districts, postal, people, kam = CITIES[office]
        district = rng.choice(districts)
        industry = rng.choice(INDUSTRIES)
        since = today - dt.timedelta(days=rng.randint(30, 365 * 9))
        value = Decimal(int(rng.lognormvariate(11, 1.3))).quantize(Decimal("1"))
        values = {
            "name": name,
            "nature": nature,
            "sales_office": offices[office],
            "responsible": staff.get(rng.choice(people)),
            "phone": _landline(rng, area) if nature == "organisation" else "",
            "mobile": _mobile(rng),
            "email": f"service{rng.randint(100, 999)}@{rng.choice(MAIL_DOMAINS)}",
            "address": f"{city}{district}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
            "postal_code": f"{postal}{rng.randint(0, 999):03d}",
            "region": f"{city}{district}",
            "industry": industry[1] if nature == "organisation" else "",
            "business_scope": industry[2] if nature == "organisation" else "",
            "registered_capital": Decimal(rng.choice([50, 100, 200, 500, 1000, 5000])) * 10000
            if nature == "organisation"
            else None,
            "legal_representative": _person(rng) if nature == "organisation" else "",
            "channel": rng.choice(CHANNELS),
            "relation": rng.choice(RELATIONS),
            "maturity": "potential" if rng.random() < 0.1 else "actual",
            "cooperation_since": since,
            "credit_rating": rng.choice(["AAA", "AA", "A", "B", "C"]),
            "credit_limit": Decimal(rng.choice([0, 50000, 100000, 200000, 500000])),
            "payment_behaviour": rng.choice(["prompt", "prompt", "slow", "late"]),
            "volume": value * Decimal(rng.choice([2, 3, 5])),
            "satisfaction": rng.randint(55, 100),
            "loyalty": rng.randint(40, 100),
            "is_key_account": key,
            "key_account_manager": staff.get(kam) if key and kam else None,
            "value_amount": value,
            "value_previous": value
            * Decimal(rng.choice(["0.8", "0.9", "1", "1.05", "1.1", "1.2", "1.3", "1.8"])),
            "last_contact_at": now
            - dt.timedelta(days=rng.randint(0, 80) if rng.random() < 0.93 else rng.randint(100, 300)),
            "needs": rng.choice(["", "明年计划新增办公家具采购", "关注售后响应速度", "希望提供季度上门保养"]),
        }
        values.update(extra)
        contacts = [
            {
                "name": _person(rng),
                "position": rng.choice(POSITIONS),
                "mobile": _mobile(rng),
                "is_primary": True,
            }
            for _ in range(rng.choice([1, 1, 2]))
        ]
        addresses = []
        if nature == "organisation" and rng.random() < 0.4:
            addresses.append(
                {
                    "code": "FL-01",
                    "name": rng.choice(["总部办公室", "仓库", "分店", "门店"]),
                    "address": f"{city}{rng.choice(districts)}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
                    "region": city,
                    "contact_name": _person(rng),
                    "contact_phone": _mobile(rng),
                }
            )
        customer = services.create_customer(
            actor=None, number=number, contacts=contacts, addresses=addresses, **values
        )
        customers[customer.number] = customer
        return customer

    make(
        "2110050007",
        "申齐保健食品有限公司",
        "4002",
        key=True,
        phone="010-65881234",
        mobile="13801015678",
        address="北京市朝阳区建国路88号",
        region="北京市朝阳区",
        industry="制造业",
        business_scope="保健食品生产、销售",
        value_amount=Decimal("2600000"),
        value_previous=Decimal("2400000"),
    )
    serial = 8
    for office in CITIES:
        city = CITIES[office][0][:2]
        for i in range(50):
            if i % 6 == 5:
                name, nature = _person(rng), "individual"
            else:
                industry = rng.choice(INDUSTRIES)[0]
                name, nature = (
                    f"{city}{rng.choice(BRAND)}{rng.choice(BRAND)}{industry}有限公司",
                    "organisation",
                )
            if name in {getattr(c, "name", "") for c in customers.values()}:
                name = (
                    f"{name[:-4]}{rng.choice(BRAND)}有限公司"
                    if nature == "organisation"
                    else name + "（个人）"
                )
            number = f"21100{int(office) % 100:02d}{serial:03d}"
            serial += 1
            make(number, name, office, nature=nature, key=i < 2)
    # A few customers the warnings must catch: silent for months, value halved, many complaints.
    quiet = customers["2110050007"]
    for customer in list(customers.values())[5:9]:
        type(quiet).objects.filter(pk=customer.pk).update(
            last_contact_at=now - dt.timedelta(days=200), complaints_90d=4, open_complaints=2
        )
    _sales_year(rng, customers, today)
    services.recompute_grades(actor=None)
    # Values from a year of sales, the pyramid, key customers (≥ 2,000 yuan a month) and warnings.
    services.recompute_value_classification(actor=None, today=today)
    ctx["customers"] = customers


# Seasonality of office furniture sales (year-end purchasing, the spring move season), per month.
SEASON = {
    1: "0.8",
    2: "0.6",
    3: "1.1",
    4: "1.0",
    5: "1.0",
    6: "0.95",
    7: "0.9",
    8: "0.9",
    9: "1.1",
    10: "1.0",
}
SEASON |= {11: "1.15", 12: "1.4"}


def _sales_year(rng, customers: dict, today: dt.date) -> None:
    """Fifteen months of sales 销售额 per demo customer (the year the value averages, and the quarter
    before it for the drop warning), around its value; one in twelve falls by half in the last
    quarter and one in forty doubles, so the pyramid moves and the warnings have work to do."""
    from kefu.customers.models import MonthlySales

    end = services.value_window(today, 12)["end"]
    rows = []
    for i, customer in enumerate(customers.values()):
        # Monthly sales around a tenth of the yearly value measure: some one customer in seven
        # reaches seed 004's 2,000 yuan a month (大客户), the pyramid's top fifth is 关键客户.
        monthly = customer.value_amount / 120
        trend = Decimal("0.5") if i % 12 == 7 else Decimal(2) if i % 40 == 11 else Decimal(1)
        for back in range(15):
            period = services.add_months(end, -back)
            factor = Decimal(SEASON[period.month]) * Decimal(str(round(rng.uniform(0.75, 1.25), 3)))
            if back < 3:
                factor *= trend
            amount = (monthly * factor).quantize(Decimal("0.01"))
            rows.append(MonthlySales(customer=customer, period=period, amount=amount, source="demo"))
    MonthlySales.objects.bulk_create(rows, batch_size=2000)

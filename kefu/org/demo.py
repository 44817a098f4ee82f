"""The demo company 演示数据: 华美家具 (Huamei Furniture), 3 branches, 6 responsibility centres, 25 staff.

Seed 004's own codes are kept where it gives them: branch F011, channel 10, division 02,
office 4002, group 002, business areas 1001/1002, work centre S4002, 202 王敏.
"""

from __future__ import annotations

from kefu.org.choices import DepartmentKind
from kefu.org.models import (
    BusinessArea,
    Department,
    DistributionChannel,
    Division,
    SalesGroup,
    SalesOffice,
    SalesOrganization,
    Staff,
    WorkCentre,
)
from kefu.org.services import create_staff

ORDER = 10
DEMO_PASSWORD = "Kefu@2026"

BRANCHES = [
    ("F011", "华北分公司", "bj", [("4002", "北京朝阳责任中心", "1002"), ("4003", "天津责任中心", "1001")]),
    ("F021", "华东分公司", "sh", [("5001", "上海浦东责任中心", "1002"), ("5002", "杭州责任中心", "1001")]),
    ("F031", "华南分公司", "gz", [("6001", "广州天河责任中心", "1002"), ("6002", "深圳责任中心", "1001")]),
]

# username, personnel number, name, roles, office codes, work centre codes, title
STAFF = [
    ("admin", "001", "系统管理员", ["administrator"], [], [], "系统管理员"),
    ("manager", "101", "李建国", ["manager"], [], [], "客服部经理"),
    ("director", "102", "赵志强", ["marketing_director"], [], [], "营销总监"),
    ("relation", "103", "孙丽华", ["relationship_supervisor"], [], [], "客户关系主管"),
    ("info", "104", "周婷", ["information_specialist"], [], [], "客户信息专员"),
    ("office", "105", "吴明", ["office"], [], [], "办公室主任"),  # rules on 跨部门协作 disputes
    ("assistant", "201", "陈静", ["assistant"], ["4002"], ["S4002", "F011"], "责任中心助理"),
    ("wangmin", "202", "王敏", ["technician"], ["4002"], ["S4002"], "售后服务专员"),
    (
        "supervisor",
        "203",
        "刘洋",
        ["supervisor"],
        ["4002", "4003"],
        ["S4002", "S4003", "F011"],
        "售后服务主管",
    ),
    (
        "complaints",
        "204",
        "杨帆",
        ["complaint_specialist"],
        ["4002", "4003"],
        ["S4002", "S4003"],
        "客户投诉专员",
    ),
    ("keyaccount", "205", "黄磊", ["key_account"], ["4002"], ["S4002"], "大客户专员"),
    ("zhanghua", "206", "张华", ["technician"], ["4002"], ["S4002"], "售后服务专员"),
    ("tj_assistant", "211", "吴倩", ["assistant"], ["4003"], ["S4003"], "责任中心助理"),
    ("tj_tech", "212", "郑伟", ["technician"], ["4003"], ["S4003"], "售后服务专员"),
    ("sh_assistant", "301", "徐敏", ["assistant"], ["5001"], ["S5001", "F021"], "责任中心助理"),
    ("sh_tech", "302", "马超", ["technician"], ["5001"], ["S5001"], "售后服务专员"),
    (
        "sh_supervisor",
        "303",
        "胡静",
        ["supervisor"],
        ["5001", "5002"],
        ["S5001", "S5002", "F021"],
        "售后服务主管",
    ),
    (
        "sh_complaints",
        "304",
        "朱琳",
        ["complaint_specialist"],
        ["5001", "5002"],
        ["S5001", "S5002"],
        "客户投诉专员",
    ),
    ("hz_assistant", "311", "高翔", ["assistant"], ["5002"], ["S5002"], "责任中心助理"),
    ("hz_tech", "312", "林峰", ["technician"], ["5002"], ["S5002"], "售后服务专员"),
    ("gz_assistant", "401", "何雪", ["assistant"], ["6001"], ["S6001", "F031"], "责任中心助理"),
    ("gz_tech", "402", "罗刚", ["technician"], ["6001"], ["S6001"], "售后服务专员"),
    (
        "gz_supervisor",
        "403",
        "梁敏",
        ["supervisor"],
        ["6001", "6002"],
        ["S6001", "S6002", "F031"],
        "售后服务主管",
    ),
    ("gz_keyaccount", "404", "宋佳", ["key_account"], ["6001", "6002"], ["S6001", "S6002"], "大客户专员"),
    ("sz_assistant", "411", "谢娜", ["assistant"], ["6002"], ["S6002"], "责任中心助理"),
    ("sz_tech", "412", "韩冰", ["technician"], ["6002"], ["S6002"], "售后服务专员"),
]


def load(ctx) -> None:
    """Create the organisation and staff; `ctx` collects what later apps' demos need."""
    channel, _ = DistributionChannel.objects.get_or_create(code="10", defaults={"name": "直销"})
    DistributionChannel.objects.get_or_create(code="20", defaults={"name": "经销"})
    division, _ = Division.objects.get_or_create(code="02", defaults={"name": "家具服务"})
    Division.objects.get_or_create(code="01", defaults={"name": "家具产品"})
    areas = {
        "1001": BusinessArea.objects.get_or_create(code="1001", defaults={"name": "家具销售"})[0],
        "1002": BusinessArea.objects.get_or_create(code="1002", defaults={"name": "售后服务"})[0],
    }
    hq = Department.objects.get_or_create(
        code="HQ",
        defaults={"name": "总部", "kind": DepartmentKind.HEADQUARTERS, "mailbox": "hq@huamei.example"},
    )[0]
    for code, name, kind, mailbox in [
        ("MKT", "营销中心", DepartmentKind.MARKETING, "marketing@huamei.example"),
        ("QA", "品管部", DepartmentKind.QUALITY, "quality@huamei.example"),
        ("EC", "电商部", DepartmentKind.ECOMMERCE, "ecommerce@huamei.example"),
        ("PUR", "采购部", DepartmentKind.PURCHASING, "purchasing@huamei.example"),
        ("AUD", "审计部", DepartmentKind.AUDIT, "audit@huamei.example"),
    ]:
        Department.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "mailbox": mailbox})
    offices: dict[str, SalesOffice] = {}
    work_centres: dict[str, WorkCentre] = {}
    for org_code, org_name, slug, office_defs in BRANCHES:
        org, _ = SalesOrganization.objects.get_or_create(code=org_code, defaults={"name": org_name})
        city = org_name[:2]
        cs = Department.objects.get_or_create(
            code=f"CS{org_code[1:]}",
            defaults={
                "name": f"{city}客服部",
                "kind": DepartmentKind.CUSTOMER_SERVICE,
                "mailbox": f"kefu.{slug}@huamei.example",
                "sales_organization": org,
            },
        )[0]
        Department.objects.get_or_create(
            code=f"LG{org_code[1:]}",
            defaults={
                "name": f"{city}区物流",
                "kind": DepartmentKind.REGIONAL_LOGISTICS,
                "mailbox": f"logistics.{slug}@huamei.example",
                "sales_organization": org,
            },
        )
        for index, (office_code, office_name, area_code) in enumerate(office_defs):
            office, _ = SalesOffice.objects.get_or_create(
                code=office_code,
                defaults={
                    "name": office_name,
                    "sales_organization": org,
                    "business_area": areas[area_code],
                    "department": cs,
                },
            )
            offices[office_code] = office
            group_code = f"00{office_code[-1]}" if org_code == "F011" else office_code[0] + office_code[2:]
            SalesGroup.objects.get_or_create(
                code=group_code, defaults={"name": f"{office_name[:2]}联络处", "sales_office": office}
            )
            work_centres[f"S{office_code}"] = WorkCentre.objects.get_or_create(
                code=f"S{office_code}",
                defaults={"name": f"{office_name[:-4]}售后组", "sales_office": office, "department": cs},
            )[0]
            if index == 0:
                work_centres[org_code] = WorkCentre.objects.get_or_create(
                    code=org_code,
                    defaults={"name": f"{org_name}服务组", "sales_office": office, "department": cs},
                )[0]
    staff: dict[str, Staff] = {}
    for username, number, name, roles, office_codes, wc_codes, title in STAFF:
        existing = Staff.objects.filter(personnel_number=number).first()
        if existing:
            staff[username] = existing
            continue
        cs_department = None
        if office_codes:
            cs_department = offices[office_codes[0]].department
        staff[username] = create_staff(
            actor=None,
            username=username,
            personnel_number=number,
            name=name,
            password=DEMO_PASSWORD,
            roles=roles,
            department=cs_department or hq,
            sales_offices=[offices[c] for c in office_codes],
            work_centres=[work_centres[c] for c in wc_codes],
            phone=f"139{int(number):04d}{int(number) * 37 % 10000:04d}",
            email=f"{username}@huamei.example",
            title=title,
            is_superuser=username == "admin",
        )
    ctx.update(
        channel=channel,
        division=division,
        business_areas=areas,
        offices=offices,
        work_centres=work_centres,
        staff=staff,
        hq=hq,
    )

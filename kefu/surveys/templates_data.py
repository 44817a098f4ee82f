"""Default survey templates as data (installed by a migration; edited in the admin).

XQDC: 客户需求调查表 (seed 002, table 1-1); MYDC: the expectation-vs-perception survey over seed
003's five factors; XNXQ: seed 004's December new-needs survey (次年需求计划).
"""

# code, name, description, [(question code, text, kind, factor)]
TEMPLATES = [
    (
        "XQDC",
        "客户需求调查表",
        "表1-1 客户需求调查表:从内心里尊重和关注客户,了解客户的需求。",
        [
            ("Q1", "贵公司目前最需要我们提供哪些产品或服务?", "text", ""),
            ("Q2", "您期望的服务响应时间是多久?", "text", ""),
            ("Q3", "您希望通过哪种方式与我们沟通(电话、上门、邮件、微信)?", "text", ""),
            ("Q4", "您对我们现有产品的满意程度", "scale", "product"),
            ("Q5", "您对我们现有服务的满意程度", "scale", "marketing_service"),
            ("Q6", "您还有哪些没有被满足的需求或建议?", "text", ""),
        ],
    ),
    (
        "MYDC",
        "客户满意度调查(期望与感知)",
        "满意度 = 感知服务 − 期望服务;五个影响因素:企业、产品、营销与服务体系、沟通、客户关怀。",
        [
            ("F1", "企业形象与实力(企业因素)", "gap", "enterprise"),
            ("F2", "产品质量与性价比(产品因素)", "gap", "product"),
            ("F3", "营销与服务体系(响应、安装、售后)", "gap", "marketing_service"),
            ("F4", "沟通是否及时、顺畅(沟通因素)", "gap", "communication"),
            ("F5", "对客户的关怀与回访(客户关怀因素)", "gap", "care"),
            ("C1", "其他意见和建议", "text", ""),
        ],
    ),
    (
        "XNXQ",
        "年度新需求调查",
        "客服部每年12月向新老客户寄送新年礼物,并了解客户次年的需求计划。",
        [
            ("N1", "贵公司明年的采购或服务需求计划", "text", ""),
            ("N2", "明年预计的业务量变化", "text", ""),
            ("N3", "对我们明年服务的期望", "text", ""),
            ("N4", "今年合作的总体满意程度", "scale", "enterprise"),
        ],
    ),
]


def install(apps) -> None:
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    SurveyQuestion = apps.get_model("surveys", "SurveyQuestion")
    for code, name, description, questions in TEMPLATES:
        template, created = SurveyTemplate.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        if not created:
            continue
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(template=template, code=q, text=text, kind=kind, factor=factor, order=i * 10)
            for i, (q, text, kind, factor) in enumerate(questions, start=1)
        )

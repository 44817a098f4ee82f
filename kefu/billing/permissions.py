_ALL = [
    "billing.view_quotation",
    "billing.add_quotation",
    "billing.change_quotation",
    "billing.view_servicereport",
    "billing.add_servicereport",
    "billing.view_invoice",
]
ROLE_GRANTS = {
    "manager": _ALL,
    "assistant": _ALL,
    "supervisor": _ALL,
    "technician": [
        "billing.view_quotation",
        "billing.add_quotation",
        "billing.change_quotation",
        "billing.view_servicereport",
        "billing.add_servicereport",
    ],
    "administrator": _ALL,
}

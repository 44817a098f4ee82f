"""Who may do what in the customer archive 客户档案 (synced to the role groups after migrate).

Personal data (phone, mobile, fax, e-mail, address, ID number) is restricted 限权使用:
- unmasked by default (`view_personal_data`): the customer-service manager, the customer-information
  specialist who keeps the archive, and the administrator. Each unmasked detail view is logged.
- reveal with a reason (`reveal_personal_data`): key-account staff, the relationship supervisor,
  complaint specialists and supervisors, who call customers but need not see every number;
  each reveal is logged with the reason.
- everyone else (assistants, technicians, marketing director) sees masked values only; the
  technician's own service address comes with the notification, not from the archive.
Exports carry the same masking as the screen and every export is logged.
"""

VIEW = ["customers.view_customer", "customers.view_contact", "customers.view_serviceaddress"]
EDIT = [
    "customers.add_customer",
    "customers.change_customer",
    "customers.add_contact",
    "customers.change_contact",
    "customers.delete_contact",
    "customers.add_serviceaddress",
    "customers.change_serviceaddress",
    "customers.delete_serviceaddress",
    "customers.add_customerpartner",
    "customers.delete_customerpartner",
]
# The sales-value feed 销售额 and the warnings 异样客户预警 (acknowledged with a note).
FEED = ["customers.view_monthlysales", "customers.add_monthlysales", "customers.change_monthlysales"]
WARN = ["customers.view_customerwarning", "customers.acknowledge_customerwarning"]
SEGMENTS = ["customers.view_segmentrun"]  # the segmentation page 客户分类 (running it: classify_customer)
CONFIG = [
    "customers.view_valuepolicy",
    "customers.change_valuepolicy",
    "customers.view_graderule",
    "customers.change_graderule",
    "customers.view_anomalyrule",
    "customers.change_anomalyrule",
    "customers.view_tierstrategy",
    "customers.change_tierstrategy",
]

ROLE_GRANTS = {
    "manager": [
        *VIEW,
        *EDIT,
        "customers.view_personal_data",
        "customers.reveal_personal_data",
        "customers.export_customer",
        "customers.import_customer",
        "customers.classify_customer",
        "customers.view_access_log",
        *FEED,
        *WARN,
        *SEGMENTS,
    ],
    "information_specialist": [
        *FEED,
        *WARN,
        *VIEW,
        *EDIT,
        "customers.view_personal_data",
        "customers.reveal_personal_data",
        "customers.export_customer",
        "customers.import_customer",
        "customers.classify_customer",
        *SEGMENTS,
    ],
    "administrator": [
        *FEED,
        *WARN,
        *VIEW,
        *EDIT,
        *CONFIG,
        "customers.view_personal_data",
        "customers.reveal_personal_data",
        "customers.classify_customer",
        "customers.import_customer",
        "customers.export_customer",
        "customers.view_access_log",
        *SEGMENTS,
    ],
    "assistant": [*VIEW, *EDIT, "customers.export_customer"],
    "supervisor": [
        *VIEW,
        "customers.change_customer",
        "customers.reveal_personal_data",
        "customers.export_customer",
        *WARN,
    ],
    "technician": [*VIEW],
    "complaint_specialist": [*VIEW, *WARN, "customers.reveal_personal_data"],
    "key_account": [
        *VIEW,
        *EDIT,
        *FEED,
        *WARN,
        "customers.reveal_personal_data",
        "customers.classify_customer",
        *SEGMENTS,
    ],
    "relationship_supervisor": [
        *VIEW,
        *WARN,
        "customers.change_customer",
        "customers.reveal_personal_data",
        *SEGMENTS,
    ],
    "marketing_director": [*VIEW, "customers.export_customer", *SEGMENTS],
}

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

QUOTATION_CREATED = register(
    "billing.quotation_created",
    gettext_lazy("Service quotation created"),
    describe=lambda d: f"ZFFW {d.get('number', '')} ¥{d.get('total', '')}",
    icon="cash-coin",
)
QUOTATION_DECIDED = register(
    "billing.quotation_decided",
    gettext_lazy("Customer decided on the quotation"),
    describe=lambda d: f"ZFFW {d.get('number', '')}: {d.get('status_label', '')} ({d.get('customer', '')})",
    icon="person-check",
)
REPORT_RECORDED = register(
    "billing.report_recorded",
    gettext_lazy("Service report recorded"),
    describe=lambda d: f"{d.get('technician', '')} {d.get('service_date', '')}",
    icon="clipboard-check",
)
INVOICE_CREATED = register(
    "billing.invoice_created",
    gettext_lazy("Service invoice created"),
    describe=lambda d: f"ZFW {d.get('number', '')} ¥{d.get('amount', '')}",
    icon="receipt",
)

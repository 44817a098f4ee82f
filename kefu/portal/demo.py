"""Demo portal accounts: contacts of a few demo customers log in at /portal/ with their e-mail
and the demo password; one request each, submitted in the portal, with a conversation."""

from __future__ import annotations

ORDER = 60

# customer number, e-mail of its first contact
ACCOUNTS = [
    ("2110050007", "kehu@shenqi.example.cn"),
]


def load(ctx: dict) -> None:
    from kefu.customers.models import Contact, Customer
    from kefu.org.demo import DEMO_PASSWORD
    from kefu.portal import services
    from kefu.portal.models import PortalAccount

    staff = ctx.get("staff") or {}
    inviter = getattr(staff.get("manager"), "user", None)
    if inviter is None:
        return
    accounts = list(ACCOUNTS)
    # Two more customers of other centres, so the portal shows the one scope rule at work.
    for customer in (
        Customer.objects.exclude(number="2110050007").filter(contacts__isnull=False).order_by("number")[:2]
    ):
        accounts.append((customer.number, f"kehu.{customer.number}@example.cn"))
    made = 0
    for number, email in accounts:
        contact = Contact.objects.filter(customer__number=number).order_by("-is_primary", "pk").first()
        if contact is None or PortalAccount.objects.filter(contact=contact).exists():
            continue
        _account, link = services.invite(
            actor=inviter, contact=contact, email=email, base_url="http://127.0.0.1:8000"
        )
        token = link.rstrip("/").rsplit("/", 1)[-1]
        account = services.accept_invitation(token=token, password=DEMO_PASSWORD)
        n = services.submit_request(
            actor=account.user,
            kind="repair",
            description="会议室的办公椅气杆下沉，坐下后自动降到最低，共3把。",
            address_id=account.customer.service_addresses.order_by("pk").values_list("pk", flat=True).first(),
        )
        services.post_message(
            actor=account.user, notification_id=n.pk, body="请问师傅哪天可以上门？我们周三下午有空。"
        )
        desk = n.responsible.user if n.responsible_id and n.responsible.user_id else inviter
        if not desk.has_perm("tickets.change_notification"):
            desk = inviter
        services.reply(
            actor=desk,
            notification=n,
            body="您好，已安排售后专员周三下午14:00上门更换气杆，请保持电话畅通。谢谢！",
        )
        made += 1
    if ctx.get("stdout"):
        ctx["stdout"].write(
            f"    {made} portal accounts (log in at /portal/ with their e-mail and {DEMO_PASSWORD})"
        )

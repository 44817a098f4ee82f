"""Demo channels: the Beijing desk's mailbox with mail in every outcome, reply templates, and a
WeChat official account with one bound follower. Mail goes through the real intake service."""

from __future__ import annotations

from email.utils import make_msgid

ORDER = 60

TEMPLATES = [
    (
        "auto_ack",
        "[{number}] 您的来信已收到：{subject}",
        "{salutation}：\n\n您好！这里是华美家具客户服务中心。您的来信已收到，我们已登记为{kind} {number}，"
        "将尽快安排专人处理并与您联系。\n"
        "如需补充说明或附件，请直接回复本邮件，并保留主题中的编号 [{number}]。\n\n"
        "此致\n敬礼\n\n{signature}\n（本邮件由系统自动发送）",
    ),
    (
        "上门安排",
        "关于{kind} {number} 的上门安排",
        "{salutation}：\n\n您好！关于贵司（{customer}）的{kind} {number}，我们已安排售后服务专员上门，"
        "具体时间将另行电话确认。当前状态：{status}。\n\n如有疑问，请直接回复本邮件。\n\n此致\n敬礼\n\n{signature}",
    ),
    (
        "处理完毕",
        "{kind} {number} 已处理完毕",
        "{salutation}：\n\n您好！贵司（{customer}）的{kind} {number} 已处理完毕，感谢您的耐心等待。"
        "如对处理结果有任何意见，欢迎随时回复本邮件。\n\n此致\n敬礼\n\n{signature}",
    ),
]


def _mail(
    sender: str, subject: str, text: str, *, headers: dict | None = None, in_reply_to: str = ""
) -> bytes:
    from email.message import EmailMessage
    from email.utils import format_datetime

    from django.utils import timezone

    message = EmailMessage()
    message["From"] = sender
    message["To"] = "kefu.bj@huamei.example.com"
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="customer.example.cn")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    return message.as_bytes()


def load(ctx: dict) -> None:
    from kefu.channels.models import Mailbox, OutboundMail, ReplyTemplate, WeChatAccount, WeChatFollower
    from kefu.channels.services import mailin
    from kefu.customers.models import Contact, Customer
    from kefu.org.models import SalesOffice

    staff = ctx["staff"]
    intake = staff.get("assistant")
    office = SalesOffice.objects.filter(code="4002").select_related("department").first()
    if intake is None or office is None or office.department is None:
        return
    for name, subject, body in TEMPLATES:
        ReplyTemplate.objects.get_or_create(name=name, defaults={"subject": subject, "body": body})
    mailbox, _created = Mailbox.objects.get_or_create(
        address="kefu.bj@huamei.example.com",
        defaults={
            "name": "北京客服邮箱",
            "host": "imap.huamei.example.com",
            "port": 993,
            "use_ssl": True,
            "username": "kefu.bj@huamei.example.com",
            "password": "",
            "department": office.department,
            "sales_office": office,
            "intake_user": intake.user,
            "signature": "华美家具 北京客服部\n客服热线 400-820-8820\nkefu.bj@huamei.example.com",
            # Off until an administrator enters the real server's password (admin → mailboxes).
            "is_active": False,
        },
    )
    customer = Customer.objects.filter(sales_office=office).exclude(email="").order_by("number").first()
    if customer is not None:
        sender = f"{customer.name} <{customer.email}>"
        new, _ = mailin.ingest(
            mailbox,
            _mail(
                sender,
                "会议桌桌腿松动，请派人维修",
                "您好：\n我司会议室的会议桌桌腿松动，请尽快安排维修。谢谢！",
            ),
        )
        ack = OutboundMail.objects.filter(in_reply_to=new.message_id).first()
        if ack is not None:
            mailin.ingest(
                mailbox,
                _mail(
                    sender,
                    f"回复：{ack.subject}",
                    "补充：是三楼大会议室那张桌子，周三下午有人。",
                    in_reply_to=ack.message_id,
                ),
            )
        mailin.ingest(mailbox, _mail(sender, "投诉：送货时柜门破损", "昨天送到的文件柜柜门破损，要求更换。"))
    mailin.ingest(
        mailbox,
        _mail("陌生人 <someone@unknown.example.net>", "咨询办公椅价格", "请问贵司办公椅的报价是多少？"),
    )
    mailin.ingest(
        mailbox,
        _mail(
            "customer@auto.example.cn",
            "自动回复：我正在休假",
            "我正在休假，12月10日返回。",
            headers={"Auto-Submitted": "auto-replied"},
        ),
    )
    mailin.ingest(mailbox, b"\x00\x00 garbled bytes from a broken mail server \xff\xfe")

    account, _created = WeChatAccount.objects.get_or_create(
        app_id="wx0d3f5a7c9e1b2d4f",
        defaults={
            "name": "华美家具服务号",
            "app_secret": "demo-secret-change-me",
            "token": "huameikefu2026",
            "aes_key": "",
            "status_template_id": "",
            "intake_user": intake.user,
        },
    )
    contact = Contact.objects.filter(customer__sales_office=office).order_by("id").first()
    if contact is not None:
        WeChatFollower.objects.get_or_create(
            account=account, openid="oDEMO_follower_0001", defaults={"contact": contact}
        )
    if ctx.get("stdout"):
        ctx["stdout"].write(f"    mailbox {mailbox.address}, {mailbox.mails.count()} incoming mails")

"""Who may see the outbox and incoming mail, answer it, and issue WeChat binding codes
(every role sees its own notices without a permission)."""

_INBOUND = ["channels.view_inboundmail", "channels.change_inboundmail", "channels.add_wechatbindcode"]

ROLE_GRANTS = {
    "manager": ["channels.view_outboundmail", "channels.mail_outside", *_INBOUND],
    "assistant": ["channels.view_outboundmail", *_INBOUND],
    "supervisor": ["channels.view_outboundmail", *_INBOUND],
    "complaint_specialist": ["channels.view_inboundmail", "channels.add_wechatbindcode"],
    "administrator": [
        "channels.view_outboundmail",
        "channels.change_outboundmail",
        "channels.mail_outside",
        *_INBOUND,
        "channels.view_mailbox",
        "channels.change_mailbox",
        "channels.add_mailbox",
        "channels.view_replytemplate",
        "channels.change_replytemplate",
        "channels.add_replytemplate",
    ],
}

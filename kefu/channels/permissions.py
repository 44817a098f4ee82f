"""Who may see the outbox (every role sees its own notices without a permission)."""

ROLE_GRANTS = {
    "manager": ["channels.view_outboundmail", "channels.mail_outside"],
    "assistant": ["channels.view_outboundmail"],
    "supervisor": ["channels.view_outboundmail"],
    "administrator": ["channels.view_outboundmail", "channels.change_outboundmail", "channels.mail_outside"],
}

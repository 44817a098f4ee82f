from django.contrib import admin

from kefu.channels.models import Mailbox, Notice, OutboundMail, ReplyTemplate, WeChatAccount, WeChatFollower


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in OutboundMail._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "message", "read_at"]
    list_filter = ["urgent"]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "address",
        "department",
        "default_kind",
        "is_active",
        "last_polled_at",
        "last_error",
    ]
    list_filter = ["is_active", "default_kind"]
    readonly_fields = ["uid_validity", "last_uid", "last_polled_at", "last_error"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "shortcut", "department", "subject", "is_active"]
    list_filter = ["is_active"]


@admin.register(WeChatAccount)
class WeChatAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "app_id", "api_base_url", "is_active"]


@admin.register(WeChatFollower)
class WeChatFollowerAdmin(admin.ModelAdmin):
    list_display = ["openid", "account", "contact", "bound_at", "subscribed"]
    raw_id_fields = ["contact"]

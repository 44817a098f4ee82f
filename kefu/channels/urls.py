from django.urls import path

from kefu.channels import views

app_name = "channels"
urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("canned/", views.canned, name="canned"),
    path("notices/badge/", views.notice_badge, name="notice_badge"),
    path("notices/<int:pk>/open/", views.notice_open, name="notice_open"),
    path("notices/read-all/", views.notices_read_all, name="notices_read_all"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.mail_retry, name="mail_retry"),
    path("inbound/", views.inbound, name="inbound"),
    path("inbound/<int:pk>/", views.inbound_detail, name="inbound_detail"),
    path("inbound/<int:pk>/raw/", views.inbound_raw, name="inbound_raw"),
    path(
        "inbound/<int:pk>/attachments/<int:attachment>/", views.inbound_attachment, name="inbound_attachment"
    ),
    path("inbound/<int:pk>/dismiss/", views.inbound_dismiss, name="inbound_dismiss"),
    path("inbound/<int:pk>/rerun/", views.inbound_rerun, name="inbound_rerun"),
    path("inbound/<int:pk>/reply/", views.inbound_reply, name="inbound_reply"),
    path("wechat/<int:pk>/callback/", views.wechat_callback, name="wechat_callback"),
]

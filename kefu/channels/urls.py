from django.urls import path

from kefu.channels import views

app_name = "channels"
urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/badge/", views.notice_badge, name="notice_badge"),
    path("notices/<int:pk>/open/", views.notice_open, name="notice_open"),
    path("notices/read-all/", views.notices_read_all, name="notices_read_all"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.mail_retry, name="mail_retry"),
]

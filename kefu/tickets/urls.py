from django.urls import path

from kefu.tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/", views.create, name="create"),
    path("export/", views.export, name="export"),
    path("bulk/", views.bulk, name="bulk"),
    path("views/", views.save_view, name="save_view"),
    path("work-plan/", views.work_plan, name="work_plan"),
    path("work-plan.pdf", views.work_plan_pdf, name="work_plan_pdf"),
    path("disputes/", views.dispute_list, name="dispute_list"),
    path("disputes/new/", views.dispute_create, name="dispute_create"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute_detail"),
    path("disputes/<int:pk>/step/<str:to>/", views.dispute_step, name="dispute_step"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="change_status"),
    path("<int:pk>/text/", views.add_text, name="add_text"),
    path("<int:pk>/items/", views.add_item, name="add_item"),
    path("<int:pk>/items/<int:item_id>/delete/", views.remove_item, name="remove_item"),
    path("<int:pk>/attachments/", views.upload, name="upload"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/mail/", views.mail, name="mail"),
]

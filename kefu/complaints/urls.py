from django.urls import path

from kefu.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="complaint_list"),
    path("export.xlsx", views.complaint_export, name="complaint_export"),
    path("new/", views.complaint_create, name="complaint_create"),
    path("<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("<int:pk>/edit/", views.complaint_edit, name="complaint_edit"),
    path("<int:pk>/step/<str:to>/", views.complaint_transition, name="complaint_transition"),
    path("<int:pk>/follow-up/", views.complaint_follow_up, name="complaint_follow_up"),
    path("<int:pk>/quality/", views.complaint_quality, name="complaint_quality"),
    path("<int:pk>/report/", views.complaint_report, name="complaint_report"),
    path("quality/", views.quality_feedback, name="quality"),
    path("summary/", views.exception_summary, name="summary"),
    path("accidents/", views.accident_list, name="accident_list"),
    path("accidents/export.xlsx", views.accident_export, name="accident_export"),
    path("accidents/new/", views.accident_create, name="accident_create"),
    path("accidents/statistics/", views.accident_statistics, name="accident_statistics"),
    path("accidents/<int:pk>/", views.accident_detail, name="accident_detail"),
    path("accidents/<int:pk>/edit/", views.accident_edit, name="accident_edit"),
    path("accidents/<int:pk>/step/<str:to>/", views.accident_transition, name="accident_transition"),
    path("accidents/<int:pk>/action/", views.accident_action, name="accident_action"),
    path("carriers/", views.carrier_list, name="carrier_list"),
    path("carriers/new/", views.carrier_form, name="carrier_create"),
    path("carriers/<int:pk>/", views.carrier_detail, name="carrier_detail"),
    path("carriers/<int:pk>/edit/", views.carrier_form, name="carrier_edit"),
    path("carriers/<int:pk>/<str:kind>/", views.carrier_record, name="carrier_record"),
]

from django.urls import path

from kefu.billing import views

app_name = "billing"
urlpatterns = [
    path("notifications/<int:pk>/quotations/", views.create_quotation, name="create_quotation"),
    path("quotations/<int:pk>/decision/", views.decide, name="decide"),
    path("notifications/<int:pk>/reports/", views.create_report, name="create_report"),
]

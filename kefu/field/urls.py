from django.urls import path

from kefu.field import views

app_name = "field"
urlpatterns = [
    path("", views.today, name="today"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
    path("dispatch/", views.dispatch_board, name="dispatch"),
    path("dispatch/assign/", views.dispatch_assign, name="dispatch_assign"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/appointment/", views.appointment, name="appointment"),
    path("jobs/<int:pk>/service-form/", views.service_form, name="service_form"),
    path("jobs/<int:pk>/service-form.pdf", views.service_form_pdf, name="service_form_pdf"),
]

from django.urls import path

from kefu.org import views

app_name = "org"
urlpatterns = [
    path("", views.structure, name="structure"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
]

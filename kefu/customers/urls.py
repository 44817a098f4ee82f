from django.urls import path

from kefu.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("export.xlsx", views.customer_export, name="export"),
    path("import/", views.customer_import, name="import"),
    path("pyramid/", views.pyramid, name="pyramid"),
    path("segments/", views.segments, name="segments"),
    path("recompute/", views.recompute, name="recompute"),
    path("warnings/", views.warnings, name="warnings"),
    path("warnings/<int:pk>/acknowledge/", views.warning_acknowledge, name="warning_acknowledge"),
    path("access-log/", views.access_log, name="access_log"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/reveal/", views.customer_reveal, name="reveal"),
    path("<int:pk>/grade/", views.customer_grade, name="grade"),
    path("<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:pk>/addresses/new/", views.address_add, name="address_add"),
    path("<int:pk>/addresses/<int:address_id>/", views.address_edit, name="address_edit"),
    path("<int:pk>/addresses/<int:address_id>/delete/", views.address_delete, name="address_delete"),
    path("<int:pk>/partners/new/", views.partner_add, name="partner_add"),
    path("<int:pk>/partners/<int:partner_id>/delete/", views.partner_delete, name="partner_delete"),
]

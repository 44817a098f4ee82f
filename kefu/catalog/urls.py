from django.urls import path

from kefu.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalogues, name="catalogues"),
    path("import/", views.import_xlsx, name="import"),
]

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kefu.api.site import api
from kefu.core import views as core_views
from kefu.core.discovery import optional_module

admin.site.site_header = _("Kefu administration")
admin.site.site_title = _("Kefu administration")
admin.site.index_title = _("Configuration")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("org/", include("kefu.org.urls")),
    path("account/", include("kefu.api.urls")),
    path("pick/", core_views.pick, name="pick"),
    path("exports/<int:pk>/", core_views.export_status, name="export_status"),
    path("exports/<int:pk>/file", core_views.export_download, name="export_download"),
]

# Each domain app adds its pages here when it has a urls.py.
for _app, _prefix in [
    ("customers", "customers/"),
    ("catalog", "catalog/"),
    ("tickets", "notifications/"),
    ("billing", "billing/"),
    ("complaints", "complaints/"),
    ("worktime", "worktime/"),
    ("channels", "channels/"),
    ("visits", "visits/"),
    ("surveys", "surveys/"),
    ("reports", "reports/"),
    ("field", "field/"),
    ("contacts", "contacts/"),
    ("portal", "portal/"),
    ("knowledge", "knowledge/"),
]:
    if optional_module(f"kefu.{_app}.urls") is not None:
        urlpatterns.append(path(_prefix, include(f"kefu.{_app}.urls")))

handler400 = "kefu.core.views.bad_request"
handler403 = "kefu.core.views.permission_denied"
handler404 = "kefu.core.views.page_not_found"
handler500 = "kefu.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

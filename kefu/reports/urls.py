from django.urls import path

from kefu.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("scorecards/export.xlsx", views.scorecards_export, name="scorecards_export"),
    path("scorecards/compute/", views.scorecards_compute, name="scorecards_compute"),
    path("scorecards/<int:pk>/", views.scorecard_detail, name="scorecard_detail"),
    path("scorecards/<int:pk>/rate/", views.scorecard_rate, name="scorecard_rate"),
    path("scorecards/<int:pk>/sign/", views.scorecard_sign, name="scorecard_sign"),
    path("archive/", views.archive, name="archive"),
    path("archive/generate/", views.archive_generate, name="archive_generate"),
    path("archive/<int:pk>/report.pdf", views.archive_download, name="archive_download"),
    path("weekly/", views.weekly, name="weekly"),
    path("weekly/draft/", views.weekly_draft, name="weekly_draft"),
    path("weekly/<int:pk>/", views.weekly_detail, name="weekly_detail"),
]

from django.urls import path

from kefu.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.results, name="results"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("respond/<str:code>/", views.respond, name="respond"),
    path("campaigns/start/", views.campaign_start, name="campaign_start"),
    path("answer/<str:token>/", views.campaign_answer, name="campaign_answer"),
]

from django.urls import path

from kefu.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.my_visits, name="mine"),
    path("all/", views.visit_list, name="list"),
    path("new/", views.visit_plan, name="plan"),
    path("generate/", views.generate, name="generate"),
    path("report/", views.work_report, name="report"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_form, name="rule_create"),
    path("rules/<int:pk>/edit/", views.rule_form, name="rule_edit"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/record/", views.visit_record, name="record"),
    path("customers/<int:pk>/story/", views.customer_story, name="customer_story"),
    path("receptions/", views.reception_list, name="receptions"),
    path("receptions/new/", views.reception_create, name="reception_create"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception_detail"),
    path("receptions/<int:pk>/step/<str:to>/", views.reception_step, name="reception_step"),
    path("receptions/questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
]

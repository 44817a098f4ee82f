from django.urls import path

from kefu.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/handover/", views.contact_handover, name="handover"),
    path("<int:pk>/close/", views.contact_close, name="close"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/simulate/", views.call_simulate, name="call_simulate"),
    path("calls/pops/", views.pops, name="pops"),
    path("calls/stream/", views.pop_stream, name="pop_stream"),
    path("calls/pop-widget/", views.pop_widget, name="pop_widget"),
    path("calls/<int:pk>/card/", views.call_card, name="call_card"),
    path("calls/<int:pk>/pick/", views.call_pick, name="call_pick"),
    path("calls/<int:pk>/take/", views.call_take, name="call_take"),
    path("calls/<int:pk>/wrap-up/", views.call_wrapup, name="call_wrapup"),
    path("lists/", views.call_lists, name="call_lists"),
    path("lists/new/", views.call_list_create, name="call_list_create"),
    path("lists/<int:pk>/", views.call_list_detail, name="call_list_detail"),
    path("queue/next/", views.next_call, name="next_call"),
    path("similar/", views.similar, name="similar"),
    path("tasks/<int:pk>/attempt/", views.task_attempt, name="task_attempt"),
]

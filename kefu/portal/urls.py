from django.urls import path

from kefu.knowledge import views as kb
from kefu.portal import views

app_name = "portal"

urlpatterns = [
    # The customer's side (customer users only).
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/code/enter/", views.login_code_enter, name="login_code_enter"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.change_password, name="password"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("requests/new/", views.submit, name="submit"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/messages/", views.post_message, name="message"),
    path("requests/<int:pk>/rating/", views.rate, name="rate"),
    path("wechat/", views.wechat_code, name="wechat"),
    path("quotations/<int:pk>/decision/", views.decide_quote, name="quote"),
    path("documents/", views.documents, name="documents"),
    path("help/", kb.portal_search, name="kb"),
    path("help/suggest/", kb.portal_suggest, name="kb_suggest"),
    path("help/<int:pk>/", kb.portal_article, name="kb_article"),
    path("help/<int:pk>/solved/", kb.portal_solved, name="kb_solved"),
    # The desk's side (staff only).
    path("desk/accounts/", views.accounts, name="accounts"),
    path("desk/customers/<int:pk>/invite/", views.invite, name="invite"),
    path("desk/notifications/<int:pk>/reply/", views.reply, name="reply"),
]

"""Pages of the customer portal (/portal/, for customer users) and the desk's side of it
(/portal/desk/, for staff): thin views over kefu.portal.services and queries."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.middleware import customer_facing
from kefu.core.paging import BoundedPage
from kefu.core.scoping import access, customer_of
from kefu.core.validation import parse_id
from kefu.portal import queries, services
from kefu.portal.forms import (
    ChangePasswordForm,
    CodeLoginForm,
    CodeRequestForm,
    InviteForm,
    MessageForm,
    PortalLoginForm,
    RequestForm,
    SetPasswordForm,
)


def portal_view(view):
    """A page for customer users: anonymous callers log in at the portal, staff get 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.get_full_path()}")
        if customer_of(request.user) is None:
            raise Http404
        try:
            request.portal_account = services.account_for(request.user)  # type: ignore[attr-defined]
        except KefuError:
            raise Http404 from None
        return view(request, *args, **kwargs)

    return customer_facing(wrapped)


def _notification(request, pk):
    from kefu.tickets.models import Notification

    try:
        return access(Notification.objects.select_related("status", "type", "customer"), request.user, pk)
    except NotFound:
        raise Http404 from None


class PortalLoginView(auth_views.LoginView):
    form_class = PortalLoginForm
    template_name = "portal/login.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return reverse("portal:home")


login_view = customer_facing(PortalLoginView.as_view())


@customer_facing
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:login")


CODE_EMAIL = "portal.code_email"  # the address a code was asked for (step two fills it in)
CODE_LOGIN = "portal.code_login"  # this session began with a mailed code


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")


@customer_facing
def login_code(request: HttpRequest) -> HttpResponse:
    """用邮件验证码登录, step one: the address. The answer is the same whether it has an account."""
    form = CodeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        services.request_login_code(email=email)
        request.session[CODE_EMAIL] = email
        messages.info(
            request,
            _(
                "If %(email)s belongs to a portal account, a login code is on its way there. "
                "It is valid for %(minutes)d minutes."
            )
            % {"email": email, "minutes": services.LOGIN_CODE_MINUTES},
        )
        target = reverse("portal:login_code_enter")
        nxt = request.POST.get("next", "")
        return redirect(f"{target}?{urlencode({'next': nxt})}" if nxt else target)
    return render(request, "portal/login_code.html", {"form": form, "next": request.GET.get("next", "")})


@customer_facing
def login_code_enter(request: HttpRequest) -> HttpResponse:
    """Step two: the six digits from the mail; a right code logs the contact in."""
    form = CodeLoginForm(request.POST or None, initial={"email": request.session.get(CODE_EMAIL, "")})
    if request.method == "POST" and form.is_valid():
        try:
            account = services.login_with_code(
                email=form.cleaned_data["email"], code=form.cleaned_data["code"]
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            target = _next_url(request)
            if request.user.is_authenticated:
                logout(request)
            login(request, account.user, backend="kefu.org.backends.BufferedModelBackend")
            request.session[CODE_LOGIN] = True
            if account.user.has_usable_password():
                messages.success(request, _("You are logged in."))
            else:
                messages.success(
                    request, _("You are logged in. You can set a password under “Change password”.")
                )
            return redirect(target)
    return render(
        request, "portal/login_code_enter.html", {"form": form, "next": request.GET.get("next", "")}
    )


@portal_view
def change_password(request: HttpRequest) -> HttpResponse:
    """The contact's new password 修改密码; after a code login the old one is not asked for."""
    ask_current = request.user.has_usable_password() and not request.session.get(CODE_LOGIN)
    form = ChangePasswordForm(request.POST or None, ask_current=ask_current)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.change_password(
                actor=request.user,
                password=form.cleaned_data["password"],
                current_password=form.cleaned_data["current_password"] if ask_current else None,
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            request.session.pop(CODE_LOGIN, None)
            messages.success(request, _("Your new password has been saved."))
            return redirect("portal:home")
    return render(request, "portal/password.html", {"form": form})


@customer_facing
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time invitation link: the contact sets a password and is logged in."""
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.accept_invitation(token=token, password=form.cleaned_data["password"])
        except KefuError as exc:
            apply_error(form, exc)
        else:
            if request.user.is_authenticated:
                logout(request)
            login(request, account.user, backend="kefu.org.backends.BufferedModelBackend")
            messages.success(request, _("Welcome! Your portal account is ready."))
            return redirect("portal:home")
    return render(request, "portal/accept.html", {"form": form})


@portal_view
def home(request: HttpRequest) -> HttpResponse:
    page = BoundedPage(queries.my_requests(request.user), request.GET.get("page"), per_page=20)
    return render(request, "portal/home.html", {"page": page, "account": request.portal_account})


@portal_view
def submit(request: HttpRequest) -> HttpResponse:
    from kefu.customers.models import ServiceAddress

    account = request.portal_account
    addresses = list(
        ServiceAddress.objects.filter(customer_id=account.customer_id).order_by("-is_default", "code")
    )
    form = RequestForm(request.POST or None, request.FILES or None, addresses=addresses)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.submit_request(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                address_id=form.cleaned_data.get("address"),
                photos=form.cleaned_data.get("photos") or [],
                idempotency_key=request.POST.get("once", "")[:100],
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request, _("Thank you. Your request %(number)s has been received.") % {"number": n.number}
            )
            return redirect("portal:request", pk=n.pk)
    import secrets

    return render(request, "portal/submit.html", {"form": form, "once": secrets.token_hex(8)})


@portal_view
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    context = queries.request_detail(n, request.user)
    context["message_form"] = MessageForm()
    context["rating"] = services.rating_of(n) if n.stage == "completed" else None
    return render(request, "portal/request.html", context)


@portal_view
@require_POST
def post_message(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(actor=request.user, notification_id=n.pk, body=form.cleaned_data["body"])
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("portal:request", pk=n.pk)
    context = queries.request_detail(n, request.user)
    context["message_form"] = form
    return render(request, "portal/request.html", context, status=400)


@portal_view
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer rates their closed request (once; the same rating as the mailed link)."""
    n = _notification(request, pk)
    try:
        services.rate_service(
            actor=request.user,
            notification_id=n.pk,
            stars=request.POST.get("stars"),
            comment=request.POST.get("comment", ""),
        )
    except KefuError as exc:
        messages.error(
            request, "; ".join(dict.fromkeys([str(exc), *[m for ms in exc.fields.values() for m in ms]]))
        )
        return redirect(f"{reverse('portal:request', kwargs={'pk': n.pk})}#rating")
    messages.success(request, _("Thank you for rating our service."))
    return redirect(f"{reverse('portal:request', kwargs={'pk': n.pk})}#rating")


@portal_view
@require_POST
def decide_quote(request: HttpRequest, pk: int) -> HttpResponse:
    from kefu.billing.models import Quotation

    try:
        quotation = access(Quotation, request.user, pk)
    except NotFound:
        raise Http404 from None
    version = request.POST.get("version")
    try:
        services.decide_quote(
            actor=request.user,
            quotation_id=quotation.pk,
            accepted=request.POST.get("accepted") == "1",
            reason=request.POST.get("reason", ""),
            expected_version=parse_id(version),
        )
    except KefuError as exc:
        messages.error(request, "; ".join([str(exc), *[m for ms in exc.fields.values() for m in ms]]))
    else:
        messages.success(request, _("Thank you: your decision has been recorded."))
    return redirect("portal:request", pk=quotation.notification_id)


@portal_view
def wechat_code(request: HttpRequest) -> HttpResponse:
    """The contact's code to bind their WeChat to the service account, with how to use it."""
    from kefu.channels.models import WeChatAccount

    if request.method == "POST":
        services.wechat_code(actor=request.user, regenerate=True)
        messages.success(request, _("A new binding code has been made; earlier codes no longer work."))
        return redirect("portal:wechat")
    code, followers = services.wechat_code(actor=request.user)
    account = WeChatAccount.objects.filter(is_active=True).order_by("id").first()
    return render(
        request,
        "portal/wechat.html",
        {"code": code, "followers": followers, "account": account, "hours": services.wechat_code_hours()},
    )


@portal_view
def documents(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/documents.html",
        {"documents": queries.documents(request.user), "invoices": queries.invoices(request.user)},
    )


# --- the desk's side --------------------------------------------------------------------------


@login_required
@permission_required("portal.view_portalaccount", raise_exception=True)
def accounts(request: HttpRequest) -> HttpResponse:
    from kefu.portal.models import PortalAccount

    qs = (
        PortalAccount.objects.visible_to(request.user)
        .select_related("customer", "contact")
        .order_by("-created_at")
    )
    page = BoundedPage(qs, request.GET.get("page"))
    for account in page.object_list:
        account.shown_email = _email(request.user, account.email)
    return render(request, "portal/accounts.html", {"page": page})


def _email(user, email: str) -> str:
    """The one personal-data rule: masked for readers who may not see personal data."""
    from kefu.core.privacy import mask_value
    from kefu.customers.queries import can_see_personal_data

    return email if can_see_personal_data(user) else mask_value("email", email)


@login_required
@permission_required("portal.invite_portalaccount", raise_exception=True)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the contacts of customer `pk` (a page reached from the customer's archive)."""
    from kefu.customers.models import Contact, Customer

    try:
        customer = access(Customer, request.user, pk)
    except NotFound:
        raise Http404 from None
    contacts = list(
        Contact.objects.filter(customer=customer).select_related("portal_account").order_by("name")
    )
    for contact in contacts:
        account = getattr(contact, "portal_account", None)
        contact.shown_email = _email(request.user, account.email) if account else ""
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        contact = next((c for c in contacts if str(c.pk) == request.POST.get("contact")), None)
        if contact is None:
            form.add_error(None, _("Choose a contact of this customer."))
        elif form.is_valid():
            try:
                services.invite(
                    actor=request.user,
                    contact=contact,
                    email=form.cleaned_data["email"],
                    base_url=request.build_absolute_uri("/"),
                )
            except KefuError as exc:
                apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The invitation has been mailed to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("portal:invite", pk=customer.pk)
    return render(request, "portal/invite.html", {"customer": customer, "contacts": contacts, "form": form})


@login_required
@permission_required("tickets.change_notification", raise_exception=True)
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk's public reply on a notification page (internal notes are the long text)."""
    from kefu.tickets.services import access_notification

    try:
        n = access_notification(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.reply(actor=request.user, notification=n, body=form.cleaned_data["body"])
        except KefuError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The reply has been sent to the customer."))
    else:
        messages.error(request, _("Write a reply."))
    return redirect(f"{reverse('tickets:detail', kwargs={'pk': n.pk})}#portal-messages")

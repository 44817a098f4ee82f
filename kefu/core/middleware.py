"""Response headers every page and API answer carries: a strict Content-Security-Policy and
`Cache-Control: no-store` where personal data may be in the body."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse

from kefu.core.push import push_origin

# Scripts only from this site or with the page's nonce; no inline handlers, no eval, no frames.
# Inline style attributes stay allowed: the templates use a few and they cannot run code.
CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'{push}; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# ninja's Swagger UI page (vendored files, inline bootstrap script) gets its own policy.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)  # type: ignore[attr-defined]
        response = self.get_response(request)
        path = request.path
        if path.startswith("/static/"):
            return response
        if "Content-Security-Policy" not in response:
            nonce = request.csp_nonce  # type: ignore[attr-defined]
            push = push_origin(request)  # the push server's streams (kefu.core.push)
            policy = CSP.format(nonce=nonce, push=f" {push}" if push else "")
            if path.startswith("/api/v1/docs"):
                policy = DOCS_CSP
            response["Content-Security-Policy"] = policy
        user = getattr(request, "user", None)
        if path.startswith("/api/") or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
        return response


def csp_nonce(request: HttpRequest) -> dict:
    """Context processor: the nonce inline <script> tags of a template carry."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


class ApiTrailingSlashMiddleware:
    """`POST /api/v1/notifications` reaches `/api/v1/notifications/`: an API client must not get
    a 301 that turns its POST into a GET and creates nothing. Only /api/ paths, only when the
    path without the slash matches no route and the one with it does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/api/") and not path.endswith("/"):
            from django.urls import Resolver404, resolve

            try:
                resolve(path)
            except Resolver404:
                try:
                    resolve(path + "/")
                except Resolver404:
                    pass
                else:
                    request.path_info = path + "/"
                    request.path = request.path + "/"
        return self.get_response(request)


class QueryStringMiddleware:
    """Control characters (a NUL byte above all) are dropped from query-string keys and values
    before any view or API route reads them: a search box or filter that passes the value on
    would otherwise reach PostgreSQL, which refuses NUL in text (a 500), and no one types them.
    Bodies are not touched: forms and API schemas refuse control characters naming the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.http import QueryDict

        from kefu.core.validation import CONTROL_CHARACTERS

        if request.META.get("QUERY_STRING") and any(
            CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values)
            for key, values in request.GET.lists()
        ):
            clean = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                clean.setlist(
                    CONTROL_CHARACTERS.sub("", key), [CONTROL_CHARACTERS.sub("", v) for v in values]
                )
            clean._mutable = False
            request.GET = clean  # type: ignore[assignment]
        return self.get_response(request)


# Page routes a customer user may reach outside the portal's own views (which are marked).
CUSTOMER_OPEN_ROUTES = frozenset({"login", "logout", "set_language", "healthz"})
CUSTOMER_API_PREFIX = "/api/v1/portal/"


def customer_facing(view):
    """Mark a page view as one a customer user (portal account) may reach; every other page
    answers them 404, whatever its own checks say."""
    view.customer_facing = True
    return view


class CustomerBoundaryMiddleware:
    """Customer users (portal accounts) stay on the customer side: staff pages answer 404, the
    staff API 403, before any view runs. Staff pages need no check of their own for this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/api/") and not path.startswith(CUSTOMER_API_PREFIX) and _is_customer(request):
            from django.http import JsonResponse

            from kefu.core.errors import PermissionDenied

            error = PermissionDenied()
            return JsonResponse(error.as_dict(), status=error.status)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/") or getattr(view_func, "customer_facing", False):
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in CUSTOMER_OPEN_ROUTES:
            return None
        if _is_customer(request):
            from django.http import Http404

            raise Http404
        return None


def _is_customer(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    from kefu.org.scope import scope_for

    return scope_for(user).is_customer

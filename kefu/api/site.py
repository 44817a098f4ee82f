"""The API at /api/v1/: assembles each app's `api.py` router and renders every error one way."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kefu.api.auth import ActiveSessionAuth, TokenAuth, TokenHeaderAuth
from kefu.api.rendering import KefuJSONRenderer
from kefu.core.discovery import optional_module
from kefu.core.errors import KefuError, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="Kefu API",
    version="1",
    description="Kefu 客服 customer service management. Authenticate with `Authorization: Bearer <token>`.",
    auth=[TokenAuth(), TokenHeaderAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    renderer=KefuJSONRenderer(),
)

# Apps whose api.py contributes a router, and where it is mounted.
ROUTERS = {
    "org": "/org/",
    "customers": "/customers/",
    "catalog": "/catalog/",
    "tickets": "/notifications/",
    "billing": "/billing/",
    "complaints": "/complaints/",
    "worktime": "/worktime/",
    "channels": "/channels/",
    "visits": "/visits/",
    "surveys": "/surveys/",
    "reports": "/reports/",
    "field": "/field/",
    "contacts": "/contacts/",
    "portal": "/portal/",
    "knowledge": "/knowledge/",
}


def _mount_routers() -> None:
    for app, prefix in ROUTERS.items():
        module = optional_module(f"kefu.{app}.api")
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(prefix, router)


def _respond(request, error: KefuError):
    return api.create_response(request, error.as_dict(), status=error.status)


@api.exception_handler(KefuError)
def on_kefu_error(request, exc: KefuError):
    return _respond(request, exc)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path", "form")]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(_translate_pydantic(err))
    return _respond(request, ValidationFailed(_("Some fields are not valid."), fields=fields))


def _translate_pydantic(err: dict) -> str:
    kind = err.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "string_too_long": _("Too long."),
        "string_too_short": _("Too short."),
        "int_parsing": _("Enter a whole number."),
        "decimal_parsing": _("Enter a number."),
        "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
        "datetime_parsing": _("Enter a valid date and time."),
        "datetime_from_date_parsing": _("Enter a valid date and time."),
        "bool_parsing": _("Enter true or false."),
        "enum": _("Choose one of the allowed values."),
        "literal_error": _("Choose one of the allowed values."),
        "json_invalid": _("The request body is not valid JSON."),
        "model_attributes_type": _("The request body is not valid JSON."),
        "extra_forbidden": _("Unknown field: it cannot be set here."),
        "control_characters": _("Remove the control characters (such as NUL) from this field."),
        "date_range": _("Enter a date between 1900 and 2199."),
        "too_long": _("Too many values."),
    }
    bounds = err.get("ctx") or {}
    if kind == "greater_than_equal":
        return _("Enter a value of at least %(min)s.") % {"min": bounds.get("ge")}
    if kind == "less_than_equal":
        return _("Enter a value of at most %(max)s.") % {"max": bounds.get("le")}
    return messages.get(kind, err.get("msg", _("Not valid.")))


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _respond(request, NotAuthenticated())


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _respond(request, NotFound())


@api.exception_handler(DjangoPermissionDenied)
def on_forbidden(request, exc):
    return _respond(request, PermissionDenied())


@api.exception_handler(DjangoValidationError)
def on_django_validation(request, exc):
    return _respond(request, ValidationFailed.from_django(exc))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    code = {
        400: "bad_request",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
    }
    error = KefuError(str(exc.message), code=code.get(exc.status_code, "error"))
    error.status = exc.status_code
    return _respond(request, error)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    error = KefuError(_("The request body is too large."), code="too_large")
    error.status = 413
    return _respond(request, error)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    log.exception("API error", exc_info=exc)
    error = KefuError(_("An unexpected error occurred. It has been logged."), code="server_error")
    error.status = 500
    return _respond(request, error)


class MeOut(Schema):
    id: int
    username: str
    name: str
    personnel_number: str | None
    roles: list[str]
    language: str
    data_scope: str


@api.get("/me", response=MeOut, tags=["me"], summary="The authenticated user")
def me(request):
    from django.utils.translation import get_language

    from kefu.org.scope import role_codes, scope_for

    user = request.user
    staff = getattr(user, "staff", None)
    scope = scope_for(user)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": staff.name if staff else user.get_full_name() or user.get_username(),
        "personnel_number": staff.personnel_number if staff else None,
        "roles": sorted(role_codes(user)),
        "language": get_language(),
        "data_scope": "company"
        if scope.company_wide
        else "centre"
        if scope.office_ids or scope.work_centre_ids
        else "own",
    }


ERROR_STATUSES = {
    400: "Invalid input: `error.fields` names each bad field",
    401: "Not authenticated",
    403: "No permission for this action",
    404: "Not found (missing and out of scope alike)",
    405: "Method not allowed",
    409: "Changed by someone else, or a state that forbids the action",
}
_MESSAGES = {"type": "array", "items": {"type": "string"}}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": _MESSAGES},
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}


def _document_errors(schema: dict) -> dict:
    """Every operation answers the one error envelope for the statuses it can return; the schema
    says so, so clients (and schemathesis) know every status before they meet it."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path in schema.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = dict(ERROR_STATUSES)
            if method in ("post", "put", "patch"):
                statuses[413] = "Request body too large"
            for status, description in statuses.items():
                operation["responses"].setdefault(status, {"description": description, **ref})
    return schema


_original_schema = api.get_openapi_schema


def _schema_with_errors(*args, **kwargs):
    return _document_errors(_original_schema(*args, **kwargs))


api.get_openapi_schema = _schema_with_errors  # type: ignore[method-assign]

_mount_routers()

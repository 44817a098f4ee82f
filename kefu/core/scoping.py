"""The one data-scope mechanism: `Model.objects.visible_to(user)`.

A scoped model's queryset inherits ScopedQuerySet and names, in `scope_paths`, how a record
reaches a responsibility centre (sales office), a work centre and an owner. The user's scope
(company-wide, their centres, or only their own records) comes from their roles in `org`.
Every list, detail, API endpoint, export and report starts from `visible_to`; `access()` is
the single-record form and raises NotFound for missing and forbidden alike.

Customer users (the contacts of a customer logged in to the portal, `kefu.portal`) are the same
rule seen from outside: their scope names one customer, and a model shows them the records that
its `customer` path leads to that customer — a model without that path shows them nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q

from kefu.core.buffer import CodeTablesQuerySet
from kefu.core.errors import NotFound


@dataclass(frozen=True)
class UserScope:
    user_id: int | None
    company_wide: bool = False
    office_ids: frozenset[int] = field(default_factory=frozenset)
    work_centre_ids: frozenset[int] = field(default_factory=frozenset)
    staff_id: int | None = None
    # Set for a customer user (a portal account): the one customer whose records they may see.
    customer_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def is_customer(self) -> bool:
        return self.customer_id is not None


@dataclass(frozen=True)
class ScopePaths:
    """Lookups from the scoped model to a SalesOffice, a WorkCentre, a User and a Staff record."""

    office: str | None = None
    work_centre: str | None = None
    owner_user: str | None = None
    owner_staff: str | None = None
    # The lookup to a Customer's pk: what a customer user (portal account) may see of this model.
    customer: str | None = None
    # True when a path crosses a many-to-many relation: filter by a pk subquery, no duplicates.
    many: bool = False


class ScopedQuerySet(CodeTablesQuerySet):
    scope_paths = ScopePaths()

    def visible_to(self, user) -> ScopedQuerySet:
        from kefu.org.scope import scope_for  # org owns roles and memberships

        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.is_customer:
            if not self.scope_paths.customer:
                return self.none()
            return self.filter(**{self.scope_paths.customer: scope.customer_id})
        if scope.company_wide:
            return self.all()
        q = scope_q(self.scope_paths, scope)
        if self.scope_paths.many:
            return self.filter(pk__in=self.model._base_manager.filter(q).values("pk"))
        return self.filter(q)


def scope_q(paths: ScopePaths, scope: UserScope) -> Q:
    """The filter that keeps what `scope` may see, given how a model reaches the org units."""
    q = Q(pk__in=[])
    if paths.office and scope.office_ids:
        q |= Q(**{f"{paths.office}__in": scope.office_ids})
    if paths.work_centre and scope.work_centre_ids:
        q |= Q(**{f"{paths.work_centre}__in": scope.work_centre_ids})
    if paths.owner_user and scope.user_id:
        q |= Q(**{paths.owner_user: scope.user_id})
    if paths.owner_staff and scope.staff_id:
        q |= Q(**{paths.owner_staff: scope.staff_id})
    return q


Owners = tuple[frozenset[int], frozenset[int]]  # (staff ids, user ids)


def owners_of(*querysets: models.QuerySet) -> Owners:
    """The staff and users who own a row of `querysets` through their models' owner paths: the
    only people for whom `visible_to` keeps more of these rows than their centres give them."""
    staff: set[int] = set()
    users: set[int] = set()
    for qs in querysets:
        paths = cast(ScopedQuerySet, qs).scope_paths
        for path, ids in ((paths.owner_staff, staff), (paths.owner_user, users)):
            if path:
                ids.update(v for v in qs.order_by().values_list(path, flat=True).distinct() if v)
    return frozenset(staff), frozenset(users)


def scope_signature(user, owners: Owners = (frozenset(), frozenset())) -> str:
    """Equal for two users when `visible_to` keeps the same rows of some querysets for both, given
    who owns a row of them (`owners_of`): a key part for something built once and shown to many.

    Company-wide readers share one signature; centre readers share theirs with the same centres,
    unless one of them owns a row (then their own id is part of it); customer users one per customer."""
    from kefu.org.scope import scope_for

    scope = scope_for(user)
    parts: tuple
    if scope.is_anonymous:
        parts = ("none",)
    elif scope.is_customer:
        parts = ("customer", scope.customer_id)
    elif scope.company_wide:
        parts = ("all",)
    else:
        staff_ids, user_ids = owners
        parts = (
            "centres",
            sorted(scope.office_ids),
            sorted(scope.work_centre_ids),
            scope.staff_id if scope.staff_id in staff_ids else None,
            scope.user_id if scope.user_id in user_ids else None,
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


M = TypeVar("M", bound=models.Model)


def access(queryset_or_model: type[M] | models.QuerySet[M], user, pk) -> M:
    """Return the record `pk` if `user` may see it; NotFound for missing and forbidden alike."""
    qs = (
        queryset_or_model._default_manager.all() if isinstance(queryset_or_model, type) else queryset_or_model
    )
    try:
        return cast(M, cast(ScopedQuerySet, qs).visible_to(user).get(pk=pk))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def customer_of(user) -> int | None:
    """The customer a customer user (portal account) speaks for; None for staff and anonymous."""
    from kefu.org.scope import scope_for

    return scope_for(user).customer_id


def require_perm(user, perm: str) -> None:
    """The one permission check of services and endpoints: PermissionDenied (403) without `perm`."""
    from kefu.core.errors import PermissionDenied

    if not user.has_perm(perm):
        raise PermissionDenied()

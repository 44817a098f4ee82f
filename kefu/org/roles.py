"""The roles of a customer service department (DOMAIN §1) as Django groups with permissions.

Each app may grant its permissions to roles in its own `permissions.py` with a mapping
`ROLE_GRANTS = {"assistant": ["customers.view_customer", ...]}`; `sync_roles` collects them
after every migrate, so a new app's permissions reach the roles without editing this file.
Administrators may add permissions to a group in the admin; sync only adds, never removes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as django_apps
from django.utils.translation import gettext_lazy as _

from kefu.core.discovery import app_modules
from kefu.org.choices import DataScope


@dataclass(frozen=True)
class RoleDef:
    code: str
    name: str  # the group name: Chinese, as users know the role
    scope: str
    description: object


ROLES: tuple[RoleDef, ...] = (
    RoleDef(
        "manager",
        "客服部经理",
        DataScope.COMPANY,
        _("Runs the customer service department; sees everything."),
    ),
    RoleDef(
        "assistant", "责任中心助理", DataScope.CENTRE, _("Creates and maintains notifications for a centre.")
    ),
    RoleDef(
        "supervisor", "售后服务主管", DataScope.CENTRE, _("Approves service and escalations (ZGPZ/BPZ).")
    ),
    RoleDef("technician", "售后服务专员", DataScope.OWN, _("Surveys and serves on site; sees own work.")),
    RoleDef("complaint_specialist", "客户投诉专员", DataScope.CENTRE, _("Records and handles complaints.")),
    RoleDef("key_account", "大客户专员", DataScope.CENTRE, _("Looks after key accounts.")),
    RoleDef(
        "relationship_supervisor", "客户关系主管", DataScope.COMPANY, _("Visits, receptions and relations.")
    ),
    RoleDef("information_specialist", "客户信息专员", DataScope.COMPANY, _("Keeps the customer archive.")),
    RoleDef("marketing_director", "营销总监", DataScope.COMPANY, _("Decides complaint handling plans.")),
    RoleDef("administrator", "系统管理员", DataScope.COMPANY, _("Maintains configuration and users.")),
    RoleDef(
        "office", "办公室", DataScope.COMPANY, _("Rules on disagreements between departments (跨部门协作).")
    ),
)

# Permissions of the foundation itself; apps add theirs in <app>/permissions.py.
ROLE_GRANTS: dict[str, list[str]] = {
    "manager": ["org.view_staff", "org.view_personal_data"],
    "assistant": ["org.view_staff"],
    "supervisor": ["org.view_staff"],
    "technician": ["org.view_staff"],
    "complaint_specialist": ["org.view_staff"],
    "key_account": ["org.view_staff"],
    "relationship_supervisor": ["org.view_staff"],
    "information_specialist": ["org.view_staff", "org.view_personal_data"],
    "marketing_director": ["org.view_staff"],
    "administrator": ["org.view_staff", "org.add_staff", "org.change_staff", "org.view_personal_data"],
}


def collect_grants() -> dict[str, set[str]]:
    grants: dict[str, set[str]] = {role.code: set() for role in ROLES}
    sources = [ROLE_GRANTS] + [getattr(m, "ROLE_GRANTS", {}) for m in app_modules("permissions")]
    for source in sources:
        for code, perms in source.items():
            grants.setdefault(code, set()).update(perms)
    return grants


def sync_roles() -> None:
    """Create the role groups and give them their permissions (idempotent, additive)."""
    from django.contrib.auth.models import Group, Permission

    from kefu.org.models import Role

    grants = collect_grants()
    for role_def in ROLES:
        role = Role.objects.select_related("group").filter(code=role_def.code).first()
        if role is None:
            group, _created = Group.objects.get_or_create(name=role_def.name)
            role = Role.objects.create(
                group=group,
                code=role_def.code,
                data_scope=role_def.scope,
                description=str(role_def.description),
            )
        wanted = grants.get(role_def.code, set())
        perms = []
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        role.group.permissions.add(*perms)


def sync_roles_after_migrate(sender, **kwargs) -> None:
    if getattr(sender, "name", "") == "kefu.org" or kwargs.get("app_config") is None:
        return
    # Run once, after the last app: permissions of every app exist by then.
    last = list(django_apps.get_app_configs())[-1]
    if sender.label == last.label:
        sync_roles()

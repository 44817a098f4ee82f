"""The permission × scope × masking matrix 权限矩阵: every route × every demo role × own / other centre.

The routes come from the URL conf (pages) and the OpenAPI document (API operations); each one must
be classified in `PAGES` or `API` below, so a new route that nobody classified fails
`test_every_route_is_classified`. For every route the matrix asks, for each demo role, with a record
of the role's own centre (北京朝阳 4002) and one of another centre (广州天河 6001):

- anonymous callers are sent to log in (pages) or refused with 401 (API);
- a record the role may not see answers 404, one it may see but not use answers 403, never 5xx;
- no response body (HTML, JSON or xlsx) carries a personal value the role may not see: the records
  carry canary phone numbers, e-mails and addresses, changed once so that history holds old and new
  values, and a masked role must find none of them. The one exception is need-to-know: the
  technician responsible for a notification sees its contact phone and object address on the
  notification page and the work plan (kefu.tickets.queries.present_for_work).

Expected statuses are derived from rules (the route's permission, the one scope rule
`visible_to`), not recorded, so a route that skips a check fails here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kefu.api.services import create_token

ROLE_USERS = [
    "admin",
    "manager",
    "director",
    "relation",
    "info",
    "assistant",
    "wangmin",
    "supervisor",
    "complaints",
    "keyaccount",
    "kh.kehu@shenqi.example.cn",  # a customer user (portal account) of the own side's customer
]
OWN_OFFICE, OTHER_OFFICE = "4002", "6001"
OWN_CENTRE, OTHER_CENTRE = "S4002", "F031"

# Canaries: personal values planted on the records (and on their history). "old" values are
# replaced by "new" ones through the services, so the timeline holds both.
CANARIES = {
    "own": {
        "customer_phone": ("010-61234501", "010-61234502"),
        "customer_mobile": ("13911110001", "13911110002"),
        "customer_email": ("own.old@canary.cn", "own.new@canary.cn"),
        "customer_address": ("北京市朝阳区金丝雀东路101号", "北京市朝阳区金丝雀东路102号"),
        "contact_mobile": ("13922220001", "13922220002"),
        "notification_phone": ("13933330001", "13933330002"),
        "notification_address": ("北京市朝阳区金丝雀西路201号", "北京市朝阳区金丝雀西路202号"),
        "complaint_phone": ("13944440001", "13944440002"),
        "staff_phone": ("13955550001", "13955550001"),
    },
    "other": {
        "customer_phone": ("021-61234501", "021-61234502"),
        "customer_mobile": ("13811110001", "13811110002"),
        "customer_email": ("other.old@canary.cn", "other.new@canary.cn"),
        "customer_address": ("广州市天河区金丝雀东路101号", "广州市天河区金丝雀东路102号"),
        "contact_mobile": ("13822220001", "13822220002"),
        "notification_phone": ("13833330001", "13833330002"),
        "notification_address": ("广州市天河区金丝雀西路201号", "广州市天河区金丝雀西路202号"),
        "complaint_phone": ("13844440001", "13844440002"),
        "staff_phone": ("13855550001", "13855550001"),
    },
}
# What the responsible technician may see of his own notification, and where.
NEED_TO_KNOW_KEYS = ("notification_phone", "notification_address")
# (the page, its edit form, and the page re-rendered after a step on it).
NEED_TO_KNOW_ROUTES = {
    "tickets:detail",
    "tickets:work_plan",
    "tickets:edit",
    "tickets:add_text",
    "tickets:add_item",
    "tickets:upload",
    # field (issue 12): the technician app's today list and job page, and its API
    "field:today",
    "field:job",
    "field:appointment",
    "api /api/v1/field/today",
    "api /api/v1/field/jobs/{notification_id}",
    "api /api/v1/field/jobs/{notification_id}/steps",
    # h-pdf (issue 12): the printed service form and work plan of his own work
    "field:service_form",
    "field:service_form_pdf",
    "tickets:work_plan_pdf",
}


@dataclass(frozen=True)
class Route:
    """How the matrix exercises one route.

    record: which world record fills the URL (None: a route without a record);
    perm: the permission the route needs, or a tuple of all it needs (None: any signed-in staff member);
    get / post: whether to call it with GET / with an empty POST;
    public: answers without login (login page, health check).
    """

    record: str | None = None
    perm: str | tuple[str, ...] | None = None
    get: bool = True
    post: bool = False
    public: bool = False
    extra: dict = field(default_factory=dict)
    signed: bool = False  # authenticated by a request signature (webhooks), never by a login
    # A customer-side route (kefu.portal): only customer users use it; every other route refuses
    # them (404 pages, 403 API), and customer-side routes refuse staff the same way.
    portal: bool = False


N = "notification"
C = "customer"
# Pages, by URL name.
PAGES: dict[str, Route] = {
    "home": Route(),
    "healthz": Route(public=True),
    "login": Route(public=True),
    "logout": Route(get=False, post=False),
    "set_language": Route(get=False, public=True),
    "org:structure": Route(),
    "org:staff_list": Route(perm="org.view_staff"),
    "org:staff_detail": Route(record="staff", perm="org.view_staff"),
    "api_tokens": Route(post=True),
    "api_token_revoke": Route(record="token", get=False, post=True),
    "export_status": Route(record="export"),
    "export_download": Route(record="export"),
    "customers:list": Route(perm="customers.view_customer"),
    "customers:create": Route(perm="customers.add_customer", post=True),
    "customers:export": Route(perm="customers.export_customer"),
    "customers:import": Route(perm="customers.import_customer", post=True),
    "customers:pyramid": Route(perm="customers.view_customer"),
    "customers:recompute": Route(perm="customers.classify_customer", get=False, post=True),
    "customers:warnings": Route(perm="customers.view_customer"),
    "customers:access_log": Route(perm="customers.view_access_log"),
    "customers:autocomplete": Route(perm="customers.view_customer", extra={"q": "0"}),
    "customers:detail": Route(record=C, perm="customers.view_customer"),
    "customers:edit": Route(record=C, perm="customers.change_customer", post=True),
    "customers:reveal": Route(record=C, perm="customers.reveal_personal_data", get=False, post=True),
    "customers:grade": Route(record=C, perm="customers.classify_customer", get=False, post=True),
    "customers:contact_add": Route(record=C, perm="customers.add_contact", post=True),
    "customers:contact_edit": Route(record="contact", perm="customers.change_contact", post=True),
    "customers:contact_delete": Route(
        record="contact", perm="customers.delete_contact", get=False, post=True
    ),
    "customers:address_add": Route(record=C, perm="customers.add_serviceaddress", post=True),
    "customers:address_edit": Route(record="address", perm="customers.change_serviceaddress", post=True),
    "customers:address_delete": Route(
        record="address", perm="customers.delete_serviceaddress", get=False, post=True
    ),
    "customers:partner_add": Route(record=C, perm="customers.add_customerpartner", post=True),
    "customers:partner_delete": Route(
        record="partner", perm="customers.delete_customerpartner", get=False, post=True
    ),
    "catalog:catalogues": Route(perm="catalog.view_producttype"),
    "catalog:import": Route(perm="catalog.add_producttype", post=True),
    "tickets:worklist": Route(perm="tickets.view_notification"),
    "tickets:create": Route(perm="tickets.add_notification", post=True),
    "tickets:export": Route(perm="tickets.export_notification"),
    "tickets:bulk": Route(perm="tickets.assign_notification", get=False, post=True),
    "tickets:save_view": Route(perm="tickets.view_notification", get=False, post=True),
    "tickets:work_plan": Route(perm="tickets.view_notification"),
    "tickets:detail": Route(record=N, perm="tickets.view_notification"),
    "tickets:edit": Route(record=N, perm="tickets.change_notification", post=True),
    "tickets:change_status": Route(record=N, perm="tickets.transition_notification", get=False, post=True),
    "tickets:add_text": Route(record=N, perm="tickets.change_notification", get=False, post=True),
    "tickets:add_item": Route(record=N, perm="tickets.change_notification", get=False, post=True),
    "tickets:remove_item": Route(record="item", perm="tickets.change_notification", get=False, post=True),
    "tickets:upload": Route(record=N, perm="tickets.change_notification", get=False, post=True),
    "tickets:attachment": Route(record="attachment", perm="tickets.view_notification"),
    "tickets:mail": Route(record=N, perm="tickets.mail_notification", get=False, post=True),
    # 跨部门协作 cross-department disputes (h-manage)
    "tickets:dispute_list": Route(perm="tickets.view_dispute"),
    "tickets:dispute_create": Route(perm="tickets.add_dispute", post=True),
    "tickets:dispute_detail": Route(record="dispute", perm="tickets.view_dispute"),
    "tickets:dispute_step": Route(record="dispute_step", perm="tickets.view_dispute", post=True),
    "billing:create_quotation": Route(record=N, perm="billing.add_quotation", get=False, post=True),
    "billing:decide": Route(record="quotation", perm="billing.change_quotation", get=False, post=True),
    "billing:create_report": Route(record=N, perm="billing.add_servicereport", get=False, post=True),
    "complaints:complaint_list": Route(perm="complaints.view_complaint"),
    "complaints:complaint_export": Route(perm="complaints.view_complaint"),
    "complaints:complaint_create": Route(perm="complaints.add_complaint", post=True),
    "complaints:complaint_detail": Route(record="complaint", perm="complaints.view_complaint"),
    "complaints:complaint_edit": Route(record="complaint", perm="complaints.change_complaint", post=True),
    "complaints:complaint_transition": Route(
        record="complaint_step", perm="complaints.change_complaint", post=True
    ),
    "complaints:complaint_follow_up": Route(
        record="complaint", perm="complaints.change_complaint", get=False, post=True
    ),
    "complaints:complaint_quality": Route(
        record="complaint", perm="complaints.change_complaint", get=False, post=True
    ),
    "complaints:complaint_report": Route(record="complaint", perm="complaints.view_complaint"),
    "complaints:quality": Route(perm="complaints.view_complaint"),
    "complaints:summary": Route(perm="complaints.view_complaint_reports"),
    "complaints:accident_list": Route(perm="complaints.view_accident"),
    "complaints:accident_export": Route(perm="complaints.view_accident"),
    "complaints:accident_create": Route(perm="complaints.add_accident", post=True),
    "complaints:accident_statistics": Route(perm="complaints.view_complaint_reports"),
    "complaints:accident_detail": Route(record="accident", perm="complaints.view_accident"),
    "complaints:accident_edit": Route(record="accident", perm="complaints.change_accident", post=True),
    "complaints:accident_transition": Route(
        record="accident_step", perm="complaints.change_accident", post=True
    ),
    "complaints:accident_action": Route(
        record="accident", perm="complaints.change_accident", get=False, post=True
    ),
    "complaints:carrier_list": Route(perm="complaints.view_carrier"),
    "complaints:carrier_create": Route(perm="complaints.add_carrier", post=True),
    "complaints:carrier_detail": Route(record="carrier", perm="complaints.view_carrier"),
    "complaints:carrier_edit": Route(record="carrier", perm="complaints.change_carrier", post=True),
    "complaints:carrier_record": Route(
        record="carrier_kind", perm="complaints.change_carrier", get=False, post=True
    ),
    "channels:notices": Route(),
    "channels:notice_badge": Route(),
    "channels:notice_open": Route(record="notice", get=False, post=True),
    "channels:notices_read_all": Route(get=False, post=True),
    "channels:outbox": Route(),
    "channels:mail_retry": Route(record="mail", get=False, post=True),
    # --- visits, surveys (issue 11)
    "visits:mine": Route(perm="visits.view_visit"),
    "visits:list": Route(perm="visits.view_visit"),
    "visits:plan": Route(perm="visits.add_visit", post=True),
    "visits:generate": Route(perm="visits.add_visit", get=False, post=True),
    "visits:report": Route(perm="visits.view_visit_report"),
    "visits:rules": Route(perm="visits.view_visitrule"),
    "visits:rule_create": Route(perm="visits.change_visitrule", post=True),
    "visits:rule_edit": Route(record="rule", perm="visits.change_visitrule", post=True),
    "visits:detail": Route(record="visit", perm="visits.view_visit"),
    "visits:record": Route(record="visit", perm="visits.change_visit", post=True),
    "visits:customer_story": Route(record=C, perm="customers.view_customer"),
    "visits:receptions": Route(perm="visits.view_reception"),
    "visits:reception_create": Route(perm="visits.add_reception", post=True),
    "visits:reception_detail": Route(record="reception", perm="visits.view_reception"),
    "visits:reception_step": Route(
        record="reception_step", perm="visits.change_reception", get=False, post=True
    ),
    "visits:question_answer": Route(record="question", perm="visits.change_reception", get=False, post=True),
    "surveys:results": Route(perm="surveys.view_satisfaction_reports"),
    "surveys:rate": Route(record="rating_token", public=True),
    "surveys:respond": Route(record="survey", perm="surveys.add_surveyresponse", post=True),
    # --- reports (issue 15)
    "reports:cockpit": Route(perm="reports.view_cockpit"),
    "reports:scorecards": Route(perm="reports.view_scorecard"),
    "reports:scorecards_export": Route(perm="reports.view_scorecard"),
    "reports:scorecards_compute": Route(perm="reports.rate_scorecard", get=False, post=True),
    "reports:scorecard_detail": Route(record="scorecard", perm="reports.view_scorecard"),
    "reports:scorecard_rate": Route(record="scorecard", perm="reports.rate_scorecard", post=True),
    "reports:scorecard_sign": Route(record="scorecard_sign", perm="reports.view_scorecard", post=True),
    "reports:archive": Route(perm="reports.view_supervisionreport"),
    "reports:archive_generate": Route(perm="reports.add_supervisionreport", get=False, post=True),
    "reports:archive_download": Route(record="supervision_report", perm="reports.view_supervisionreport"),
    "reports:weekly": Route(perm="reports.view_weeklyreport"),
    "reports:weekly_draft": Route(perm="reports.add_weeklyreport", get=False, post=True),
    "reports:weekly_detail": Route(record="weekly_report", perm="reports.view_weeklyreport", post=True),
    # --- field (issue 12)
    "field:today": Route(perm="field.add_fieldstep"),
    "field:manifest": Route(public=True),
    "field:sw": Route(public=True),
    "field:job": Route(record=N, perm="field.add_fieldstep"),
    "field:appointment": Route(record=N, perm="field.change_appointment", get=False, post=True),
    "field:dispatch": Route(perm="tickets.assign_notification"),
    "field:dispatch_assign": Route(perm="tickets.assign_notification", get=False, post=True),
    # --- channels: e-mail in, WeChat (issue 13)
    "channels:inbound": Route(perm="channels.view_inboundmail"),
    "channels:inbound_detail": Route(record="inbound", perm="channels.view_inboundmail"),
    "channels:inbound_raw": Route(
        record="inbound", perm=("channels.view_inboundmail", "customers.view_personal_data")
    ),
    "channels:inbound_attachment": Route(record="inbound_attachment", perm="channels.view_inboundmail"),
    "channels:inbound_dismiss": Route(
        record="inbound",
        perm=("channels.view_inboundmail", "channels.change_inboundmail"),
        get=False,
        post=True,
    ),
    "channels:inbound_reply": Route(
        record="inbound",
        perm=("channels.view_inboundmail", "tickets.change_notification"),
        get=False,
        post=True,
    ),
    # Called by WeChat's servers, signed with the account's token: unsigned calls answer 403
    # (kefu/channels/tests/test_wechat.py), so the matrix does not call it.
    "channels:wechat_callback": Route(record="wechat_account", get=False, post=False, public=True),
    # --- contacts (issue 14)
    "contacts:list": Route(perm="contacts.view_contact"),
    "contacts:detail": Route(record="contact_record", perm="contacts.view_contact"),
    "contacts:handover": Route(
        record="contact_record", perm="contacts.handover_contact", get=False, post=True
    ),
    "contacts:close": Route(record="contact_record", perm="contacts.answer_call", get=False, post=True),
    "contacts:call_list": Route(perm="contacts.view_call"),
    "contacts:call_simulate": Route(perm="contacts.answer_call", get=False, post=True),
    "contacts:pops": Route(perm="contacts.answer_call"),
    # Server push: the web server answers 204 (only the push server streams; kefu.core.push).
    "contacts:pop_stream": Route(perm="contacts.answer_call"),
    "contacts:pop_widget": Route(perm="contacts.answer_call"),
    "contacts:call_card": Route(record="call", perm="contacts.view_call"),
    "contacts:call_pick": Route(record="call", perm="contacts.answer_call", get=False, post=True),
    "contacts:call_wrapup": Route(record="call", perm="contacts.answer_call", post=True),
    "contacts:call_lists": Route(perm="contacts.view_calllist"),
    "contacts:task_attempt": Route(record="call_task", perm="contacts.answer_call", post=True),
    "contacts:similar": Route(
        perm="tickets.add_notification", extra={"customer": "2110050007", "description": "锁"}
    ),
    # --- portal and knowledge (issue 13)
    "portal:home": Route(portal=True),
    "portal:login": Route(public=True),
    "portal:logout": Route(get=False, post=False),
    "portal:accept": Route(record="invitation", public=True, post=True),
    "portal:submit": Route(portal=True, post=True),
    "portal:request": Route(record=N, portal=True),
    "portal:message": Route(record=N, portal=True, get=False, post=True),
    "portal:quote": Route(record="quotation", portal=True, get=False, post=True),
    "portal:documents": Route(portal=True),
    "portal:kb": Route(portal=True, extra={"q": "抽屉"}),
    "portal:kb_suggest": Route(portal=True, extra={"description": "抽屉打不开"}),
    "portal:kb_article": Route(record="article", portal=True),
    "portal:kb_solved": Route(record="article", portal=True, get=False, post=True),
    "portal:accounts": Route(perm="portal.view_portalaccount"),
    "portal:invite": Route(record=C, perm="portal.invite_portalaccount", post=True),
    "portal:reply": Route(record=N, perm="tickets.change_notification", get=False, post=True),
    "knowledge:list": Route(perm="knowledge.view_article", extra={"q": "抽屉"}),
    "knowledge:create": Route(perm="knowledge.add_article", post=True),
    "knowledge:suggest": Route(perm="knowledge.view_article", extra={"description": "抽屉打不开"}),
    "knowledge:detail": Route(record="article", perm="knowledge.view_article"),
    "knowledge:edit": Route(record="article", perm="knowledge.change_article", post=True),
    "knowledge:solved": Route(record="article", perm="knowledge.view_article", get=False, post=True),
    "knowledge:link": Route(record=N, perm="tickets.change_notification", get=False, post=True),
    # --- h-pdf (issue 12): the service form 家具服务单 page and PDF, the work plan PDF
    "field:service_form": Route(record=N, perm="tickets.view_notification"),
    "field:service_form_pdf": Route(record=N, perm="tickets.view_notification"),
    "tickets:work_plan_pdf": Route(perm="tickets.view_notification", extra={"work_centre": "S4002"}),
    # --- h-portal2 (issue 13: portal rating, WeChat binding code, mail re-run)
    "portal:rate": Route(record=N, portal=True, get=False, post=True),
    "portal:wechat": Route(portal=True, post=True),
    # --- h-portal3 (issue 13: portal login by a mailed code, change password)
    "portal:login_code": Route(public=True, post=True),
    "portal:login_code_enter": Route(public=True, post=True),
    "portal:password": Route(portal=True, post=True),
    "channels:inbound_rerun": Route(
        record="inbound",
        perm=("channels.view_inboundmail", "channels.change_inboundmail"),
        get=False,
        post=True,
    ),
    # --- h-value: sales-value feed, warnings, the December campaign (issue 11)
    "customers:warning_acknowledge": Route(
        record="warning", perm="customers.acknowledge_customerwarning", get=False, post=True
    ),
    "surveys:campaign_start": Route(perm="surveys.add_surveycampaign", get=False, post=True),
    "surveys:campaign_answer": Route(record="campaign_token", public=True),
    # --- h-agent (issue 14: queues, call lists, pickers, canned responses)
    "contacts:call_take": Route(record="call", perm="contacts.answer_call", get=False, post=True),
    "contacts:call_list_create": Route(perm="contacts.add_calllist", post=True),
    "contacts:call_list_detail": Route(record="call_list", perm="contacts.view_calllist"),
    "contacts:next_call": Route(perm="contacts.answer_call"),
    "pick": Route(perm="customers.view_customer", extra={"source": "customer", "q": "0"}),
    "channels:canned": Route(),
    # --- h-segments
    "customers:segments": Route(perm="customers.view_segmentrun"),
}

# API operations, by (method, path as in the OpenAPI document). Writes are sent an empty JSON
# body: what the matrix asks of them is that a role without the permission or the record never
# gets a 2xx, and nobody gets a 5xx.
V1 = "/api/v1"
API: dict[tuple[str, str], Route] = {
    ("GET", f"{V1}/me"): Route(),
    ("GET", f"{V1}/org/staff"): Route(perm="org.view_staff"),
    ("GET", f"{V1}/org/staff/{{staff_id}}"): Route(record="staff", perm="org.view_staff"),
    ("GET", f"{V1}/customers/"): Route(perm="customers.view_customer", extra={"q": "0"}),
    ("POST", f"{V1}/customers/"): Route(perm="customers.add_customer"),
    ("GET", f"{V1}/customers/choices"): Route(perm="customers.view_customer"),
    ("GET", f"{V1}/customers/{{customer_id}}"): Route(record=C, perm="customers.view_customer"),
    ("PATCH", f"{V1}/customers/{{customer_id}}"): Route(record=C, perm="customers.change_customer"),
    ("POST", f"{V1}/customers/{{customer_id}}/reveal"): Route(
        record=C, perm="customers.reveal_personal_data"
    ),
    ("GET", f"{V1}/customers/{{customer_id}}/contacts"): Route(record=C, perm="customers.view_contact"),
    ("POST", f"{V1}/customers/{{customer_id}}/contacts"): Route(record=C, perm="customers.add_contact"),
    ("PATCH", f"{V1}/customers/{{customer_id}}/contacts/{{contact_id}}"): Route(
        record="contact", perm="customers.change_contact"
    ),
    ("DELETE", f"{V1}/customers/{{customer_id}}/contacts/{{contact_id}}"): Route(
        record="contact", perm="customers.delete_contact"
    ),
    ("GET", f"{V1}/customers/{{customer_id}}/addresses"): Route(
        record=C, perm="customers.view_serviceaddress"
    ),
    ("POST", f"{V1}/customers/{{customer_id}}/addresses"): Route(
        record=C, perm="customers.add_serviceaddress"
    ),
    ("PATCH", f"{V1}/customers/{{customer_id}}/addresses/{{address_id}}"): Route(
        record="address", perm="customers.change_serviceaddress"
    ),
    ("DELETE", f"{V1}/customers/{{customer_id}}/addresses/{{address_id}}"): Route(
        record="address", perm="customers.delete_serviceaddress"
    ),
    ("GET", f"{V1}/catalog/{{kind}}"): Route(record="catalog"),
    ("GET", f"{V1}/notifications/types"): Route(),
    ("GET", f"{V1}/notifications/"): Route(perm="tickets.view_notification"),
    ("POST", f"{V1}/notifications/"): Route(perm="tickets.add_notification"),
    ("GET", f"{V1}/notifications/{{notification_id}}"): Route(record=N, perm="tickets.view_notification"),
    ("PATCH", f"{V1}/notifications/{{notification_id}}"): Route(record=N, perm="tickets.change_notification"),
    ("POST", f"{V1}/notifications/{{notification_id}}/transitions"): Route(
        record=N, perm="tickets.transition_notification"
    ),
    ("GET", f"{V1}/notifications/{{notification_id}}/items"): Route(
        record=N, perm="tickets.view_notification"
    ),
    ("POST", f"{V1}/notifications/{{notification_id}}/items"): Route(
        record=N, perm="tickets.change_notification"
    ),
    ("PATCH", f"{V1}/notifications/{{notification_id}}/items/{{item_id}}"): Route(
        record="item", perm="tickets.change_notification"
    ),
    ("DELETE", f"{V1}/notifications/{{notification_id}}/items/{{item_id}}"): Route(
        record="item", perm="tickets.change_notification"
    ),
    ("GET", f"{V1}/notifications/{{notification_id}}/texts"): Route(
        record=N, perm="tickets.view_notification"
    ),
    ("POST", f"{V1}/notifications/{{notification_id}}/texts"): Route(
        record=N, perm="tickets.change_notification"
    ),
    ("POST", f"{V1}/notifications/{{notification_id}}/mail"): Route(
        record=N, perm="tickets.mail_notification"
    ),
    ("GET", f"{V1}/complaints/"): Route(perm="complaints.view_complaint"),
    ("POST", f"{V1}/complaints/"): Route(perm="complaints.add_complaint"),
    ("GET", f"{V1}/complaints/{{complaint_id}}"): Route(record="complaint", perm="complaints.view_complaint"),
    ("POST", f"{V1}/complaints/{{complaint_id}}/transitions"): Route(
        record="complaint", perm="complaints.change_complaint"
    ),
    ("POST", f"{V1}/complaints/{{complaint_id}}/follow-ups"): Route(
        record="complaint", perm="complaints.change_complaint"
    ),
    ("GET", f"{V1}/complaints/accidents/"): Route(perm="complaints.view_accident"),
    ("POST", f"{V1}/complaints/accidents/"): Route(perm="complaints.add_accident"),
    ("GET", f"{V1}/complaints/accidents/{{accident_id}}"): Route(
        record="accident", perm="complaints.view_accident"
    ),
    ("POST", f"{V1}/complaints/accidents/{{accident_id}}/transitions"): Route(
        record="accident", perm="complaints.change_accident"
    ),
    ("POST", f"{V1}/complaints/accidents/{{accident_id}}/actions"): Route(
        record="accident", perm="complaints.change_accident"
    ),
    ("GET", f"{V1}/worktime/deadline"): Route(extra={"start": "2026-12-01T09:00:00+08:00", "hours": "8"}),
    ("GET", f"{V1}/worktime/days"): Route(extra={"year": "2026"}),
    ("GET", f"{V1}/channels/notices"): Route(),
    ("POST", f"{V1}/channels/notices/read"): Route(),
    ("GET", f"{V1}/channels/mail"): Route(),
    # --- visits, surveys (issue 11)
    ("GET", f"{V1}/visits/mine"): Route(perm="visits.view_visit"),
    ("GET", f"{V1}/visits/"): Route(perm="visits.view_visit"),
    ("POST", f"{V1}/visits/"): Route(perm="visits.add_visit"),
    ("POST", f"{V1}/visits/generate"): Route(perm="visits.add_visit"),
    ("GET", f"{V1}/visits/rules"): Route(perm="visits.view_visitrule"),
    ("GET", f"{V1}/visits/report"): Route(perm="visits.view_visit_report"),
    ("GET", f"{V1}/visits/{{visit_id}}"): Route(record="visit", perm="visits.view_visit"),
    ("POST", f"{V1}/visits/{{visit_id}}/record"): Route(record="visit", perm="visits.change_visit"),
    ("GET", f"{V1}/visits/receptions/"): Route(perm="visits.view_reception"),
    ("POST", f"{V1}/visits/receptions/"): Route(perm="visits.add_reception"),
    ("GET", f"{V1}/visits/receptions/{{reception_id}}"): Route(
        record="reception", perm="visits.view_reception"
    ),
    ("POST", f"{V1}/visits/receptions/{{reception_id}}/transitions"): Route(
        record="reception", perm="visits.change_reception"
    ),
    ("GET", f"{V1}/surveys/ratings"): Route(perm="surveys.view_rating"),
    ("GET", f"{V1}/surveys/evaluation-rate"): Route(perm="surveys.view_satisfaction_reports"),
    ("GET", f"{V1}/surveys/results"): Route(perm="surveys.view_satisfaction_reports"),
    ("POST", f"{V1}/surveys/responses"): Route(perm="surveys.add_surveyresponse"),
    # --- reports (issue 15)
    ("GET", f"{V1}/reports/cockpit"): Route(perm="reports.view_cockpit"),
    ("GET", f"{V1}/reports/scorecards"): Route(perm="reports.view_scorecard", extra={"period": "2026-11"}),
    ("GET", f"{V1}/reports/scorecards/{{card_id}}"): Route(record="scorecard", perm="reports.view_scorecard"),
    ("POST", f"{V1}/reports/scorecards/compute"): Route(perm="reports.rate_scorecard"),
    ("POST", f"{V1}/reports/scorecards/{{card_id}}/rating"): Route(
        record="scorecard", perm="reports.rate_scorecard"
    ),
    ("POST", f"{V1}/reports/scorecards/{{card_id}}/sign-off"): Route(
        record="scorecard_sign", perm="reports.view_scorecard"
    ),
    ("GET", f"{V1}/reports/archive"): Route(perm="reports.view_supervisionreport"),
    ("GET", f"{V1}/reports/weekly"): Route(perm="reports.view_weeklyreport"),
    # --- field (issue 12)
    ("GET", f"{V1}/field/today"): Route(perm="field.add_fieldstep"),
    ("GET", f"{V1}/field/jobs/{{notification_id}}"): Route(record=N, perm="field.add_fieldstep"),
    ("POST", f"{V1}/field/jobs/{{notification_id}}/steps"): Route(record=N, perm="field.add_fieldstep"),
    ("PUT", f"{V1}/field/jobs/{{notification_id}}/appointment"): Route(
        record=N, perm="field.change_appointment"
    ),
    ("GET", f"{V1}/field/dispatch"): Route(
        perm="tickets.assign_notification", extra={"work_centre": "S4002"}
    ),
    ("POST", f"{V1}/field/dispatch/assign"): Route(perm="tickets.assign_notification"),
    # --- channels: e-mail in, WeChat (issue 13)
    ("GET", f"{V1}/channels/inbound"): Route(perm="channels.view_inboundmail"),
    ("GET", f"{V1}/channels/inbound/{{mail_id}}"): Route(record="inbound", perm="channels.view_inboundmail"),
    ("POST", f"{V1}/channels/inbound/{{mail_id}}/dismiss"): Route(
        record="inbound", perm=("channels.view_inboundmail", "channels.change_inboundmail")
    ),
    ("POST", f"{V1}/channels/inbound/{{mail_id}}/reply"): Route(
        record="inbound", perm=("channels.view_inboundmail", "tickets.change_notification")
    ),
    ("GET", f"{V1}/channels/reply-templates"): Route(perm="channels.view_inboundmail"),
    ("GET", f"{V1}/channels/mailboxes"): Route(perm="channels.view_inboundmail"),
    ("POST", f"{V1}/channels/wechat/bind-codes"): Route(perm="channels.add_wechatbindcode"),
    # --- contacts (issue 14)
    ("POST", f"{V1}/contacts/cti/events"): Route(signed=True),  # signed by the PBX, not a login
    ("GET", f"{V1}/contacts/"): Route(perm="contacts.view_contact"),
    ("GET", f"{V1}/contacts/{{record_id}}"): Route(record="contact_record", perm="contacts.view_contact"),
    ("POST", f"{V1}/contacts/{{record_id}}/handovers"): Route(
        record="contact_record", perm="contacts.handover_contact"
    ),
    ("POST", f"{V1}/contacts/{{record_id}}/close"): Route(
        record="contact_record", perm="contacts.answer_call"
    ),
    ("GET", f"{V1}/contacts/calls"): Route(perm="contacts.view_call"),
    ("GET", f"{V1}/contacts/calls/{{call_id}}"): Route(record="call", perm="contacts.view_call"),
    ("POST", f"{V1}/contacts/calls/{{call_id}}/wrap-up"): Route(record="call", perm="contacts.answer_call"),
    ("GET", f"{V1}/contacts/pops"): Route(perm="contacts.answer_call"),
    ("GET", f"{V1}/contacts/queue"): Route(perm="contacts.answer_call"),
    ("POST", f"{V1}/contacts/tasks/{{task_id}}/attempts"): Route(
        record="call_task", perm="contacts.answer_call"
    ),
    # --- portal and knowledge (issue 13)
    ("GET", f"{V1}/portal/requests"): Route(portal=True),
    ("POST", f"{V1}/portal/requests"): Route(portal=True),
    ("GET", f"{V1}/portal/requests/{{notification_id}}"): Route(record=N, portal=True),
    ("POST", f"{V1}/portal/requests/{{notification_id}}/messages"): Route(record=N, portal=True),
    ("POST", f"{V1}/portal/quotations/{{quotation_id}}/decision"): Route(record="quotation", portal=True),
    ("GET", f"{V1}/portal/documents"): Route(portal=True),
    ("GET", f"{V1}/portal/articles"): Route(portal=True, extra={"q": "抽屉"}),
    ("GET", f"{V1}/portal/articles/suggest"): Route(portal=True, extra={"text": "抽屉打不开"}),
    ("GET", f"{V1}/portal/articles/{{article_id}}"): Route(record="article", portal=True),
    ("POST", f"{V1}/portal/articles/{{article_id}}/solved"): Route(record="article", portal=True),
    ("GET", f"{V1}/knowledge/articles"): Route(perm="knowledge.view_article", extra={"q": "抽屉"}),
    ("POST", f"{V1}/knowledge/articles"): Route(perm="knowledge.add_article"),
    ("GET", f"{V1}/knowledge/articles/suggest"): Route(perm="knowledge.view_article", extra={"text": "抽屉"}),
    ("GET", f"{V1}/knowledge/articles/{{article_id}}"): Route(
        record="article", perm="knowledge.view_article"
    ),
    ("PATCH", f"{V1}/knowledge/articles/{{article_id}}"): Route(
        record="article", perm="knowledge.change_article"
    ),
    ("POST", f"{V1}/knowledge/articles/{{article_id}}/solved"): Route(
        record="article", perm="knowledge.view_article"
    ),
    ("POST", f"{V1}/knowledge/solutions"): Route(perm="tickets.change_notification"),
    # --- h-portal2 (issue 13: portal rating, WeChat binding code, mail re-run)
    ("POST", f"{V1}/portal/requests/{{notification_id}}/rating"): Route(record=N, portal=True),
    ("GET", f"{V1}/portal/wechat-code"): Route(portal=True),
    ("POST", f"{V1}/portal/wechat-code"): Route(portal=True),
    ("POST", f"{V1}/channels/inbound/{{mail_id}}/rerun"): Route(
        record="inbound", perm=("channels.view_inboundmail", "channels.change_inboundmail")
    ),
    # --- h-value: sales-value feed, warnings, the December campaign (issue 11)
    ("GET", f"{V1}/customers/{{customer_id}}/sales"): Route(record=C, perm="customers.view_monthlysales"),
    ("PUT", f"{V1}/customers/{{customer_id}}/sales/{{period}}"): Route(
        record=C, perm=("customers.add_monthlysales", "customers.change_monthlysales")
    ),
    ("POST", f"{V1}/customers/sales"): Route(
        perm=("customers.add_monthlysales", "customers.change_monthlysales")
    ),
    ("GET", f"{V1}/customers/warnings"): Route(perm="customers.view_customerwarning"),
    ("POST", f"{V1}/customers/warnings/{{warning_id}}/acknowledge"): Route(
        record="warning", perm=("customers.view_customerwarning", "customers.acknowledge_customerwarning")
    ),
    ("GET", f"{V1}/surveys/campaigns"): Route(perm="surveys.view_surveycampaign"),
    ("POST", f"{V1}/surveys/campaigns"): Route(perm="surveys.add_surveycampaign"),
    ("GET", f"{V1}/surveys/campaigns/{{campaign_id}}"): Route(perm="surveys.view_surveycampaign"),
    # --- h-clocks: service clocks on notifications (issue 12, capability 5)
    ("GET", f"{V1}/notifications/service-targets"): Route(perm="tickets.view_notification"),
    ("GET", f"{V1}/worktime/periods"): Route(extra={"days": "7"}),
    # --- h-agent (issue 14: queues, call lists)
    ("POST", f"{V1}/contacts/calls/{{call_id}}/take"): Route(record="call", perm="contacts.answer_call"),
    ("GET", f"{V1}/contacts/queue/next"): Route(perm="contacts.answer_call"),
    ("GET", f"{V1}/contacts/lists"): Route(perm="contacts.view_calllist"),
    ("POST", f"{V1}/contacts/lists"): Route(perm="contacts.add_calllist"),
    ("GET", f"{V1}/contacts/lists/{{list_id}}"): Route(record="call_list", perm="contacts.view_calllist"),
    # --- h-segments
    ("GET", f"{V1}/customers/segments/current"): Route(perm="customers.view_segmentrun"),
    ("GET", f"{V1}/customers/segments/runs/{{run_id}}"): Route(
        record="segment_run", perm="customers.view_segmentrun"
    ),
    ("POST", f"{V1}/customers/segments/runs"): Route(perm="customers.classify_customer"),
    ("GET", f"{V1}/notifications/disputes"): Route(perm="tickets.view_dispute"),
    ("POST", f"{V1}/notifications/{{notification_id}}/disputes"): Route(record=N, perm="tickets.add_dispute"),
    ("POST", f"{V1}/notifications/disputes/{{dispute_id}}/transitions"): Route(
        record="dispute", perm="tickets.view_dispute"
    ),
}


def url_names() -> set[str]:
    """Every named page route of the URL conf (the admin and the API have their own checks)."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api"):
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    users: dict
    records: dict  # side → record kind → url kwargs
    canaries: dict  # side → key → (old, new)
    visible: dict  # (username, side, record kind) → may see


def _plant(side: str, objs: dict, admin) -> None:
    """Put the canaries on one side's records, through the services, so history holds them."""
    from kefu.complaints import services as complaint_services
    from kefu.customers import services as customer_services
    from kefu.org.models import Staff
    from kefu.tickets import services as ticket_services

    values = CANARIES[side]
    customer = objs["customer"]
    type(customer).objects.filter(pk=customer.pk).update(
        phone=values["customer_phone"][0],
        mobile=values["customer_mobile"][0],
        email=values["customer_email"][0],
        address=values["customer_address"][0],
        key_account_manager=None,
    )
    customer.refresh_from_db()
    customer_services.update_customer(
        customer,
        actor=admin,
        expected_version=None,
        phone=values["customer_phone"][1],
        mobile=values["customer_mobile"][1],
        email=values["customer_email"][1],
        address=values["customer_address"][1],
    )
    contact = objs["contact"]
    type(contact).objects.filter(pk=contact.pk).update(mobile=values["contact_mobile"][0])
    contact.refresh_from_db()
    customer_services.update_contact(contact, actor=admin, mobile=values["contact_mobile"][1])

    notification = objs["notification"]
    type(notification).objects.filter(pk=notification.pk).update(
        contact_phone=values["notification_phone"][0], object_address=values["notification_address"][0]
    )
    notification.refresh_from_db()
    ticket_services.update_notification(
        actor=admin,
        notification=notification,
        expected_version=None,
        contact_phone=values["notification_phone"][1],
        object_address=values["notification_address"][1],
    )
    complaint = objs["complaint"]
    type(complaint).objects.filter(pk=complaint.pk).update(contact_phone=values["complaint_phone"][0])
    complaint.refresh_from_db()
    complaint_services.update_complaint(
        complaint, actor=admin, expected_version=None, contact_phone=values["complaint_phone"][1]
    )
    Staff.objects.filter(pk=objs["staff"].pk).update(phone=values["staff_phone"][0])


def _pick(side: str, wangmin_staff) -> dict:
    """One record of each kind in the side's centre, ready to be planted."""
    from kefu.billing.models import Quotation
    from kefu.channels.models import Notice, OutboundMail
    from kefu.complaints.models import Accident, Carrier, Complaint
    from kefu.customers.models import Contact, Customer, CustomerPartner, ServiceAddress
    from kefu.org.models import SalesOffice, Staff, WorkCentre
    from kefu.tickets.models import Attachment, Item, Notification
    from kefu.workflow.choices import Stage

    office = SalesOffice.objects.get(code=OWN_OFFICE if side == "own" else OTHER_OFFICE)
    centre = WorkCentre.objects.get(code=OWN_CENTRE if side == "own" else OTHER_CENTRE)
    customer = Customer.objects.filter(sales_office=office).order_by("pk").first()
    contact = Contact.objects.filter(customer=customer).first() or Contact.objects.create(
        customer=customer, name="联系人"
    )
    address = ServiceAddress.objects.filter(customer=customer).first() or ServiceAddress.objects.create(
        customer=customer, address=f"{office.name}服务地址"
    )
    partner_customer = Customer.objects.filter(sales_office=office).exclude(pk=customer.pk).first()
    partner = CustomerPartner.objects.create(customer=customer, function="SH", partner=partner_customer)
    notification = (
        Notification.objects.filter(sales_office=office, work_centre=centre)
        .exclude(stage=Stage.COMPLETED)
        .order_by("pk")
        .first()
    )
    Notification.objects.filter(pk=notification.pk).update(
        customer=customer, responsible=wangmin_staff if side == "own" else None
    )
    notification.refresh_from_db()
    item = Item.objects.filter(notification=notification).first()
    attachment = Attachment.objects.create(
        notification=notification,
        file=default_storage.save(f"matrix/{side}.txt", ContentFile(b"photo")),
        name="photo.txt",
        content_type="text/plain",
        size=5,
    )
    quotation = Quotation.objects.filter(notification__sales_office=office).first()
    complaint = Complaint.objects.filter(sales_office=office, is_open=True).order_by("pk").first()
    accident = Accident.objects.filter(sales_office=office, is_open=True).order_by("pk").first()
    if accident is None:  # the demo's random spread may leave a centre without one: make it
        from django.utils import timezone

        from kefu.complaints.services import create_accident

        accident = create_accident(
            actor=get_user_model().objects.get(username="admin"),
            kind=Accident._meta.get_field("kind").choices[0][0],
            occurred_at=timezone.now(),
            place=f"{office.name}仓库",
            description="运输途中破损",
            sales_office=office,
            customer=customer,
        )
    staff = Staff.objects.filter(sales_offices=office).exclude(user__username="admin").order_by("pk").first()
    mail = OutboundMail.objects.filter(
        content_type=ContentType.objects.get_for_model(Notification),
        object_id__in=Notification.objects.filter(sales_office=office).values("pk"),
    ).first()
    from kefu.knowledge.models import Article

    article = (
        Article.objects.filter(visibility="public" if side == "own" else "internal").order_by("pk").first()
    )
    return {
        "article": article,
        "office": office,
        "customer": customer,
        "contact": contact,
        "address": address,
        "partner": partner,
        "notification": notification,
        "item": item,
        "attachment": attachment,
        "quotation": quotation,
        "complaint": complaint,
        "accident": accident,
        "staff": staff,
        "mail": mail,
        "carrier": Carrier.objects.order_by("pk").first(),
        "notice_model": Notice,
        **_pick_relations(office, complaint),  # issue 11
        **_pick_reports(side, office, wangmin_staff),
        **_pick_inbound(side, office, customer, notification, attachment),
        **_pick_contacts(office, customer, contact),
        **_pick_value(side, customer),  # h-value
        **_pick_segments_and_disputes(notification),  # h-segments
    }


def _pick_relations(office, complaint) -> dict:
    """Visits, receptions and a fresh rating link of the side's centre (issue 11)."""
    from kefu.surveys.services import issue_rating, rating_token
    from kefu.visits.models import Reception, Visit, VisitRule

    reception = Reception.objects.filter(sales_office=office, status__code="JDCG").order_by("pk").first()
    return {
        "visit": Visit.objects.filter(sales_office=office, status="planned").order_by("pk").first(),
        "reception": reception,
        "question": reception.questions.order_by("pk").first(),
        "rule": VisitRule.objects.order_by("pk").first(),
        "rating_token": rating_token(issue_rating(complaint)),
    }


def _pick_reports(side: str, office, wangmin_staff) -> dict:
    """Reports (issue 15): a scorecard and a weekly report of the side's centre, an archived report."""
    from datetime import date

    from kefu.reports.models import Scorecard, SupervisionReport, WeeklyReport

    cards = Scorecard.objects.filter(sales_office=office).order_by("staff_id")
    card = (cards.filter(staff=wangmin_staff) if side == "own" else cards.exclude(staff=None)).first()
    card = card or cards.first()
    weekly = WeeklyReport.objects.filter(sales_office=office).order_by("pk").first()
    if weekly is None:
        weekly = WeeklyReport.objects.create(
            week_start=date(2026, 11, 30), staff=card.staff or wangmin_staff, sales_office=office
        )
    report, _created = SupervisionReport.objects.get_or_create(
        period_start=date(2020, 1 if side == "own" else 2, 1),
        defaults={
            "period_end": date(2020, 1, 31),
            "file": default_storage.save(f"matrix/{side}.pdf", ContentFile(b"%PDF-1.4")),
        },
    )
    return {"scorecard": card, "scorecard_sign": card, "weekly_report": weekly, "supervision_report": report}


def _pick_inbound(side: str, office, customer, notification, attachment) -> dict:
    """A mailbox of the side's centre with one incoming mail about the side's notification; its
    sender is the customer's canary address (masked for masked roles)."""
    from kefu.channels.models import InboundAttachment, InboundMail, Mailbox, WeChatAccount

    admin = get_user_model().objects.get(username="admin")
    mailbox = Mailbox.objects.filter(sales_office=office).first() or Mailbox.objects.create(
        name=f"matrix {side}",
        address=f"matrix-{side}@example.com",
        host="127.0.0.1",
        username="matrix",
        department=office.department,
        sales_office=office,
        intake_user=admin,
    )
    sender = CANARIES[side]["customer_email"][1]
    inbound = InboundMail.objects.create(
        mailbox=mailbox,
        message_id=f"<matrix-{side}@canary.cn>",
        from_address=sender,
        from_name="矩阵",
        subject="矩阵来信",
        text="矩阵",
        status="unmatched",
        customer=customer,
        content_type=ContentType.objects.get_for_model(notification),
        object_id=notification.pk,
        raw=f"From: {sender}\r\nSubject: matrix\r\n\r\nmatrix\r\n".encode(),
    )
    inbound_attachment = InboundAttachment.objects.create(
        mail=inbound, name="photo.txt", content_type="text/plain", size=5, file=attachment.file.name
    )
    account = WeChatAccount.objects.order_by("pk").first() or WeChatAccount.objects.create(
        name="matrix", app_id="wxmatrix", app_secret="s", token="t", intake_user=admin
    )
    return {"inbound": inbound, "inbound_attachment": inbound_attachment, "wechat_account": account}


# --- h-segments: a finished segmentation run (company-wide) and a dispute on the side's notification
def _pick_segments_and_disputes(notification) -> dict:
    from kefu.customers.models import Segment, SegmentRun
    from kefu.org.models import Department
    from kefu.tickets.models import Dispute
    from kefu.workflow.engine import initial_status

    run = SegmentRun.objects.filter(status="done").first()
    if run is None:
        run = SegmentRun.objects.create(status="done", k=1, customer_count=1)
        Segment.objects.create(run=run, number=0, centre={}, traits=["value+"], size=1)
    departments = list(Department.objects.order_by("code")[:2])
    dispute = Dispute(
        notification=notification,
        requesting_department=departments[0],
        issue="矩阵分歧",
        positions="矩阵意见",
        raised_by=get_user_model().objects.get(username="admin"),
    )
    dispute.status = initial_status(dispute.workflow_profile())
    dispute.save()
    dispute.other_departments.set(departments[1:])
    return {"segment_run": run, "dispute": dispute}


# --- contacts (issue 14)
def _pick_contacts(office, customer, person) -> dict:
    """A contact record with its call and an outbound task in the side's centre."""
    from django.contrib.auth import get_user_model

    from kefu.contacts.models import Call, CallList, CallTask, Contact
    from kefu.worktime import clock

    record = Contact.objects.create(
        channel="phone", received_at=clock.now(), customer=customer, person=person, sales_office=office
    )
    call = Call.objects.create(contact=record, number=customer.mobile or customer.phone, ring_at=clock.now())
    call_list = CallList.objects.create(name="矩阵回访", sales_office=office)
    agent = get_user_model().objects.get(username="assistant")
    task = CallTask.objects.create(call_list=call_list, customer=customer, agent=agent)
    return {"contact_record": record, "call": call, "call_task": task, "call_list": call_list}


# --- h-value: a warning about the side's customer, a campaign and its answer link
def _pick_value(side: str, customer) -> dict:
    from kefu.customers.services import raise_warning
    from kefu.surveys.models import SurveyCampaign, SurveyInvitation, SurveyTemplate
    from kefu.surveys.services import campaign_token
    from kefu.worktime import clock

    warning = raise_warning(
        customer, kind="value_drop", source_key=f"matrix:{side}", message="矩阵", assignee=None, notify=False
    )
    campaign = SurveyCampaign.objects.create(
        code=f"XNXQ-{2000 if side == 'own' else 2001}",
        template=SurveyTemplate.objects.get(code="XNXQ"),
        year=2000 if side == "own" else 2001,
        started_at=clock.now(),
        expires_at=clock.now() + dt.timedelta(days=30),
    )
    invitation = SurveyInvitation.objects.create(campaign=campaign, customer=customer, nonce=f"matrix{side}")
    return {"warning": warning, "campaign": campaign, "campaign_token": campaign_token(invitation)}


def _url_kwargs(kind: str, objs: dict, user) -> dict:
    """URL kwargs for a record kind, for one side's records (a notice and a token are the user's)."""
    from kefu.workflow.models import Transition

    if kind == "complaint_step":
        complaint = objs["complaint"]
        step = (
            Transition.objects.filter(from_status_id=complaint.status_id).select_related("to_status").first()
        )
        return {"pk": complaint.pk, "to": step.to_status.code}
    if kind == "accident_step":
        accident = objs["accident"]
        step = (
            Transition.objects.filter(from_status_id=accident.status_id).select_related("to_status").first()
        )
        return {"pk": accident.pk, "to": step.to_status.code}
    if kind == "dispute_step":  # h-manage: the office's ruling
        return {"pk": objs["dispute"].pk, "to": "YCJ"}
    if kind == "carrier_kind":
        return {"pk": objs["carrier"].pk, "kind": "training"}
    if kind in ("contact", "address", "partner"):
        obj = objs[kind]
        return {"pk": obj.customer_id, f"{kind}_id": obj.pk}
    if kind == "item":
        return {"pk": objs["item"].notification_id, "item_id": objs["item"].pk}
    if kind == "attachment":
        return {"pk": objs["attachment"].notification_id, "attachment_id": objs["attachment"].pk}
    if kind == "notice":
        notice = objs["notices"].get(user.username) if user else None
        return {"pk": notice.pk if notice else 0}
    if kind == "token":
        token = objs["tokens"].get(user.username) if user else None
        return {"pk": token.pk if token else 0}
    if kind == "export":
        job = objs["exports"].get(user.username) if user else None
        return {"pk": job.pk if job else 0}
    if kind == "notification":
        return {"pk": objs["notification"].pk}
    if kind == "reception_step":  # issue 11
        return {"pk": objs["reception"].pk, "to": "JDTJ"}
    if kind == "rating_token":
        return {"token": objs["rating_token"]}
    if kind == "survey":
        return {"code": "MYDC"}
    if kind == "inbound_attachment":
        return {"pk": objs["inbound"].pk, "attachment": objs["inbound_attachment"].pk}
    if kind == "invitation":
        return {"token": "not-a-token"}
    if kind == "campaign_token":  # h-value
        return {"token": objs["campaign_token"]}
    return {"pk": objs[kind].pk}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo company, with canaries planted; rolled back when the module ends."""
    from kefu.channels.models import Notice
    from kefu.org.models import Staff

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        objs: dict = {}
        try:
            call_command("demo", verbosity=0)
            users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLE_USERS)}
            admin = users["admin"]
            wangmin = Staff.objects.get(user__username="wangmin")
            objs = {side: _pick(side, wangmin) for side in ("own", "other")}
            for side in ("own", "other"):
                _plant(side, objs[side], admin)
            # A notice and a token of each user on the own side; the other side holds another
            # user's, which must never open.
            for side, holder in (("own", None), ("other", "tj_tech")):
                objs[side]["notices"], objs[side]["tokens"], objs[side]["exports"] = {}, {}, {}
                for name, user in users.items():
                    owner = user if holder is None else get_user_model().objects.get(username=holder)
                    objs[side]["notices"][name] = Notice.objects.create(
                        recipient=owner, message="矩阵", url="/"
                    )
                    token, _key = create_token(actor=owner, name=f"matrix-{side}-{name}")
                    objs[side]["tokens"][name] = token
                    objs[side]["exports"][name] = _export_of(owner, side)
            yield World(users=users, records=objs, canaries=CANARIES, visible={})
        finally:
            files = [job.file.name for side in objs for job in objs[side].get("exports", {}).values()]
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            for side in ("own", "other"):
                default_storage.delete(f"matrix/{side}.txt")
                default_storage.delete(f"matrix/{side}.pdf")
            for name in files:
                default_storage.delete(name)


def _export_of(owner, side: str):
    """A finished export of `owner`: only its owner may open it (the other side's jobs belong to
    someone else and must answer 404)."""
    from kefu.core.models import ExportJob
    from kefu.core.xlsx import XlsxWriter

    sheet = XlsxWriter()
    sheet.add_sheet("矩阵", ["编号"])
    sheet.append([f"{side}-{owner.username}"])
    content = io.BytesIO()
    sheet.save(content)
    job = ExportJob.objects.create(
        owner=owner, kind="tickets.worklist", title="矩阵", filename="matrix.xlsx", status="done"
    )
    job.file.save(f"matrix-{side}.xlsx", ContentFile(content.getvalue()), save=True)
    return job


def _text(response) -> str:
    """Everything a response carries, as text: HTML, JSON, the XML parts of an xlsx, a PDF's text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:5] == b"%PDF-":  # h-pdf: a PDF printed by kefu.core.pdf, searched as its text
        import unicodedata

        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            pages = PdfReader(io.BytesIO(content)).pages
            text = "".join(p.extract_text() or "" for p in pages)
        except PyPdfError:  # a stub file of the world ("%PDF-1.4"): search its bytes
            return content.decode("utf-8", "replace")
        return unicodedata.normalize("NFKC", text).replace(" ", "")
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if "json" in response.get("Content-Type", ""):
        try:  # \uXXXX escapes would hide a Chinese address from the search below
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            pass
    return content.decode("utf-8", "replace")


def _call(client: Client, method: str, url: str, **data):
    """One request in its own savepoint, rolled back, so no request changes what the next sees."""
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        text = _text(response)
        transaction.set_rollback(True)
    return response, text


def _may_see(user, obj) -> bool:
    """The one scope rule, asked directly: may `user` see this record?"""
    model = type(obj)
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user).filter(pk=obj.pk).exists()
    return True


def _masked(user) -> bool:
    return not user.has_perm("customers.view_personal_data")


SCOPED_RECORD = {
    "customer": "customer",
    "contact": "customer",
    "address": "customer",
    "partner": "customer",
    "notification": "notification",
    "item": "notification",
    "attachment": "notification",
    "quotation": "notification",
    "complaint": "complaint",
    "complaint_step": "complaint",
    "accident": "accident",
    "accident_step": "accident",
    "staff": "staff",
    "visit": "visit",  # issue 11
    "reception": "reception",
    "reception_step": "reception",
    "question": "reception",
    # --- reports (issue 15)
    "scorecard": "scorecard",
    "scorecard_sign": "scorecard",
    "weekly_report": "weekly_report",
    "inbound": "inbound",
    "inbound_attachment": "inbound",
    # --- contacts (issue 14)
    "contact_record": "contact_record",
    "call": "call",
    "call_task": "call_task",
    # --- h-value
    "warning": "warning",
    "call_list": "call_list",  # h-agent
    # --- h-segments
    "dispute": "notification",
    "dispute_step": "notification",  # h-manage
}


def _expected(route: Route, user, side: str, objs: dict) -> set[int]:
    """What a route may answer `user` for a record of `side`: derived from the rules."""
    from kefu.core.scoping import customer_of
    from kefu.knowledge.models import Article
    from kefu.tickets.models import Notification

    perms = (route.perm,) if isinstance(route.perm, str) else (route.perm or ())
    allowed = all(user.has_perm(p) for p in perms)
    if route.portal != (customer_of(user) is not None):
        return {403, 404}  # staff on the customer side, customers on the staff side
    visible = True
    if route.record == "article":
        visible = Article.objects.readable_by(user).filter(pk=objs["article"].pk).exists()
    elif route.record == "quotation":
        visible = _may_see(user, objs["quotation"].notification)
    elif route.record == "mail":
        # The outbox shows the mail of visible records to holders of the outbox permission,
        # and to everyone else only what they sent themselves (kefu.channels.queries.outbox).
        visible = objs["mail"].created_by_id == user.pk or (
            user.has_perm("channels.view_outboundmail")
            and _may_see(user, Notification.objects.get(pk=objs["mail"].object_id))
        )
    elif route.record in SCOPED_RECORD:
        owner_kind = SCOPED_RECORD[route.record]
        visible = _may_see(user, objs[owner_kind])
    if route.record in ("notice", "token", "export") and side == "other":
        visible = False
    if route.record in ("scorecard_sign", "weekly_report") and visible and allowed:
        # Only the appraised person signs a card, only the author submits a weekly report.
        record = objs[route.record]
        if getattr(record.staff, "user_id", None) != user.pk:
            return {200, 302, 400, 403, 409}
    if not visible:
        return {404} if allowed else {403, 404}
    if not allowed:
        return {403}
    return {200, 204, 302, 400, 409}  # 204: a push stream asked of the web server (kefu.core.push)


def _is_customer_user(user) -> bool:
    from kefu.core.scoping import customer_of

    return customer_of(user) is not None


def _open_to_customers(url: str) -> bool:
    from django.urls import resolve

    from kefu.core.middleware import CUSTOMER_OPEN_ROUTES

    match = resolve(url.split("?")[0])
    return match.view_name in CUSTOMER_OPEN_ROUTES or getattr(match.func, "customer_facing", False)


def _hidden_canaries(world: World, user, route_name: str) -> list[str]:
    """The planted values `user` must not find in this route's answer."""
    hidden = []
    for side, values in world.canaries.items():
        for key, pair in values.items():
            if key == "staff_phone":
                if user.has_perm("org.view_personal_data"):
                    continue
            elif not _masked(user) or (
                key in NEED_TO_KNOW_KEYS
                and side == "own"
                and user.username == "wangmin"
                and route_name in NEED_TO_KNOW_ROUTES
            ):
                continue
            hidden.extend(pair)
    return sorted(set(hidden))


def _page_calls(name: str, route: Route, world: World, user):
    """(side, method, url, data) for every call the matrix makes of one page route."""
    sides = ("own", "other") if route.record else ("own",)
    for side in sides:
        kwargs = _url_kwargs(route.record, world.records[side], user) if route.record else {}
        url = reverse(name, kwargs=kwargs)
        if route.get:
            yield side, "get", url, dict(route.extra)
        if route.post:
            yield side, "post", url, {}


def _check_answer(problems: list, label: str, response, text: str, expected: set[int], hidden: list[str]):
    status = response.status_code
    if status >= 500 or status not in expected:
        problems.append(f"{label}: {status}, expected one of {sorted(expected)}")
    leaked = [value for value in hidden if value in text]
    if leaked:
        problems.append(f"{label}: carries hidden personal values {leaked}")


def test_every_route_is_classified():
    from kefu.api.site import api

    assert url_names() - set(PAGES) == set(), "pages the matrix does not know: classify them in PAGES"
    assert set(PAGES) - url_names() == set(), "PAGES names routes that no longer exist"
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert operations - set(API) == set(), "API operations the matrix does not know: classify them in API"
    assert set(API) - operations == set(), "API names operations that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matrix(world, name):
    route = PAGES[name]
    problems: list[str] = []
    anonymous = Client(HTTP_HOST="127.0.0.1")
    for _side, method, url, data in _page_calls(name, route, world, None):
        response, _ = _call(anonymous, method, url, **data)
        if not route.public and response.status_code not in (302, 405):
            problems.append(f"anonymous {method.upper()} {url}: {response.status_code}, expected a login")
        if not route.public and response.status_code == 302 and "/login/" not in response["Location"]:
            problems.append(f"anonymous {method.upper()} {url}: sent to {response['Location']}")
    for username in ROLE_USERS:
        user = world.users[username]
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        client.force_login(user)
        hidden = _hidden_canaries(world, user, name)
        for side, method, url, data in _page_calls(name, route, world, user):
            response, text = _call(client, method, url, **data)
            expected = _expected(route, user, side, world.records[side])
            if route.public:
                # Public pages answer everyone, except that a customer user (portal account) stays
                # on the customer side: a staff-side public page (the technician app's manifest)
                # answers them 404 (kefu.core.middleware.CustomerBoundaryMiddleware).
                expected = {200, 302, 405}
                if _is_customer_user(user) and not _open_to_customers(url):
                    expected = {404}
            _check_answer(
                problems, f"{username} {side} {method.upper()} {url}", response, text, expected, hidden
            )
            if os.environ.get("KEFU_MATRIX_REPORT"):
                print(
                    f"{name:40} {username:11} {side:5} {method:4} {response.status_code} {sorted(expected)}"
                )
    assert not problems, "\n".join(problems)


API_PARAMS = {
    "customer_id": lambda objs: objs["customer"].pk,
    "contact_id": lambda objs: objs["contact"].pk,
    "address_id": lambda objs: objs["address"].pk,
    "notification_id": lambda objs: objs["notification"].pk,
    "item_id": lambda objs: objs["item"].pk,
    "complaint_id": lambda objs: objs["complaint"].pk,
    "accident_id": lambda objs: objs["accident"].pk,
    "staff_id": lambda objs: objs["staff"].pk,
    "quotation_id": lambda objs: objs["quotation"].pk,
    "article_id": lambda objs: objs["article"].pk,
    "kind": lambda objs: "product-type",
    "visit_id": lambda objs: objs["visit"].pk,  # issue 11
    "reception_id": lambda objs: objs["reception"].pk,
    # --- reports (issue 15)
    "card_id": lambda objs: objs["scorecard"].pk,
    # --- channels (issue 13)
    "mail_id": lambda objs: objs["inbound"].pk,
    # --- contacts (issue 14)
    "record_id": lambda objs: objs["contact_record"].pk,
    "call_id": lambda objs: objs["call"].pk,
    "task_id": lambda objs: objs["call_task"].pk,
    # --- h-value
    "warning_id": lambda objs: objs["warning"].pk,
    "campaign_id": lambda objs: objs["campaign"].pk,
    "period": lambda objs: "2026-11",
    "list_id": lambda objs: objs["call_list"].pk,  # h-agent
    # --- h-segments
    "run_id": lambda objs: objs["segment_run"].pk,
    "dispute_id": lambda objs: objs["dispute"].pk,
}


def _api_url(path: str, objs: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(API_PARAMS[m.group(1)](objs)), path)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_matrix(world, operation):
    method, path = operation
    route = API[operation]
    problems: list[str] = []
    sides = ("own", "other") if route.record and route.record != "catalog" else ("own",)
    for side in sides:
        url = _api_url(path, world.records[side])
        anonymous = Client(HTTP_HOST="127.0.0.1")
        response, _ = _api_call(anonymous, method, url, route)
        if response.status_code != 401:
            problems.append(f"anonymous {method} {url}: {response.status_code}, expected 401")
    for username in ROLE_USERS:
        user = world.users[username]
        _token, key = create_token(actor=user, name="matrix")
        client = Client(
            HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}", raise_request_exception=False
        )
        hidden = _hidden_canaries(world, user, f"api {path}")
        for side in sides:
            url = _api_url(path, world.records[side])
            response, text = _api_call(client, method, url, route)
            expected = _expected(route, user, side, world.records[side])
            if method != "GET":
                # An empty body may be refused before the permission is asked (400), and a
                # permitted write may do anything but fail; a refused one never gets a 2xx.
                expected = set(range(200, 500)) if expected >= {200} else expected | {400, 405, 409}
            if route.signed:  # a login, staff or customer, is no signature
                expected = {401}
            _check_answer(problems, f"{username} {side} {method} {url}", response, text, expected, hidden)
            if response.status_code >= 400 and "application/json" not in response.get("Content-Type", ""):
                problems.append(f"{username} {side} {method} {url}: an error that is not JSON")
            if os.environ.get("KEFU_MATRIX_REPORT"):
                print(
                    f"{method} {path:55} {username:11} {side:5} {response.status_code} {sorted(expected)[:6]}"
                )
    assert not problems, "\n".join(problems)


def _api_call(client: Client, method: str, url: str, route: Route):
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, route.extra)
        else:
            response = getattr(client, method.lower())(url, data="{}", content_type="application/json")
        text = _text(response)
        transaction.set_rollback(True)
    return response, text

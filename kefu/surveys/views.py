"""Pages of satisfaction: the public rating page (no login), results with charts, entering survey answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from kefu.core.errors import KefuError
from kefu.core.forms import apply_error
from kefu.core.middleware import customer_facing
from kefu.surveys import queries, services
from kefu.surveys.errors import RatingLinkExpired, RatingLinkInvalid, RatingLinkUsed
from kefu.surveys.forms import AnswerForm, RatingForm, ResponseForm
from kefu.surveys.models import SurveyTemplate
from kefu.visits.forms import PeriodForm
from kefu.worktime import clock


@customer_facing  # the customer's own rating link works when they are signed in to the portal too
@never_cache
@csrf_protect
def rate(request, token: str):
    """The customer's rating page, reached from the closing mail or the QR code; no login."""
    try:
        rating = services.rating_for_token(token)
    except (RatingLinkInvalid, RatingLinkExpired, RatingLinkUsed) as exc:
        return _closed(request, exc)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_rating(
                token, stars=form.cleaned_data["stars"], comment=form.cleaned_data["comment"]
            )
        except (RatingLinkInvalid, RatingLinkExpired, RatingLinkUsed) as exc:
            return _closed(request, exc)
        except KefuError as exc:
            apply_error(form, exc)
        else:
            return render(request, "surveys/rate_done.html", {"rating": rating})
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/rate.html", {"rating": rating, "form": form}, status=status)


def _closed(request, exc: KefuError):
    return render(
        request, "surveys/rate_closed.html", {"message": exc.message, "code": exc.code}, status=exc.status
    )


@login_required
@permission_required("surveys.view_satisfaction_reports", raise_exception=True)
def results(request):
    form = PeriodForm(request.GET or None)
    today = clock.now().astimezone(queries.SH).date()
    if not request.GET.get("start"):
        form = PeriodForm({"start": today.replace(year=today.year - 1), "end": today})
    start, end = form.period(today)
    user = request.user
    by_office = queries.evaluation_rate(user, start, end, by="office")
    by_staff = queries.evaluation_rate(user, start, end, by="staff")
    factors = queries.factor_results(user, start, end)
    tiers = queries.gap_by(user, start, end, group="tier")
    offices = queries.gap_by(user, start, end, group="office")
    issued = sum(r["issued"] for r in by_office)
    rated = sum(r["rated"] for r in by_office)
    chart = {
        "factors": [f["label"] for f in factors],
        "expected": [f["expected"] for f in factors],
        "perceived": [f["perceived"] for f in factors],
        "gap": [f["gap"] for f in factors],
        "stars": queries.stars_distribution(user, start, end),
        "tiers": {"names": [t["name"] for t in tiers], "gap": [t["gap"] for t in tiers]},
        "offices": {"names": [r["name"] for r in by_office], "rate": [r["rate"] for r in by_office]},
    }
    context = {
        "form": form,
        "start": start,
        "end": end,
        "by_office": by_office,
        "by_staff": by_staff,
        "factors": factors,
        "tiers": tiers,
        "offices": offices,
        "total": {"issued": issued, "rated": rated, "rate": queries.rate(rated, issued)},
        "target": queries.TARGET_RATE,
        "chart": chart,
        "templates": SurveyTemplate.objects.filter(is_active=True),
        "campaigns": queries.campaigns()[:5],
        "can_start_campaign": user.has_perm("surveys.add_surveycampaign"),
    }
    return render(request, "surveys/results.html", context)


@login_required
@permission_required("surveys.add_surveyresponse", raise_exception=True)
def respond(request, code: str):
    template = get_object_or_404(SurveyTemplate, code=code, is_active=True)
    form = ResponseForm(
        request.POST or None,
        template=template,
        user=request.user,
        initial={"customer": request.GET.get("customer", ""), "collected": "visit"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_response(
                actor=request.user,
                template=template,
                customer=form.cleaned_data["customer"],
                answers=form.answers(),
                collected=form.cleaned_data["collected"],
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Survey answers saved."))
            return redirect("surveys:respond", code)
    return render(
        request, "complaints/form.html", {"form": form, "title": template.name, "back": "visits:mine"}
    )


@login_required
@require_POST
@permission_required("surveys.add_surveycampaign", raise_exception=True)
def campaign_start(request):
    """Start the December new-needs campaign 年度新需求调查 by hand (or see the one already started)."""
    try:
        campaign = services.start_campaign(actor=request.user, year=request.POST.get("year") or None)
    except KefuError as exc:
        messages.error(request, next(iter(exc.fields.values()), [str(exc.message)])[0])
    else:
        messages.success(
            request,
            _("Campaign %(code)s: %(sent)s mails sent to %(total)s customers so far.")
            % {"code": campaign.code, "sent": campaign.sent, "total": campaign.total},
        )
    return redirect("surveys:results")


@customer_facing
@never_cache
@csrf_protect
def campaign_answer(request, token: str):
    """The customer's page of a campaign survey, from the mailed link; no login, answered once."""
    try:
        invitation = services.invitation_for_token(token)
    except (RatingLinkInvalid, RatingLinkExpired, RatingLinkUsed) as exc:
        return _closed(request, exc)
    template = invitation.campaign.template
    form = AnswerForm(request.POST or None, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_invitation(token, form.answers())
        except (RatingLinkInvalid, RatingLinkExpired, RatingLinkUsed) as exc:
            return _closed(request, exc)
        except KefuError as exc:
            apply_error(form, exc)
        else:
            return render(request, "surveys/campaign_done.html", {"invitation": invitation})
    status = 400 if request.method == "POST" else 200
    return render(
        request, "surveys/campaign_answer.html", {"invitation": invitation, "form": form}, status=status
    )

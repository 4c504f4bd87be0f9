# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisation.access import hr_required
from organisation.audit import Action, log_access

from . import answers, pending, rounds
from .access import get_assessment_for_hr, get_assessment_for_owner, get_round_for_hr, own_assessments
from .forms import (
    CloseForm,
    ExtendForm,
    ParticipantSearchForm,
    RatingForm,
    ReopenForm,
    RoundForm,
    SharingForm,
    SubmitForm,
)
from .models import Assessment, AssessmentStatus, Rating, Round, RoundStatus

FORM_TEMPLATE = "assessments/fill_in.html"
STATUS_ORDER = {RoundStatus.OPEN: 0, RoundStatus.SCHEDULED: 1, RoundStatus.CLOSED: 2}


# Employee pages


@login_required
def my_assessments(request):
    """The person's rounds, open ones first; joins rounds they became part of since they opened."""
    rounds.enrol_person(request.user)
    pending.apply(request)
    assessments = list(own_assessments(request.user).select_related("round").with_answered_count())
    totals = answers.competency_counts({assessment.round_id for assessment in assessments})
    for assessment in assessments:
        assessment.total = totals.get(assessment.round_id, 0)
    assessments.sort(key=_list_order)
    return render(request, "assessments/my_assessments.html", {"assessments": assessments})


def _list_order(assessment):
    status = assessment.round.status()
    days = assessment.round.closes_on.toordinal()
    return (STATUS_ORDER[status], -days if status == RoundStatus.CLOSED else days)


@login_required
def fill_in(request, pk):
    assessment = get_assessment_for_owner(request, pk)
    if pending.has_pending(request.session):
        pending.apply(request)
    return _form_page(request, assessment)


def _form_page(request, assessment, *, status=200, notice="", item=None):
    sections = answers.form_sections(assessment)
    if item is not None:
        for section in sections:
            section.items = [item if i.competency.pk == item.competency.pk else i for i in section.items]
    context = {
        "assessment": assessment,
        "sections": sections,
        "progress": answers.progress(sections),
        "editable": answers.why_not_editable(assessment) is None,
        "locked_reason": answers.why_not_editable(assessment),
        "notice": notice,
        "sharing_form": SharingForm(initial={"share_with_manager": assessment.shared_with_manager}),
    }
    return render(request, FORM_TEMPLATE, context, status=status)


@require_POST
def save_rating(request, pk, competency_id):
    """Autosave of one answer (htmx), or the save button without JavaScript."""
    form = RatingForm(request.POST, prefix=answers.prefix(competency_id))
    if not request.user.is_authenticated:
        return _keep_until_login(request, pk, competency_id, form)
    assessment = get_assessment_for_owner(request, pk)
    competency = answers.round_competency(assessment, competency_id)
    if competency is None:
        return _refuse(request, assessment, _("This competency is not part of this round. Nothing was saved."), 400)
    if reason := answers.why_not_editable(assessment):
        return _refuse(request, assessment, reason + " " + _("Nothing was saved."), 409)
    if not form.is_valid():
        stored = Rating.objects.filter(assessment=assessment, competency=competency).first()
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        item = answers.Item(competency, stored, errors=errors, posted=request.POST)
        return _refuse_item(request, assessment, item, 400)
    try:
        rating = answers.save_answer(assessment, competency, form.answer(), form.cleaned_data["version"])
    except answers.StaleAnswerError as exc:
        return _refuse_item(request, assessment, answers.Item(competency, exc.rating, notice=exc.message), 409)
    except answers.NotEditableError as exc:
        return _refuse(request, assessment, exc.message, 409)
    log_access(request, Action.CHANGED_RATING, assessment, detail=competency.code)
    if not request.htmx:
        messages.success(request, _("Your answer is saved."))
        return redirect(_anchor_url(assessment, competency_id))
    item = answers.Item(competency, rating)
    context = {"assessment": assessment, "item": item, "progress": answers.count_progress(assessment, competency)}
    return render(request, FORM_TEMPLATE + "#saved", context)


def _anchor_url(assessment, competency_id):
    return reverse("assessments:form", args=[assessment.pk]) + f"#c{competency_id}"


def _keep_until_login(request, pk, competency_id, form):
    """The session ended (idle timeout): keep the answer in the anonymous session and ask to log in."""
    kept = form.is_valid() and pending.keep(
        request.session, pk, competency_id, form.answer(), form.cleaned_data["version"], form.cleaned_data["owner"]
    )
    next_url = reverse("assessments:form", args=[pk]) + f"#c{competency_id}"
    login_url = resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": next_url, "expired": 1})
    if request.htmx:
        return render(request, FORM_TEMPLATE + "#expired", {"login_url": login_url, "kept": kept}, status=401)
    return redirect(login_url)


def _refuse(request, assessment, message, status):
    if request.htmx:
        return render(request, FORM_TEMPLATE + "#refused", {"message": message}, status=status)
    return _form_page(request, assessment, status=status, notice=message)


def _refuse_item(request, assessment, item, status):
    """Show the competency again with what went wrong; htmx replaces just that block."""
    if request.htmx:
        context = {"assessment": assessment, "item": item, "editable": True}
        response = render(request, FORM_TEMPLATE + "#competency", context, status=status)
        response["HX-Retarget"] = f"#{item.anchor}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return _form_page(request, assessment, status=status, item=item)


@login_required
def submit(request, pk):
    """Check that everything is answered, ask for the sharing choice and a confirmation, then submit."""
    assessment = get_assessment_for_owner(request, pk)
    if assessment.is_submitted:
        messages.info(
            request,
            _("You already submitted this self-assessment on %(when)s.") % {"when": _when(assessment.submitted_at)},
        )
        return redirect("assessments:form", pk=assessment.pk)
    sections = answers.form_sections(assessment)
    missing = answers.missing_items(sections)
    # After HR reopened it, the earlier choice stands; otherwise the round's default.
    share = assessment.shared_with_manager if assessment.reopened_at else assessment.round.share_default
    form = SubmitForm(request.POST if request.method == "POST" else None, initial={"share_with_manager": share})
    reason = answers.why_not_editable(assessment)
    status = 200
    if request.method == "POST":
        status = 409 if reason else 400
        if not reason and not missing and form.is_valid():
            try:
                answers.submit(assessment, form.cleaned_data["share_with_manager"])
            except answers.IncompleteError as exc:
                missing = exc.missing
            else:
                messages.success(request, _("Thank you. Your self-assessment is submitted."))
                return redirect("assessments:form", pk=assessment.pk)
    context = {"assessment": assessment, "missing": missing, "form": form, "reason": reason, "sections": sections}
    return render(request, "assessments/submit.html", context, status=status)


@login_required
@require_POST
def change_sharing(request, pk):
    assessment = get_assessment_for_owner(request, pk)
    form = SharingForm(request.POST)
    if not assessment.is_submitted or not form.is_valid():
        return _form_page(
            request, assessment, status=409, notice=_("You choose whether to share when you submit. Nothing changed.")
        )
    answers.set_sharing(assessment, form.cleaned_data["share_with_manager"])
    if assessment.shared_with_manager:
        messages.success(request, _("Your manager can now see your levels (not your notes)."))
    else:
        messages.success(request, _("Your answers are no longer shared with your manager."))
    return redirect(reverse("assessments:form", args=[pk]) + "#sharing")


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# HR pages


@hr_required
def round_list(request):
    queryset = Round.objects.with_participation().order_by("-opens_on", "-pk")
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "assessments/hr/round_list.html", {"page": page})


@hr_required
def round_create(request):
    today = timezone.localdate()
    initial = {"opens_on": today, "closes_on": today + datetime.timedelta(days=28)}
    form = RoundForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round_ = rounds.create_round(
            name=data["name"],
            frameworks=list(data["frameworks"]),
            competencies=list(data["competencies"]),
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            units_with_subunits=data["units_with_subunits"],
            units_only=data["units_only"],
            share_default=data["share_default"],
            by=request.user,
        )
        count = round_.assessments.count()
        messages.success(
            request,
            ngettext("Round created with %(count)s participant.", "Round created with %(count)s participants.", count)
            % {"count": count},
        )
        return redirect("assessments:round", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/hr/round_form.html", {"form": form}, status=status)


@hr_required
def round_detail(request, pk):
    return _round_page(request, get_round_for_hr(request, pk))


def _round_page(request, round_, *, extend_form=None, close_form=None, status=200):
    units = Paginator(rounds.participation_by_unit(round_), 50).get_page(request.GET.get("page"))
    context = {
        "round": round_,
        "frameworks": round_.frameworks.all(),
        "competencies": round_.competencies().select_related("framework"),
        "round_units": round_.round_units.select_related("unit"),
        "totals": rounds.Participation(None, 0, **_totals(round_)),
        "units": units,
        "extend_form": extend_form or ExtendForm(round_=round_),
        "close_form": close_form or CloseForm(),
    }
    return render(request, "assessments/hr/round_detail.html", context, status=status)


def _totals(round_):
    counts = Assessment.objects.for_round(round_).participation()
    return {"total": counts["total"], "in_progress": counts["in_progress"], "submitted": counts["submitted"]}


@hr_required
@require_POST
def round_extend(request, pk):
    round_ = get_round_for_hr(request, pk)
    form = ExtendForm(request.POST, round_=round_)
    if round_.closed_at is not None:
        messages.error(request, _("This round was closed early. It cannot be extended."))
        return _round_page(request, round_, status=409)
    if not form.is_valid():
        return _round_page(request, round_, extend_form=form, status=400)
    rounds.extend(round_, form.cleaned_data["closes_on"])
    added = rounds.enrol_participants(round_)
    messages.success(
        request,
        _("The round now closes on %(date)s.") % {"date": date_format(round_.closes_on)}
        + (
            " "
            + ngettext("%(count)s person who joined was added.", "%(count)s people who joined were added.", added)
            % {"count": added}
            if added
            else ""
        ),
    )
    return redirect("assessments:round", pk=round_.pk)


@hr_required
@require_POST
def round_close(request, pk):
    round_ = get_round_for_hr(request, pk)
    form = CloseForm(request.POST)
    if round_.is_closed:
        messages.info(request, _("This round is already closed."))
        return redirect("assessments:round", pk=round_.pk)
    if not form.is_valid():
        return _round_page(request, round_, close_form=form, status=400)
    rounds.close_early(round_)
    messages.success(request, _("The round is closed. Nobody can change their answers any more."))
    return redirect("assessments:round", pk=round_.pk)


@hr_required
@require_POST
def round_enrol(request, pk):
    round_ = get_round_for_hr(request, pk)
    if round_.is_closed:
        messages.error(request, _("This round is closed. Nobody can join it any more."))
        return _round_page(request, round_, status=409)
    added = rounds.enrol_participants(round_)
    messages.success(
        request,
        ngettext(
            "%(count)s person who joined since the round was opened was added.",
            "%(count)s people who joined since the round was opened were added.",
            added,
        )
        % {"count": added},
    )
    return redirect("assessments:round", pk=round_.pk)


@hr_required
def participants(request, pk):
    round_ = get_round_for_hr(request, pk)
    form = ParticipantSearchForm(request.GET or None)
    queryset = round_.assessments.select_related("person", "unit").order_by("person__name", "pk")
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            queryset = queryset.filter(Q(person__name__icontains=query) | Q(person__personnel_number__iexact=query))
        status = form.cleaned_data["status"]
        if status == AssessmentStatus.SUBMITTED:
            queryset = queryset.submitted()
        elif status == AssessmentStatus.IN_PROGRESS:
            queryset = queryset.in_progress()
        elif status == AssessmentStatus.NOT_STARTED:
            queryset = queryset.not_started()
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    context = {"round": round_, "form": form, "page": page}
    return render(request, "assessments/hr/participants.html", context)


@hr_required
def reopen(request, pk, assessment_pk):
    round_ = get_round_for_hr(request, pk)
    assessment = get_assessment_for_hr(request, round_, assessment_pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                rounds.reopen(assessment, form.cleaned_data["reason"])
            except rounds.RoundError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request, _("The self-assessment of %(name)s is open again.") % {"name": assessment.person}
                )
                return redirect("assessments:participants", pk=round_.pk)
    context = {"round": round_, "assessment": assessment, "form": form}
    return render(request, "assessments/hr/reopen.html", context, status=status)

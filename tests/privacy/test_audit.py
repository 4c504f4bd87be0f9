# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import datetime

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Assessment, Rating
from organisation.audit import Action, log_access, may_read_log
from organisation.models import AccessLog
from tests.factories import PersonFactory, RoundFactory
from tests.privacy.conftest import days_ago

URL = "/hr/audit/"


def request_for(user, ip="192.0.2.10"):
    request = RequestFactory().get("/", REMOTE_ADDR=ip)
    request.user = user
    return request


def test_log_access_records_actor_person_object_and_ip(manager, employee):
    entry = log_access(request_for(manager), Action.VIEWED_REPORT, employee, detail="Najaar 2026")
    entry.refresh_from_db()
    assert entry.actor == manager and entry.actor_name == "Bob Bakker"
    assert entry.person == employee and entry.person_name == "Alice Jansen"
    assert (entry.object_type, entry.object_id) == ("organisation.person", str(employee.pk))
    assert entry.ip_address == "192.0.2.10"
    assert entry.detail == "Najaar 2026"
    assert entry.at <= timezone.now()


def test_log_access_finds_the_person_behind_an_assessment_or_rating(org, manager, employee):
    round_ = RoundFactory(
        units=[org["youth"]],
        people=[employee],
        opens_on=days_ago(5),
        closes_on=days_ago(-5),
        competencies=2,
    )
    assessment = Assessment.objects.get(round=round_)
    rating = Rating.objects.filter(assessment=assessment).first()
    assert log_access(request_for(manager), Action.VIEWED_ASSESSMENT, assessment).person == employee
    entry = log_access(request_for(employee), Action.CHANGED_RATING, rating)
    assert entry.person == employee and entry.object_type == "assessments.rating"


def test_entries_cannot_be_changed_or_deleted(manager, employee):
    entry = log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    entry.detail = "changed"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    assert AccessLog.objects.get().detail == ""


def test_entries_outlive_the_people_in_them(manager, employee):
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    employee_pk = employee.pk
    employee.delete()
    entry = AccessLog.objects.get()
    # The id stays (it is part of the entry's hash) and the name was copied.
    assert entry.person_id == employee_pk and entry.person_name == "Alice Jansen"


def test_admin_is_read_only(admin_user, hr, rf):
    model_admin = admin.site._registry[AccessLog]
    for user in (admin_user, hr):
        request = rf.get("/admin/")
        request.user = user
        assert model_admin.has_view_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_admin_list_shows_entries_to_functional_admin(client_for, admin_user, manager, employee):
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    response = client_for(admin_user).get(reverse("admin:organisation_accesslog_changelist"))
    assert response.status_code == 200
    assert "Alice Jansen" in response.content.decode()
    entry = AccessLog.objects.get()
    delete = client_for(admin_user).post(
        reverse("admin:organisation_accesslog_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AccessLog.objects.count() == 1


def test_who_may_read(hr, admin_user, manager, employee):
    assert may_read_log(hr) and may_read_log(admin_user)
    assert not may_read_log(manager) and not may_read_log(employee)


def test_audit_page_anonymous_goes_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["employee", "manager", "senior_manager", "other_manager", "colleague"])
def test_audit_page_is_404_for_others(client_for, persona, request):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 404


@pytest.fixture
def entries(manager, senior_manager, employee, colleague):
    old = timezone.now() - datetime.timedelta(days=40)
    first = log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    AccessLog.objects.filter(pk=first.pk).update(at=old)  # the app cannot; the test sets a past time
    log_access(request_for(senior_manager), Action.VIEWED_REPORT, colleague)
    log_access(request_for(employee), Action.DOWNLOADED_OWN_DATA, employee)
    return old


@pytest.mark.parametrize("persona", ["hr", "admin_user"])
def test_hr_and_admin_read_everything(client_for, persona, request, entries):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<tr>") == 4  # header + three entries
    assert "Dirk Dekker" in content and "Carla de Vries" in content
    assert "downloaded their own data" in content


def test_filter_by_person_name_or_number(client_for, hr, employee, entries):
    client = client_for(hr)
    by_name = client.get(URL, {"person": "alice"}).context["page"].object_list
    assert {e.person_id for e in by_name} == {employee.pk} and len(by_name) == 2
    by_number = client.get(URL, {"person": employee.personnel_number}).context["page"].object_list
    assert len(by_number) == 2


def test_filter_by_actor_and_period(client_for, hr, entries):
    client = client_for(hr)
    assert len(client.get(URL, {"actor": "Dirk"}).context["page"].object_list) == 1
    recent = client.get(URL, {"start": days_ago(7).isoformat()}).context["page"].object_list
    assert len(recent) == 2
    old = client.get(URL, {"end": days_ago(30).isoformat()}).context["page"].object_list
    assert [e.actor_name for e in old] == ["Bob Bakker"]


def test_bad_filter_shows_an_error_and_no_entries(client_for, hr, entries):
    response = client_for(hr).get(URL, {"start": "2026-02-10", "end": "2026-02-01"})
    assert response.status_code == 200
    assert "Choose an end date on or after the start date." in response.content.decode()
    assert list(response.context["page"].object_list) == []
    response = client_for(hr).get(URL, {"start": "gisteren"})
    assert "Enter a valid date." in response.content.decode()


def test_paginated_with_constant_queries(client_for, hr, employee, manager, django_assert_max_num_queries):
    request = request_for(manager)
    for _ in range(120):
        log_access(request, Action.VIEWED_REPORT, employee)
    client = client_for(hr)
    client.get(URL)
    with django_assert_max_num_queries(8):
        first = client.get(URL)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 3
    last = client.get(URL, {"page": 3})
    assert len(last.context["page"].object_list) == 20


def test_autosave_logs_the_rating_change(client_for, org, employee):
    round_ = RoundFactory(
        units=[org["youth"]],
        people=[employee],
        opens_on=days_ago(5),
        closes_on=days_ago(-5),
        competencies=1,
    )
    assessment = Assessment.objects.get(round=round_)
    rating = assessment.ratings.get()
    url = reverse("assessments:rating", args=[assessment.pk, rating.competency_id])
    response = client_for(employee).post(
        url,
        {
            f"c{rating.competency_id}-{key}": value
            for key, value in {"current_level": 4, "desired_level": 5, "version": rating.version}.items()
        },
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200, response.content
    entry = AccessLog.objects.get()
    assert entry.action == Action.CHANGED_RATING
    assert entry.actor == employee and entry.person == employee
    # The assessment plus the competency code name the rating.
    assert entry.object_type == "assessments.assessment" and entry.object_id == str(assessment.pk)
    assert entry.detail == rating.competency.code


def test_refused_autosave_is_logged_as_refused(client_for, org, employee, colleague):
    round_ = RoundFactory(
        units=[org["youth"]],
        people=[employee],
        opens_on=days_ago(5),
        closes_on=days_ago(-5),
        competencies=1,
    )
    assessment = Assessment.objects.get(round=round_)
    rating = assessment.ratings.get()
    url = reverse("assessments:rating", args=[assessment.pk, rating.competency_id])
    assert client_for(colleague).post(url, {"current_level": 1, "desired_level": 2, "version": 1}).status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.result, entry.person) == (colleague, AccessLog.Result.REFUSED, employee)
    assert not rating.__class__.objects.filter(pk=rating.pk, current_level=1).exists()


def test_new_person_has_no_entries(db):
    assert not AccessLog.objects.about(PersonFactory()).exists()


def test_menu_links_to_the_log_only_for_readers(client_for, hr, employee):
    assert URL in client_for(hr).get("/").content.decode()
    assert URL not in client_for(employee).get("/").content.decode()


def test_links_to_the_export_log_instead_of_repeating_it(client_for, hr, admin_user):
    assert 'href="/exports/"' in client_for(hr).get(URL).content.decode()
    # Functional administrators have no export log permission of their own.
    assert "export log" not in client_for(admin_user).get(URL).content.decode()


def test_staff_with_the_export_log_permission_get_the_admin_link(client_for, admin_user):
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.add(Permission.objects.get(codename="view_exportlog"))
    assert reverse("admin:reports_exportlog_changelist") in client_for(admin_user).get(URL).content.decode()


# The access log to BIO2 8.15: refused attempts, rate limit, the chain check on the page, retention.


def test_a_404_on_someone_elses_report_is_logged_as_refused(client_for, other_manager, employee):
    """Access log: refused attempts say who tried, on what, whose data, from where."""
    response = client_for(other_manager).get(reverse("reports:person", args=[employee.pk]), REMOTE_ADDR="192.0.2.77")
    assert response.status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.action, entry.result) == (other_manager, Action.OPENED, AccessLog.Result.REFUSED)
    assert (entry.person, entry.object_type, entry.object_id) == (employee, "organisation.person", str(employee.pk))
    assert entry.ip_address == "192.0.2.77" and entry.detail == reverse("reports:person", args=[employee.pk])


def test_a_refused_export_is_logged(client_for, employee):
    """Access log: an employee trying an HR export gets a 404, and the log says so."""
    assert client_for(employee).get(reverse("exports:ratings")).status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.result, entry.object_type, entry.detail) == (
        employee,
        AccessLog.Result.REFUSED,
        "url",
        reverse("exports:ratings"),
    )


def test_refused_attempts_are_rate_limited(client_for, other_manager, employee, monkeypatch):
    """Access log: a scan writes at most REFUSALS_PER_MINUTE entries, then one that says more were refused."""
    from django.utils import timezone

    from organisation.audit import REFUSALS_PER_MINUTE

    # All in one minute: the limit counts per clock minute, and a slow run could cross into the next one.
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    client = client_for(other_manager)
    for pk in range(1000, 1000 + REFUSALS_PER_MINUTE + 15):
        assert client.get(reverse("reports:person", args=[pk])).status_code == 404
    assert AccessLog.objects.filter(action=Action.OPENED).count() == REFUSALS_PER_MINUTE
    assert AccessLog.objects.filter(action=Action.REFUSALS_NOT_LOGGED).count() == 1
    assert AccessLog.objects.count() == REFUSALS_PER_MINUTE + 1


def test_refused_attempts_show_in_the_persons_own_data(client_for, other_manager, employee):
    from privacy import personal_data

    client_for(other_manager).get(reverse("reports:person", args=[employee.pk]))
    rows = personal_data.collect(employee)["access_log"]
    assert [(row["who"], row["result"]) for row in rows] == [("Olga Visser", "refused")]


def test_the_page_shows_the_result_and_when_the_chain_was_last_checked(client_for, hr, manager, employee):
    from organisation.audit_chain import verify_and_record

    client = client_for(hr)
    assert "The log has not been checked yet." in client.get(URL).content.decode()
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    verify_and_record()
    content = client.get(URL).content.decode()
    assert "Last checked on" in content and "1 entry, none changed or removed." in content
    assert '<th scope="col">Result</th>' in content and "allowed" in content
    AccessLog.objects.update(detail="rewritten")
    verify_and_record()
    assert "the log is not intact from entry number 1 on" in client.get(URL).content.decode()


def test_the_nightly_task_checks_the_chain_and_purges_old_records(manager, employee, settings):
    """Access log: the nightly task records the check, then deletes log entries and login records past the term."""
    from axes.models import AccessAttempt, AccessFailureLog

    from organisation.audit_chain import append
    from organisation.models import AccessLogVerification
    from privacy import tasks

    settings.ACCESS_LOG_RETENTION_DAYS = 730
    old = timezone.now() - datetime.timedelta(days=800)
    append([AccessLog(at=old, actor=manager, actor_name="Bob", action=Action.VIEWED_REPORT, object_type="x")])
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    AccessFailureLog.objects.create(username="alice", ip_address="192.0.2.1", user_agent="")
    AccessAttempt.objects.create(username="alice", ip_address="192.0.2.1", user_agent="", failures_since_start=1)
    # attempt_time is set on creation; make them old.
    AccessFailureLog.objects.update(attempt_time=old)
    AccessAttempt.objects.update(attempt_time=old)
    result = tasks.purge_expired_daily.call()
    assert result["access_log_intact"] is True
    assert (result["access_log_deleted"], result["login_records_deleted"]) == (1, 2)
    assert AccessLogVerification.objects.get().ok
    assert AccessLog.objects.count() == 1 and not AccessFailureLog.objects.exists()


def test_a_broken_chain_stops_the_purge(manager, employee, settings):
    """Access log: when the check fails, nothing is purged, so the evidence stays."""
    from organisation.audit_chain import append
    from privacy import tasks

    old = timezone.now() - datetime.timedelta(days=800)
    append([AccessLog(at=old, actor=manager, actor_name="Bob", action=Action.VIEWED_REPORT, object_type="x")])
    AccessLog.objects.update(detail="rewritten")
    result = tasks.purge_expired_daily.call()
    assert result["access_log_intact"] is False and result["access_log_deleted"] == 0
    assert AccessLog.objects.count() == 1

import datetime

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Assessment, Rating
from organisation.audit import Action, log_access, may_read_log
from organisation.models import AccessLog
from tests.factories import PersonFactory
from tests.privacy.conftest import days_ago, make_round

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
    round_ = make_round(org["youth"], [employee], opens_on=days_ago(5), closes_on=days_ago(-5))
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
    employee.delete()
    entry = AccessLog.objects.get()
    assert entry.person is None and entry.person_name == "Alice Jansen"


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
    round_ = make_round(org["youth"], [employee], opens_on=days_ago(5), closes_on=days_ago(-5), competencies=1)
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


def test_refused_autosave_logs_nothing(client_for, org, employee, colleague):
    round_ = make_round(org["youth"], [employee], opens_on=days_ago(5), closes_on=days_ago(-5), competencies=1)
    assessment = Assessment.objects.get(round=round_)
    rating = assessment.ratings.get()
    url = reverse("assessments:rating", args=[assessment.pk, rating.competency_id])
    assert client_for(colleague).post(url, {"current_level": 1, "desired_level": 2, "version": 1}).status_code == 404
    assert not AccessLog.objects.exists()


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

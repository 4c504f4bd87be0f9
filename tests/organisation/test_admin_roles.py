# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Finding 1 of the security review: a functional administrator could make itself superuser.

Only a superuser grants superuser, staff or role groups, never to themselves; nobody changes
another administrator's (or HR adviser's) password through the admin; every change of roles
is written to the access log.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from organisation.models import AccessLog, Person
from tests.factories import PersonFactory


def change_url(person):
    return reverse("admin:organisation_person_change", args=[person.pk])


def password_url(person):
    return reverse("admin:auth_user_password_change", args=[person.pk])


def form_data(person, **changes):
    """The change form as the admin posts it, from the person's current values."""
    data = {
        "username": person.username,
        "personnel_number": person.personnel_number or "",
        "name": person.name,
        "email": person.email,
        "job_title": person.job_title,
        "unit": person.unit_id or "",
        "manager": person.manager_id or "",
        "birth_year": "",
        "in_service_since": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


@pytest.fixture
def superuser(org):
    return PersonFactory(username="root", name="Sanne Super", unit=org["root"], is_staff=True, is_superuser=True)


def test_functional_admin_cannot_make_itself_superuser_or_hr(client_for, admin_user):
    """Finding 1: ticking is_superuser and the HR group on one's own page changes nothing."""
    hr_group = Group.objects.get(name=settings.HR_GROUP)
    client = client_for(admin_user)
    response = client.post(
        change_url(admin_user), form_data(admin_user, is_superuser="on", is_staff="on", groups=[hr_group.pk])
    )
    assert response.status_code == 302, response.content
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert list(admin_user.groups.values_list("name", flat=True)) == [settings.ADMIN_GROUP]


def test_functional_admin_cannot_give_roles_to_an_employee(client_for, admin_user, employee):
    """Finding 1: only a superuser grants role groups or superuser."""
    hr_group = Group.objects.get(name=settings.HR_GROUP)
    response = client_for(admin_user).post(
        change_url(employee), form_data(employee, is_superuser="on", is_staff="on", groups=[hr_group.pk])
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert not (employee.is_superuser or employee.is_staff or employee.groups.exists())
    assert not AccessLog.objects.filter(action=AccessLog.Action.CHANGED_ROLES).exists()


def test_functional_admin_sees_hr_read_only(client_for, admin_user, hr):
    """Finding 1: changing HR's e-mail address would allow a takeover by password reset."""
    client = client_for(admin_user)
    assert client.get(change_url(hr)).status_code == 200  # viewing is fine
    response = client.post(change_url(hr), form_data(hr, email="frank@aanvaller.example"))
    assert response.status_code == 403
    hr.refresh_from_db()
    assert hr.email != "frank@aanvaller.example"


@pytest.mark.parametrize("actor", ["admin_user", "superuser"])
def test_nobody_sets_another_administrators_password(client_for, request, actor, hr):
    """Finding 1: neither a functional administrator nor a superuser opens HR's password form."""
    client = client_for(request.getfixturevalue(actor))
    assert client.get(password_url(hr)).status_code == 403
    response = client.post(password_url(hr), {"password1": "Nieuw-wachtwoord-1", "password2": "Nieuw-wachtwoord-1"})
    assert response.status_code == 403
    hr.refresh_from_db()
    assert hr.check_password("geheim-wachtwoord")


def test_an_employees_password_can_still_be_set(client_for, admin_user, employee):
    """Finding 1: the admin's password form stays for people without a role."""
    assert client_for(admin_user).get(password_url(employee)).status_code == 200


def test_a_superuser_grants_roles_and_it_is_logged(client_for, superuser, employee):
    """Finding 1: a superuser may give the HR group; the change is in the access log."""
    hr_group = Group.objects.get(name=settings.HR_GROUP)
    response = client_for(superuser).post(change_url(employee), form_data(employee, groups=[hr_group.pk]))
    assert response.status_code == 302, response.content
    assert employee.groups.filter(name=settings.HR_GROUP).exists()
    entry = AccessLog.objects.get(action=AccessLog.Action.CHANGED_ROLES)
    assert (entry.actor, entry.person) == (superuser, employee)
    assert settings.HR_GROUP in entry.detail and "→" in entry.detail


def test_a_superuser_does_not_change_their_own_roles(client_for, superuser):
    """Finding 1: nobody changes their own roles, superusers included."""
    client_for(superuser).post(change_url(superuser), form_data(superuser, is_staff="on"))
    superuser.refresh_from_db()
    assert superuser.is_superuser and superuser.is_staff
    assert Person.objects.get(pk=superuser.pk).is_superuser

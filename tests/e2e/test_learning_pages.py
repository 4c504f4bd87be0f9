# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Every learning page, with the demo data, through axe-core and IBM Equal Access, in Dutch and in English.

HR: the catalogue, an activity, a learning line, the forms to add them, the imports, the target levels, the
demand page and the organisation view (distance to the target levels). The employee: the demo plan with its
suggestions and tips, the conversation preparation, the reminder settings. The manager: the plans shared with
them, the shared plan, a person's target levels and the team dashboard (distance to the target levels).
"""

import pytest

from .conftest import axe_both_languages, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def shared_plan(demo):
    from django.contrib.auth.hashers import make_password

    from learning import plans
    from learning.models import Plan
    from organisation.models import Person

    employee = Person.objects.get(username="medewerker")
    plan = Plan.objects.get(person=employee)
    plans.set_sharing(plan, True)
    manager = employee.effective_manager()
    manager.password = make_password("demo")
    manager.save(update_fields=["password"])
    return plan, employee, manager


def _check(page, url, heading=None):
    page.goto(url)
    if heading is not None:
        assert heading in page.get_by_role("heading", level=1).inner_text()
    axe_both_languages(page)


def test_hr_learning_pages(new_page, shared_plan):
    from learning.models import Activity, LearningLine

    activity = Activity.objects.filter(is_active=True).order_by("pk").first()
    line = LearningLine.objects.filter(is_active=True).order_by("pk").first()
    page = new_page()
    page.goto("/learning/")
    log_in(page, "hr")
    for url in [
        "/learning/",
        "/learning/?form=online",
        f"/learning/{activity.pk}/",
        f"/learning/lines/{line.pk}/",
        "/learning/new/",
        f"/learning/{activity.pk}/edit/",
        "/learning/lines/new/",
        "/learning/import/",
        "/hr/targets/",
        "/hr/targets/import/",
        "/reports/learning-demand/",
    ]:
        _check(page, url)
    _check(page, "/reports/organisation/")
    assert page.get_by_role("heading", name="Afstand tot het streefniveau", exact=False).first.is_visible()


def test_employee_learning_pages(new_page, shared_plan):
    plan, _employee, _manager = shared_plan
    page = new_page()
    page.goto("/plans/me/")
    log_in(page, "medewerker")
    page.locator("details.plan-suggestions").first.evaluate("(element) => { element.open = true; }")
    assert "Oefen in je werk (kost niets)" in page.locator("details.plan-suggestions").first.inner_text()
    axe_both_languages(page)
    for url in [f"/plans/{plan.pk}/conversation/", "/me/reminders/", "/learning/", "/reports/me/"]:
        _check(page, url)


def test_manager_learning_pages(new_page, shared_plan):
    plan, employee, manager = shared_plan
    page = new_page(locale="en-GB")
    page.goto("/plans/shared/")
    log_in(page, manager.username)
    axe_both_languages(page)
    _check(page, f"/plans/{plan.pk}/", employee.name)
    _check(page, f"/people/{employee.pk}/targets/")
    _check(page, f"/reports/units/{employee.unit_id}/")
    assert page.get_by_role("heading", name="Distance to the target level").is_visible()

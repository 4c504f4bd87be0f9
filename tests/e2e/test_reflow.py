# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Reflow (WCAG 1.4.10) and zoom (1.4.4): the pages of the journeys at 320 px and at 200% zoom, without sideways
scrolling of the page, and axe-clean at that size too.

How the sizes are made:
- 320 px: a 320 CSS px wide viewport, as WCAG 1.4.10 defines it (1280 px at 400% zoom).
- 200% zoom: Chrome's zoom on a 1280 x 900 window gives a layout viewport of 640 x 450 CSS px with two device pixels
  per CSS pixel; media queries, `vw` and line breaks all see 640 px. A 640 x 450 viewport with device_scale_factor=2
  is exactly that. (CSS `zoom: 2` on <html> would not be: media queries would still see 1280 px.)

Tables may scroll sideways inside their own scroll box (the 1.4.10 exception for data tables); the page may not.

axe runs on every page at both sizes: its rules that depend on the layout (contrast, target size, scrollable
regions) see each layout. IBM's engine judges structure, roles and names, the same HTML at every width: it runs
at 320 px only (about a second a page).
"""

import pytest

from assessments.models import Assessment, Round
from competencies.models import Framework
from learning.models import Activity, LearningLine, Plan
from organisation.models import Unit

from .conftest import log_in, run_axe

pytestmark = pytest.mark.e2e

SIZES = {
    "320px": {"viewport": {"width": 320, "height": 640}},
    "zoom200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}
NO_SIDEWAYS_SCROLL = """() => ({
    page: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    wider: [...document.querySelectorAll("main *")]
        .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1
            && !element.closest(".table-responsive, .visually-hidden"))
        .slice(0, 5).map(element => element.outerHTML.slice(0, 120)),
})"""


def pages_by_person():
    """The pages the journeys visit, per person who may see them."""
    autumn, spring = Round.objects.get(name="Najaar 2026"), Round.objects.get(name="Voorjaar 2026")
    form = Assessment.objects.get(round=autumn, person__username="medewerker").pk
    submitted = Assessment.objects.get(round=spring, person__username="medewerker").pk
    team = Unit.objects.get(name="Sociaal Domein").pk
    framework = Framework.objects.filter(slug="vakmanschap-3-0").order_by("-version").first()
    plan = Plan.objects.get(person__username="medewerker").pk
    activity, line = Activity.objects.order_by("pk").first().pk, LearningLine.objects.order_by("pk").first().pk
    return {
        "medewerker": [
            "/",
            "/assessments/",
            f"/assessments/{form}/",
            f"/assessments/{form}/submit/",
            f"/assessments/{submitted}/",
            "/reports/me/",
            framework.get_absolute_url(),
            "/me/data/",
            "/plans/me/",
            f"/plans/{plan}/conversation/",
            "/learning/",
            f"/learning/{activity}/",
            f"/learning/lines/{line}/",
            "/me/reminders/",
        ],
        "leidinggevende": [f"/reports/units/{team}/", f"/reports/units/{team}/?round={autumn.pk}"],
        "hr": [
            "/hr/import/",
            "/hr/rounds/",
            "/hr/rounds/new/",
            f"/hr/rounds/{autumn.pk}/",
            f"/hr/rounds/{autumn.pk}/participants/",
            f"/exports/ratings.csv?round={spring.pk}",  # a download first, so the export log has a row
            f"/exports/?round={spring.pk}",
            "/reports/organisation/",
            "/hr/audit/",
            "/hr/targets/",
            "/hr/targets/import/",
            "/learning/new/",
            "/learning/import/",
            "/reports/learning-demand/",
        ],
    }


def assert_reflows(page):
    result = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert result["page"] <= result["viewport"], f"{page.url} scrolls sideways: {result}"


@pytest.mark.parametrize("size", SIZES)
def test_pages_reflow_without_sideways_scrolling(new_page, demo, size, settings):
    # The import is checked by a background task: run it as it is enqueued (the live server shares this process).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    visits = pages_by_person()
    anonymous = new_page(**SIZES[size])
    anonymous.goto("/accounts/login/")
    assert_reflows(anonymous)
    run_axe(anonymous)
    for username, urls in visits.items():
        page = new_page(**SIZES[size])
        page.goto("/accounts/login/")
        log_in(page, username)
        for url in urls:
            if url.endswith(".csv") or ".csv?" in url:
                assert page.request.get(url).ok, url
                continue
            response = page.goto(url)
            assert response.status == 200, url
            assert_reflows(page)
            run_axe(page, ibm=size == "320px")
    # The import page with its table of errors.
    bad = "personnel_number;name;email;unit\r\nX1;Ayla Bakker;geen-adres;Gemeente Voorbeeld\r\n"
    page.goto("/hr/import/")
    page.locator("input[type=file]").set_input_files(
        {"name": "fout.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    page.locator("main form[enctype] button[type=submit]").click()
    page.locator("table.error-table").wait_for()
    assert_reflows(page)
    run_axe(page)

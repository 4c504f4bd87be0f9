# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The employee's journeys from the login page, in a real Chromium, with axe-core in Dutch and English on every page.

1. Fill in half of the open round, reload, find everything, finish, submit, read the personal report.
2. The same, with the session cookie removed halfway: after logging in again no answer is lost.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_both_languages, log_in, run_axe

pytestmark = pytest.mark.e2e

CURRENT = re.compile(r"^(Huidig niveau|Current level)")
DESIRED = re.compile(r"^(Gewenst niveau|Desired level)")
# The box's name ends with the competency (": Resultaatgericht"), so every control on the page has its own name.
NOT_APPLICABLE = re.compile(r"^(Niet van toepassing op mijn werk|Not applicable to my work): .+$")
NOTE = re.compile(r"^(Notitie voor jezelf|Note for yourself)")


def planned_answer(number):
    """A varied, reproducible answer for the n-th competency: (current, desired), or None for not applicable."""
    if number % 7 == 3:
        return None
    current = 1 + (number * 3) % 5
    return current, min(5, current + number % 3)


def autosave(page):
    """Expect exactly the one autosave request that the next change sends."""
    return page.expect_response(lambda response: "/ratings/" in response.url and response.request.method == "POST")


def give(article, answer):
    """Answer one competency as a person does (click the radio buttons or the box); each change is saved at once."""
    page = article.page
    if answer is None:
        clicks = [article.get_by_label(NOT_APPLICABLE)]
    else:
        clicks = [
            article.get_by_role("group", name=group).get_by_label(re.compile(f"^{level} "))
            for group, level in zip((CURRENT, DESIRED), answer, strict=True)
        ]
    statuses = []
    for control in clicks:
        with autosave(page) as response:
            control.check()
        statuses.append(response.value.status)
    return statuses


def read_answer(article):
    """What the form shows for one competency: (current, desired), None for not applicable, or () when open."""
    if article.get_by_label(NOT_APPLICABLE).is_checked():
        return None
    levels = []
    for name in ("current_level", "desired_level"):
        checked = article.locator(f'input[name$="-{name}"]:checked')
        levels.append(int(checked.get_attribute("value")) if checked.count() else None)
    return () if levels == [None, None] else tuple(levels)


def competencies(page):
    """The form's competencies in order: [(anchor, (framework, competency))]; names repeat across frameworks."""
    return page.locator("article.assess-competency").evaluate_all(
        """articles => articles.map(article => [
            article.id,
            [article.closest('section').querySelector('h2').innerText, article.querySelector('h3').innerText],
        ])"""
    )


def form_state(page):
    return {anchor: read_answer(page.locator(f"#{anchor}")) for anchor, _key in competencies(page)}


def report_rows(page):
    """The personal report's tables: {(framework, competency): (current, desired, gap)}, None for not applicable."""
    rows = page.locator("table.report-table tbody tr").evaluate_all(
        """rows => rows.map(row => [
            row.closest('section').querySelector('h2').innerText,
            row.querySelector('th').innerText,
            [...row.querySelectorAll('td')].map(td => [td.innerText, td.colSpan]),
        ])"""
    )
    result = {}
    for framework, name, cells in rows:
        if framework in ("Streefniveaus", "Target levels"):  # the target levels panel (issue 14), not a framework
            continue
        if cells[0][1] == 3:  # one cell over the three columns: "not applicable to my work"
            assert re.match("niet van toepassing|not applicable", cells[0][0])
            result[framework, name] = None
        else:
            result[framework, name] = tuple(int(text) for text, _span in cells[:3])
    return result


def expected_report(plan, keys):
    return {
        keys[anchor]: None if answer is None else (answer[0], answer[1], answer[1] - answer[0])
        for anchor, answer in plan.items()
    }


def open_autumn_round(page):
    page.get_by_role("link", name=re.compile(r"^(Beginnen|Verder|Start|Continue): Najaar 2026")).click()
    page.wait_for_url(re.compile(r"/assessments/\d+/"))


def progress(page):
    return page.locator("#assess-progress label").inner_text()


def fill_in(page, plan, anchors):
    for anchor in anchors:
        assert set(give(page.locator(f"#{anchor}"), plan[anchor])) == {200}, anchor


def submit_sharing(page):
    page.get_by_role("link", name="Controleren en insturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je zelfbeoordeling insturen")
    axe_both_languages(page)
    page.get_by_label("Mijn antwoorden delen met mijn eigen leidinggevende").check()
    page.get_by_role("button", name="Ja, stuur mijn zelfbeoordeling in").click()
    page.get_by_text("Je hebt deze zelfbeoordeling ingestuurd op").wait_for()


def read_own_report(page):
    page.get_by_role("link", name="Vakmanschap", exact=True).click()
    page.get_by_role("link", name=re.compile("^Je verschilrapport")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je verschilrapport")
    assert page.get_by_label("Ronde").locator("option:checked").inner_text() == "Najaar 2026"
    return report_rows(page)


def test_fill_in_half_reload_finish_submit_and_read_the_report(page, demo):
    page.goto("/accounts/login/")
    axe_both_languages(page)
    log_in(page, "medewerker")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Mila"
    axe_both_languages(page)
    open_autumn_round(page)
    axe_both_languages(page)

    keys = dict(competencies(page))
    anchors = list(keys)
    assert len(anchors) == len(set(map(tuple, keys.values()))) == 16  # the open demo round's profile
    plan = {anchor: planned_answer(number) for number, anchor in enumerate(anchors)}
    half = len(anchors) // 2
    fill_in(page, plan, anchors[:half])
    article = page.locator("article.assess-competency").first
    with autosave(page):
        article.get_by_label(NOTE).fill("Vraag naar een cursus")
    assert progress(page) == f"{half} van 16 ingevuld"

    page.reload()
    assert progress(page) == f"{half} van 16 ingevuld"
    assert form_state(page) == {anchor: plan[anchor] if number < half else () for number, anchor in enumerate(anchors)}
    assert page.locator("article.assess-competency").first.get_by_label(NOTE).input_value() == "Vraag naar een cursus"
    done = page.locator(".assess-toc-mark").filter(has_text="✓")
    assert done.count() == half

    fill_in(page, plan, anchors[half:])
    assert progress(page) == "16 van 16 ingevuld"
    submit_sharing(page)
    assert page.locator("article.assess-competency form").count() == 0
    axe_both_languages(page)

    assert read_own_report(page) == expected_report(plan, {anchor: tuple(key) for anchor, key in keys.items()})
    axe_both_languages(page)


def test_session_cookie_removed_halfway_loses_no_answer(page, demo):
    page.goto("/accounts/login/")
    log_in(page, "medewerker")
    open_autumn_round(page)
    keys = dict(competencies(page))
    anchors = list(keys)
    plan = {anchor: planned_answer(number + 1) for number, anchor in enumerate(anchors)}
    half = len(anchors) // 2
    fill_in(page, plan, anchors[:half])

    # The session ends on the server side (idle time-out, a restart): the browser no longer sends a valid session.
    page.context.clear_cookies(name="sessionid")
    while_out = anchors[half : half + 2]
    for anchor in while_out:
        assert set(give(page.locator(f"#{anchor}"), plan[anchor])) == {401}
        status = page.locator(f"#{anchor}-status")
        assert "We hebben dit antwoord bewaard." in status.inner_text()
    # These notices came with htmx and go with a reload (the footer's language switch is one): one language here.
    run_axe(page)

    page.locator(f"#{while_out[-1]}-status").get_by_role("link", name="Log opnieuw in om verder te gaan").click()
    assert page.get_by_text("Je bent uitgelogd omdat je een tijd niets hebt gedaan. Log opnieuw in.").is_visible()
    axe_both_languages(page)
    log_in(page, "medewerker")
    assert re.search(rf"/assessments/\d+/#{while_out[-1]}$", page.url)
    assert page.get_by_text("We hebben de 2 antwoorden opgeslagen").is_visible()
    answered = half + len(while_out)
    assert progress(page) == f"{answered} van 16 ingevuld"
    assert form_state(page) == {
        anchor: plan[anchor] if number < answered else () for number, anchor in enumerate(anchors)
    }
    run_axe(page)  # the message shows once; the form in both languages: the first journey

    fill_in(page, plan, anchors[answered:])
    submit_sharing(page)
    assert read_own_report(page) == expected_report(plan, {anchor: tuple(key) for anchor, key in keys.items()})

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Keyboard only: log in, fill in the whole self-assessment and submit it without a mouse, with visible focus.

Only page.keyboard is used after the first page load: Tab, Space, the arrow keys, Enter and typing. After every
key press the element with focus must show it (an outline or a box shadow from getComputedStyle) and be on screen.
"""

import re

import pytest

from .test_journeys import autosave, planned_answer, progress

pytestmark = pytest.mark.e2e

# A focus indicator counts when it is an outline of at least 2 px, or a box shadow of at least 2 px, in an opaque
# colour: Bootstrap's own ring (a 25% transparent blue shadow) is too faint to count.
FOCUS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body || element === document.documentElement) {
        return {indicator: false, element: "nothing (body)"};
    }
    const opaque = (colour) => {
        const parts = (colour.match(/rgba?\\(([^)]*)\\)/) || [null, "0, 0, 0, 0"])[1].split(",").map(Number);
        return parts.length < 4 || parts[3] >= 0.9;
    };
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 && opaque(style.outlineColor);
    const shadow = style.boxShadow !== "none" && opaque(style.boxShadow)
        && Math.max(...(style.boxShadow.match(/-?[\\d.]+px/g) || ["0px"]).map(parseFloat)) >= 2;
    return {
        indicator: outline || shadow,
        outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
        shadow: style.boxShadow,
        element: element.outerHTML.slice(0, 160),
        tag: element.tagName.toLowerCase(),
        name: element.name || "",
        value: element.value || "",
        text: (element.innerText || "").trim(),
        article: element.closest("article") ? element.closest("article").id : "",
    };
}"""
# Entirely in the viewport once the scrolling that focus starts has settled: the same place in 2 frames. The
# browser asks for reduced motion, so Bootstrap's smooth scrolling is off and focus scrolls at once: the end place is
# the same as after a smooth scroll, whose waiting after each of some 230 key presses took most of the test's
# 45 seconds (11 s now).
ON_SCREEN = """() => new Promise(resolve => {
    let last = "", same = 0;
    const frame = () => {
        const box = document.activeElement.getBoundingClientRect();
        const now = [box.top, box.left, box.bottom, box.right].join();
        same = now === last ? same + 1 : 0;
        last = now;
        if (same < 1) {
            requestAnimationFrame(frame);
            return;
        }
        resolve(box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
            && box.bottom <= window.innerHeight && box.right <= window.innerWidth);
    };
    requestAnimationFrame(frame);
})"""


def focused(page):
    """What has focus now; fails when it shows no clear indicator or stays off screen."""
    state = page.evaluate(FOCUS)
    assert state["indicator"], f"no visible focus indicator on {page.url}: {state}"
    assert page.evaluate(ON_SCREEN), f"the element with focus is not on screen on {page.url}: {state}"
    return state


def press(page, key):
    page.keyboard.press(key)
    return focused(page)


def tab_to(page, wanted, limit=120):
    """Press Tab until `wanted(focus)` holds, checking that the focus is visible after every press."""
    state = None
    for _ in range(limit):
        state = press(page, "Tab")
        if wanted(state):
            return state
    raise AssertionError(f"{limit} times Tab did not reach the element on {page.url}; last focus: {state}")


def keyboard_answer(page, anchor, answer):
    """From the previous competency, Tab into this one and answer it with Space and the arrow keys."""
    if answer is None:
        tab_to(page, lambda f: f["article"] == anchor and f["name"] == f"{anchor}-not_applicable")
        with autosave(page):
            state = press(page, "Space")
        return state
    tab_to(page, lambda f: f["article"] == anchor and f["name"] == f"{anchor}-current_level")
    for name, level in zip(("current_level", "desired_level"), answer, strict=True):
        if name == "desired_level":
            state = press(page, "Tab")
            assert (state["name"], state["value"]) == (f"{anchor}-desired_level", "1"), state
        # Tab lands on level 1 of an empty group: Space chooses it, each arrow down moves on and chooses the next.
        with autosave(page):
            state = press(page, "Space" if level == 1 else "ArrowDown")
        for _ in range(level - 2):
            with autosave(page):
                state = press(page, "ArrowDown")
        assert (state["name"], state["value"]) == (f"{anchor}-{name}", str(level)), state
    return state


def small_answer(number):
    """planned_answer, with levels kept low: every level costs a key press and an autosave."""
    answer = planned_answer(number)
    return None if answer is None else (1 + number % 2, 2 + number % 3)


def test_fill_in_and_submit_with_the_keyboard_only(new_page, demo):
    page = new_page(reduced_motion="reduce")  # no smooth scrolling to wait for (ON_SCREEN)
    page.goto("/accounts/login/")
    assert page.evaluate("document.activeElement.id") == "id_username"  # autofocus
    page.keyboard.type("medewerker")
    assert press(page, "Tab")["name"] == "password"
    page.keyboard.type("demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Beginnen: Najaar 2026")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/assessments/\d+/$", page.url)

    skip = press(page, "Tab")
    assert skip["text"] == "Direct naar de inhoud", skip
    page.keyboard.press("Enter")
    anchors = page.locator("article.assess-competency").evaluate_all("articles => articles.map(a => a.id)")
    plan = {anchor: small_answer(number) for number, anchor in enumerate(anchors)}
    for number, anchor in enumerate(anchors):
        keyboard_answer(page, anchor, plan[anchor])
        if number == 1:  # a note, typed; saved when the focus leaves it
            tab_to(page, lambda f, anchor=anchor: f["article"] == anchor and f["tag"] == "textarea")
            page.keyboard.type("Oefenen met feedback geven")
            with autosave(page):
                press(page, "Tab")
    page.get_by_text("16 van 16 ingevuld").wait_for()
    page.wait_for_function("!document.querySelector('.assess-form.htmx-request, .assess-form.assess-unsaved')")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Controleren en insturen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    box = tab_to(page, lambda f: f["name"] == "share_with_manager")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True, box
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Ja, stuur mijn zelfbeoordeling in")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Je hebt deze zelfbeoordeling ingestuurd op").is_visible()
    assert progress(page) == "16 van 16 ingevuld"
    assert page.locator("article.assess-competency form").count() == 0  # read-only now
    answers = page.locator("article.assess-competency dl.assess-readonly").evaluate_all(
        "lists => lists.map(list => [...list.querySelectorAll('dd')].map(dd => dd.innerText))"
    )
    for anchor, shown in zip(anchors, answers, strict=True):
        answer = plan[anchor]
        if answer is None:
            assert shown[:2] == ["Niet van toepassing op mijn werk"] * 2, anchor
        else:
            assert [int(text.split()[0]) for text in shown[:2]] == list(answer), anchor
    assert "Oefenen met feedback geven" in answers[1]

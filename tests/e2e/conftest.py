"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Without a Chromium the tests skip with the reason, unless REQUIRE_BROWSER=1 (CI),
where a missing browser fails the run.
"""

import os
import shutil

import pytest

CHROMIUM_CANDIDATES = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the live server's database calls are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def find_chromium():
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and shutil.which(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    required = os.environ.get("REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("REQUIRE_BROWSER=1 but the playwright package is not installed")
        pytest.skip("playwright is not installed")
    if executable is None:
        if required:
            pytest.fail("REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)")
        pytest.skip("No Chromium found at /usr/bin/chromium: apt-get install chromium to run browser tests")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    def do_login(username, password="demo"):
        page.goto("/accounts/login/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/")

    return do_login


@pytest.fixture
def axe_check(page):
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA) on the current page; fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check():
        results = axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}},
        )
        violations = results.response["violations"]
        assert violations == [], results.generate_report()

    return check


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("load_frameworks", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

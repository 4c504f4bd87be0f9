# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Without a Chromium the tests skip with the reason, unless REQUIRE_BROWSER=1 (CI),
where a missing browser fails the run.
"""

import os
import re
import shutil
from pathlib import Path

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
    """`run_axe` on the current page, as a fixture (the older tests use it)."""
    return lambda: run_axe(page)


# IBM Equal Access (accessibility-checker-engine, pinned in package.json, installed with `npm ci`) ------------------

ACE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "accessibility-checker-engine" / "ace.js"
ACE_POLICIES = ["IBM_Accessibility"]
# The one rule we except: IBM wants no tabindex on a non-widget element, but axe (scrollable-region-focusable,
# WCAG 2.1.1) requires a sideways-scrolling table container to be focusable so keyboard users can scroll it. We
# follow axe there: such a container is a labelled role="region" with tabindex="0" (docs/architecture.md).
ACE_EXCEPTED = {"element_tabbable_role_valid": 'role="region"'}
ACE_RUN = """async (policies) => {
  const report = await new ace.Checker().check(document, policies);
  return report.results
    .filter((result) => result.value[0] === "VIOLATION" && result.value[1] === "FAIL")
    .map((result) => ({rule: result.ruleId, path: result.path.dom, message: result.message, snippet: result.snippet}));
}"""


def _ace_source():
    if not ACE_JS.exists():
        pytest.fail(f"{ACE_JS} is missing: run `npm ci` in the project folder (make test does)")
    return ACE_JS.read_text(encoding="utf-8")


def _excepted(failure):
    marker = ACE_EXCEPTED.get(failure["rule"])
    return marker is not None and marker in failure["snippet"] and 'tabindex="0"' in failure["snippet"]


def run_ace(page):
    """IBM's Equal Access engine on the current page; fails on any violation but the excepted one, naming the URL.

    The engine is evaluated through the DevTools protocol, which the page's Content Security Policy does not
    block (a <script> tag would be).
    """
    if not page.evaluate("() => typeof ace !== 'undefined'"):
        page.evaluate(_ace_source())
    failures = [failure for failure in page.evaluate(ACE_RUN, ACE_POLICIES) if not _excepted(failure)]
    report = "\n".join(f"{f['rule']}: {f['message']}\n    {f['path']}\n    {f['snippet'][:200]}" for f in failures)
    assert failures == [], f"IBM Equal Access on {page.url}:\n{report}"


# The demo data as it was right after seeding, per worker process: {table: rows in COPY's text format}.
_DEMO_TABLES = {}


@pytest.fixture
def demo(transactional_db):
    """The frameworks and the demo organisation, in a database every browser test may change.

    Seeding takes about three seconds; on PostgreSQL the first test of a worker seeds and keeps a copy of every
    table, and the next ones get the same rows back with COPY in a tenth of that (the flush after each test
    empties the tables again).
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        _seed_demo()
    elif not _DEMO_TABLES:
        _seed_demo()
        _DEMO_TABLES.update(_copy_tables(connection))
    else:
        _restore_tables(connection, _DEMO_TABLES)


def _seed_demo():
    from django.core.management import call_command

    call_command("load_frameworks", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _copy_tables(connection):
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    copied = {}
    with connection.cursor() as cursor:
        for table in tables:
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                copied[table] = b"".join(bytes(block) for block in copy)
    return copied


def _restore_tables(connection, copied):
    """Every table back as it was copied, identifiers included, in one transaction (the foreign keys are
    checked at its end), the sequences set past the restored ids, and the process's caches of rows emptied."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import transaction

    from assessments import asked

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in copied))
        for table, rows in copied.items():
            if rows:
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)
    ContentType.objects.clear_cache()
    asked.forget()


# Journeys (tests/e2e/test_journeys.py and friends) ----------------------------------------------------------------

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


AXE_RUN = "(options) => axe.run(document, options).then((results) => results.violations)"


def run_axe(page, *, ibm=True):
    """axe-core with the WCAG 2.0/2.1/2.2 A and AA rules on any page, then (unless `ibm` is false) IBM's Equal
    Access engine; fails on any violation, naming the URL.

    Only the violations come back from the browser: the passed rules were most of what crossed over.
    """
    from axe_playwright_python.base import AXE_SCRIPT, AxeResults

    page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        AXE_RUN, {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    assert violations == [], f"{page.url}\n{AxeResults({'violations': violations}).generate_report()}"
    if ibm:
        run_ace(page)


def switch_language(page, code):
    """Switch the language with the form in the footer, as a person does; the same page comes back."""
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        page.locator(".language-switch button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == code


def axe_both_languages(page):
    """axe and IBM's engine on this page in its language, then axe in the other one (switched in the footer),
    then switch back.

    IBM's engine judges the page's structure, roles and names; a translation changes the words, not those (an
    untranslated text falls back to the English one, never to nothing). axe runs in both languages and also
    catches what a longer text breaks (contrast, overlapping targets). IBM's engine costs about a second a page
    here: run in both languages it was a third of the browser tests' time.
    The footer form comes back to the same URL with GET: use it on pages reached by GET.
    """
    language = page.locator("html").get_attribute("lang")
    run_axe(page)
    switch_language(page, "en" if language == "nl" else "nl")
    run_axe(page, ibm=False)
    switch_language(page, language)


@pytest.fixture
def new_page(browser, live_server):
    """Another person in their own browser context (own cookies), Dutch by default, 1280 px wide."""
    contexts = []

    def make(locale="nl-NL", **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(locale=locale, base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def log_in(page, username, password="demo"):
    """Fill in the login page that is open now, in either language; waits for the page after it."""
    page.get_by_label(re.compile("Gebruikersnaam|Username")).fill(username)
    page.get_by_label(re.compile("Wachtwoord|Password")).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Inloggen|Log in)$")).click()

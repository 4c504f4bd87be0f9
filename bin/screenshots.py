#!/usr/bin/env python

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Screenshots of the main pages for the README: `make screenshots`.

Seeds the demo organisation in a fresh SQLite database in a temporary folder, serves it with runserver on a free
local port, and lets Debian's Chromium (never a downloaded browser) photograph four pages at 1280 px wide, in Dutch:
the self-assessment form, the personal gap report, the team dashboard and the export page; then the home page in
the default theme and, from a second server, in the example theme (static/themes/example-gemeente.css).
Writes docs/screenshots/*.png.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
WIDTH, HEIGHT = 1280, 900
MAX_HEIGHT = 2200  # long pages are cut here; the README shows the top of each


def manage(env, *args):
    command = [sys.executable, "manage.py", *args]  # our own interpreter and fixed arguments
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The demo server did not answer at {url}")


def log_in(page, username):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def shoot(page, name, until=None):
    """The page from the top down to the element `until` (or MAX_HEIGHT), once fonts and lazy images are in."""
    page.evaluate("document.fonts.ready")
    for image in page.locator("main img").all():
        image.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")
    height = page.evaluate("document.documentElement.scrollHeight")
    if until:
        height = page.locator(until).first.evaluate("element => element.getBoundingClientRect().bottom + 24")
    height = int(min(MAX_HEIGHT, height))
    path = OUT / f"{name}.png"
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": height})
    print(f"{path.relative_to(ROOT)}  {WIDTH} x {height}")


def photograph(base_url):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(base_url=base_url, locale="nl-NL", viewport={"width": WIDTH, "height": HEIGHT})
        page = context.new_page()

        log_in(page, "medewerker")
        page.get_by_role("link", name="Beginnen: Najaar 2026").click()
        page.wait_for_load_state()
        for number, (current, desired) in enumerate([(3, 4), (2, 4), (4, 4)]):
            article = page.locator("article.assess-competency").nth(number)
            for group, level in (("current_level", current), ("desired_level", desired)):
                with page.expect_response(lambda response: "/ratings/" in response.url):
                    article.locator(f"input[name$='-{group}'][value='{level}']").check()
        shoot(page, "self-assessment-form", until="article.assess-competency:nth-of-type(2)")
        page.goto("/reports/me/")
        shoot(page, "personal-report", until="section.report-framework figure")
        context.clear_cookies()

        log_in(page, "leidinggevende")
        page.get_by_role("link", name="Teamoverzicht van Sociaal Domein").click()
        page.wait_for_load_state()
        shoot(page, "team-dashboard", until="section[aria-labelledby=competencies-title] tbody tr:nth-child(10)")
        context.clear_cookies()

        log_in(page, "hr")
        page.goto("/exports/")
        page.get_by_label("Ronde").select_option(label="Voorjaar 2026")
        with page.expect_navigation():
            page.get_by_role("button", name="Aantal regels tonen").click()
        shoot(page, "export-page", until="section[aria-labelledby=export-units]")
        browser.close()


EXAMPLE_THEME = {
    "THEME_CLASS": "example-gemeente-theme",
    "THEME_STYLESHEET": "themes/example-gemeente.css",
    "ORGANISATION_NAME": "Gemeente Voorbeeld",
}


def photograph_theme(base_url, name):
    """The home page of an employee: header, buttons, links and footer show the theme's tokens."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(base_url=base_url, locale="nl-NL", viewport={"width": WIDTH, "height": HEIGHT})
        page = context.new_page()
        log_in(page, "medewerker")
        shoot(page, name)
        browser.close()


@contextlib.contextmanager
def serving(env):
    """runserver on a free local port with this environment; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(base_url + "/healthz")
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    if CHROMIUM is None:
        raise SystemExit("No Chromium found: apt-get install chromium (or set CHROMIUM_PATH)")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vakmanschap-screenshots-") as folder:
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        print("Seeding the demo data in a fresh database ...")
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_frameworks")
        manage(env, "seed_demo")
        with serving(env) as base_url:
            photograph(base_url)
            photograph_theme(base_url, "theme-default")
        with serving({**env, **EXAMPLE_THEME}) as base_url:
            photograph_theme(base_url, "theme-example")


if __name__ == "__main__":
    main()

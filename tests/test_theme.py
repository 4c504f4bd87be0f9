# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The organisation's look: theme class and token stylesheet, name and logo from settings; CSP stays strict."""

import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

import pytest

from vakmanschap import context_processors

ROOT = Path(__file__).resolve().parent.parent
THEMES = ROOT / "static" / "themes"


def tokens(path):
    return set(re.findall(r"^\s*(--[a-z0-9-]+):", path.read_text(), re.MULTILINE))


def test_default_theme_is_the_current_look(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'class="vakmanschap-theme"' in html
    assert 'href="/static/themes/vakmanschap.css"' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<meta name="description" content="' in html


def test_components_read_every_token_and_themes_set_the_same_ones():
    app_css = (ROOT / "static" / "css" / "app.css").read_text()
    default = tokens(THEMES / "vakmanschap.css")
    assert len(default) >= 15
    unread = {token for token in default if f"var({token}" not in app_css}
    # The heading font falls back to the document font inside the theme itself.
    assert unread <= {"--utrecht-heading-font-family"} or unread == set()
    assert tokens(THEMES / "example-gemeente.css") == default


def test_an_organisation_theme_name_and_logo(client, db, settings):
    settings.THEME_CLASS = "example-gemeente-theme"
    settings.THEME_STYLESHEET = "themes/example-gemeente.css"
    settings.ORGANISATION_NAME = "Gemeente Voorbeeld"
    settings.ORGANISATION_LOGO = "favicon.svg"
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert 'class="example-gemeente-theme"' in html
    assert 'href="/static/themes/example-gemeente.css"' in html
    assert '<img class="brand-logo" src="/static/favicon.svg" alt="Gemeente Voorbeeld">' in html
    csp = response["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert " style=" not in html


def test_name_without_logo(client, db, settings):
    settings.ORGANISATION_NAME = "Gemeente Voorbeeld"
    assert "Gemeente Voorbeeld · " in client.get(reverse("login")).content.decode()


class ManifestWithout:
    """The manifest storage's answer for a file it does not hold (collectstatic did not find it)."""

    def url(self, name):
        if "nonexistent" in name:
            raise ValueError(f"Missing staticfiles manifest entry for '{name}'")
        return f"/static/{name}"


def test_a_missing_theme_file_leaves_the_page_working(client, db, settings, caplog, monkeypatch):
    monkeypatch.setattr(context_processors, "staticfiles_storage", ManifestWithout())
    settings.THEME_STYLESHEET = "themes/nonexistent.css"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "nonexistent" not in response.content.decode()
    assert "themes/nonexistent.css" in caplog.text


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("THEME_CLASS", "twee klassen"),
        ("THEME_STYLESHEET", "../geheim.css"),
        ("ORGANISATION_LOGO", "https://x/logo.svg"),
    ],
)
def test_bad_theme_settings_stop_startup(variable, value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", variable: value},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert variable in result.stderr

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import pytest


@pytest.mark.parametrize(
    ("url", "heading"), [("/privacy/", "Privacy statement"), ("/toegankelijkheid/", "Accessibility statement")]
)
def test_public_pages(client, db, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_privacy_statement_tells_the_configured_numbers(client, db, settings):
    settings.ASSESSMENT_RETENTION_DAYS = 730
    settings.SESSION_IDLE_TIMEOUT = 20
    settings.REPORT_MIN_GROUP_SIZE = 7
    content = client.get("/privacy/").content.decode()
    assert "730 days after its round has closed" in content
    assert "for 20 minutes" in content
    assert "fewer than 7 people" in content


def test_footer_links_to_both_statements(client, db):
    content = client.get("/accounts/login/").content.decode()
    assert 'href="/privacy/"' in content and 'href="/toegankelijkheid/"' in content
    assert 'href="/me/data/"' not in content


def test_footer_links_to_my_data_when_logged_in(client_for, employee):
    assert 'href="/me/data/"' in client_for(employee).get("/").content.decode()


def test_organisation_overrides_the_text(client, db, settings, tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "privacy.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Privacyverklaring Gemeente Voorbeeld</h1>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]},
    ]
    content = client.get("/privacy/").content.decode()
    assert "Privacyverklaring Gemeente Voorbeeld" in content
    assert "Accessibility statement" in client.get("/toegankelijkheid/").content.decode()


def test_extra_templates_dir_comes_first(monkeypatch, tmp_path):
    import importlib

    import vakmanschap.settings.base as base

    monkeypatch.setenv("EXTRA_TEMPLATES_DIR", str(tmp_path))
    try:
        reloaded = importlib.reload(base)
        assert reloaded.TEMPLATES[0]["DIRS"][0] == tmp_path
        configured = reloaded.EXTRA_TEMPLATES_DIR
        assert configured == str(tmp_path)
    finally:
        monkeypatch.delenv("EXTRA_TEMPLATES_DIR")
        importlib.reload(base)


def test_privacy_statement_gives_the_access_log_retention(client, db, settings):
    """Access log retention: the statement tells people how long the record of access is kept."""
    settings.ACCESS_LOG_RETENTION_DAYS = 730
    content = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the record of logins, 730 days after it was written" in content

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Charts: SVG drawn from the report's numbers, cached per report, round, language and data (reports.charts)."""

from django.urls import reverse
from django.utils import translation

import pytest

from assessments.models import Rating
from reports import charts
from tests.factories import RoundFactory
from tests.reports.conftest import make_framework, submit

pytestmark = pytest.mark.django_db

LEVELS = [(2, 4), (3, 3), (4, 5), (1, 3), (3, 5)]


@pytest.fixture
def draws(monkeypatch):
    """Count how often a chart is really drawn (not served from the cache)."""
    calls = []
    real = charts.draw

    def counting(data):
        calls.append(data)
        return real(data)

    monkeypatch.setattr(charts, "draw", counting)
    return calls


def test_radar_from_five_competencies_bars_below():
    five = {"labels": list("abcde"), "current": [1, 2, 3, 4, 5], "desired": [2, 3, 4, 5, 5]}
    four = {key: values[:4] for key, values in five.items()}
    assert charts.kind_of(five) == "radar"
    assert charts.kind_of(four) == "bars"
    radar, bars = charts.draw(five).decode(), charts.draw(four).decode()
    assert radar.startswith("<?xml") and "<svg" in radar
    for svg in (radar, bars):
        # The portal's colours for current and desired level, and text kept as text.
        assert charts.CURRENT_COLOUR.lower() in svg.lower()
        assert charts.DESIRED_COLOUR.lower() in svg.lower()
        assert "Current level" in svg and "Desired level" in svg
    assert "stroke-dasharray" in radar  # desired level: dashed, not only another colour


def test_the_same_data_draws_the_same_file():
    data = {"labels": ["A", "B"], "current": [1, 2], "desired": [3, 3]}
    assert charts.draw(data) == charts.draw(data)


def test_text_alternative():
    data = {"labels": list("abcde"), "current": [1] * 5, "desired": [2] * 5}
    text = charts.describe(data, "Vakmanschap 3.0")
    assert text.startswith("Radar chart of Vakmanschap 3.0: current level (blue, solid line, circles)")
    assert "5 competencies" in text and "The table below gives the same numbers." in text
    two = charts.describe({key: values[:2] for key, values in data.items()}, "X")
    assert two.startswith("Bar chart of X") and "hatched" in two


@pytest.fixture
def shared(employee, spring):
    return submit(employee, spring, LEVELS, shared=True)


def test_personal_chart_response(client, employee, shared, framework):
    client.force_login(employee)
    response = client.get(reverse("reports:personal_chart", args=[shared.pk, framework.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"  # finding 6: no cache keeps it
    # An SVG image may carry its own inline styles, nothing else.
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    again = client.get(
        reverse("reports:personal_chart", args=[shared.pk, framework.pk]), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_chart_cache_and_invalidation(client, employee, shared, framework, draws):
    client.force_login(employee)
    url = reverse("reports:personal_chart", args=[shared.pk, framework.pk])
    first = client.get(url)
    client.get(url)
    page = client.get(reverse("reports:me")).content.decode()
    assert len(draws) == 1  # the second request and the page came from the cache / drew nothing
    assert f"{url}?v={first['ETag'].strip(chr(34))}" in page

    # The data change (an assessment reopened and submitted again): the key changes, the chart is redrawn.
    Rating.objects.filter(assessment=shared, competency__code="C1").update(current_level=4)
    second = client.get(url)
    assert len(draws) == 2
    assert second["ETag"] != first["ETag"]
    assert second.content != first.content
    assert f"{url}?v={second['ETag'].strip(chr(34))}" in client.get(reverse("reports:me")).content.decode()

    client.get(url)
    assert len(draws) == 2


def test_chart_cache_per_language(client, employee, shared, framework, draws):
    client.force_login(employee)
    url = reverse("reports:personal_chart", args=[shared.pk, framework.pk])
    client.get(url)
    with translation.override("nl"):
        client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert len(draws) == 2


def test_team_chart_cache_and_invalidation(client, org, team, manager, spring, framework, draws):
    for person in team:
        submit(person, spring, LEVELS)
    client.force_login(manager)
    url = reverse("reports:unit_chart", args=[org["youth"].pk, framework.pk])
    first = client.get(url)
    client.get(url)
    assert first["Content-Type"] == "image/svg+xml"
    assert len(draws) == 1
    assert draws[0]["current"] == [2.0, 3.0, 4.0, 1.0, 3.0]
    assert draws[0]["desired"] == [4.0, 3.0, 5.0, 3.0, 5.0]

    # A late submission to a closed round changes nothing: its final release stands, so does the chart.
    extra = team[0].__class__.objects.create(username="extra", name="Extra", unit=org["youth"], password="!")
    submit(extra, spring, [(5, 5)])
    second = client.get(url)
    assert len(draws) == 1
    assert second["ETag"] == first["ETag"]
    # The round and the choice of sub-units are part of the key too.
    client.get(url, {"subunits": "0"})
    assert len(draws) == 2


def test_team_chart_hidden_for_a_small_team(client, org, employee, colleague, manager, spring, framework):
    for person in (employee, colleague):
        submit(person, spring, LEVELS)
    client.force_login(manager)
    assert client.get(reverse("reports:unit_chart", args=[org["youth"].pk, framework.pk])).status_code == 404


def test_team_chart_bad_filters(client, org, team, manager, spring, framework):
    for person in team:
        submit(person, spring, LEVELS)
    client.force_login(manager)
    url = reverse("reports:unit_chart", args=[org["youth"].pk, framework.pk])
    assert client.get(url, {"round": "x"}).status_code == 404
    other = make_framework(2, slug="ander")
    RoundFactory(frameworks=[other])
    assert client.get(reverse("reports:unit_chart", args=[org["youth"].pk, other.pk])).status_code == 404

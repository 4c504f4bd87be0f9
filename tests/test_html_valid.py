# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Valid HTML: every page of the access matrix that answers 200 with HTML passes the Nu HTML Checker (vnu.jar from
the npm package vnu-jar, installed by `npm ci` from the Makefile), as seen by the first persona that may open it.
One run of the checker over all pages; errors fail, warnings do not."""

import json
import shutil
import subprocess
from pathlib import Path

from django.test import Client
from django.urls import reverse

import pytest

from tests.test_access_matrix import MATRIX, PERSONAS, make_world

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One short run: the quick JIT compiler only halves the checker's processor time (same messages); its deeper
# stack frames then need a bigger thread stack than vnu's own minimum of 512k.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss16m"]


def pages(world, people):
    """(name, persona, html) for every GET in the matrix that some persona opens as an HTML page."""
    found = []
    for name, (method, kwargs, data, expected) in sorted(MATRIX.items()):
        persona = next((p for p in PERSONAS if expected[p] == 200), None)
        if method != "get" or persona is None:
            continue
        client = Client()
        if persona != "anonymous":
            client.force_login(people[persona])
        response = client.get(reverse(name, kwargs=kwargs(world) if kwargs else None), data(world) if data else {})
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            found.append((name, persona, response.content.decode()))
    # The login page: Django's view, so the matrix leaves it out.
    found.append(("login", "anonymous", Client().get(reverse("login")).content.decode()))
    return found


@pytest.fixture
def world(db, settings):
    settings.REPORT_MIN_GROUP_SIZE = 2
    return make_world()


def test_main_pages_are_valid_html(world, tmp_path):
    java = shutil.which("java")
    if not VNU.exists() or not java:
        pytest.fail(f"The Nu HTML Checker needs Java and {VNU.relative_to(ROOT)}: run `make test` (it runs npm ci).")
    rendered = pages(*world)
    names = {name for name, *_ in rendered}
    assert {"home", "login", "assessments:form", "reports:me", "reports:unit", "competencies:framework"} <= names
    files = {}
    for name, persona, html in rendered:
        path = tmp_path / f"{name.replace(':', '-')}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = f"{name} ({persona})"
    result = subprocess.run(
        [java, *JVM_OPTIONS, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []

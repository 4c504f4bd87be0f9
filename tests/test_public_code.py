# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Public code: the licence, publiccode.yml (checked against the 0.4 core rules), security.txt (RFC 9116)."""

import json
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.urls import reverse

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
PUBLICCODE_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "publiccode-0.4.schema.json").read_text())
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def publiccode_errors(data):
    validator = Draft202012Validator(PUBLICCODE_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return sorted("/".join(map(str, e.absolute_path)) + ": " + e.message for e in validator.iter_errors(data))


@pytest.fixture(scope="module")
def publiccode():
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_licence_is_the_official_eupl_text():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016")
    assert text == (ROOT / "LICENSES" / "EUPL-1.2.txt").read_text(encoding="utf-8")
    assert PYPROJECT["license"] == "EUPL-1.2"


def test_publiccode_yml_is_valid(publiccode):
    assert publiccode_errors(publiccode) == []


def test_publiccode_yml_says_what_the_issue_asks(publiccode):
    assert publiccode["softwareVersion"] == PYPROJECT["version"]
    assert publiccode["legal"]["license"] == PYPROJECT["license"]
    assert publiccode["platforms"] == ["web"]
    assert set(publiccode["localisation"]["availableLanguages"]) == {"nl", "en"}
    assert {d["name"] for d in publiccode["dependsOn"]["open"]} >= {"PostgreSQL", "Python"}
    for lang in ("nl", "en"):
        assert len(publiccode["description"][lang]["features"]) >= 5


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda p: p.pop("url"), "'url' is a required property"),
        (lambda p: p.update(developmentStatus="af"), "developmentStatus: 'af' is not one of"),
        (lambda p: p.update(releaseDate="1 december 2026"), "releaseDate: '1 december 2026' does not match"),
        (lambda p: p["description"]["nl"].update(shortDescription="x" * 151), "shortDescription: 'xxx"),
        (lambda p: p["description"]["en"].update(longDescription="Too short."), "longDescription: 'Too short.'"),
        (lambda p: p["maintenance"].pop("contacts"), "'contacts' is a required property"),
        (lambda p: p["legal"].pop("license"), "legal: 'license' is a required property"),
    ],
    ids=[
        "no url",
        "bad status",
        "bad date",
        "long short description",
        "short long description",
        "no contacts",
        "no licence",
    ],
)
def test_the_publiccode_check_catches_mistakes(publiccode, change, where):
    broken = json.loads(json.dumps(publiccode))
    change(broken)
    assert any(where in error for error in publiccode_errors(broken)), publiccode_errors(broken)


def test_security_txt_follows_rfc_9116(client, db, settings):
    settings.SECURITY_CONTACT = ["security@gemeente.example", "https://gemeente.example/kwetsbaarheid-melden"]
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = [line.split(": ", 1) for line in response.content.decode().splitlines()]
    assert fields[0] == ["Contact", "mailto:security@gemeente.example"]
    assert fields[1] == ["Contact", "https://gemeente.example/kwetsbaarheid-melden"]
    assert ["Preferred-Languages", "nl, en"] in fields
    assert ["Canonical", "http://testserver/.well-known/security.txt"] in fields
    expires = datetime.strptime(dict(fields)["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=179) < expires - datetime.now(UTC) <= timedelta(days=180)


def test_security_txt_is_absent_until_a_contact_is_set(client, db, settings):
    settings.SECURITY_CONTACT = []
    assert client.get(reverse("security_txt")).status_code == 404

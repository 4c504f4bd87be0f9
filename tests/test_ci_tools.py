# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""bin/pip-audit-ci: a finding always fails; only an unreachable vulnerability service may pass."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bin" / "pip-audit-ci"


def fake_pip_audit(tmp_path, osv, pypi):
    """A stand-in pip-audit answering per service: ("json", data, exit) or ("error", stderr text)."""
    answers = {"osv": osv, "pypi": pypi}
    script = tmp_path / "pip-audit"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"answers = {json.dumps(answers)}\n"
        "kind, *rest = answers[sys.argv[sys.argv.index('--vulnerability-service') + 1]]\n"
        "if kind == 'json':\n"
        "    print(json.dumps(rest[0])); sys.exit(rest[1])\n"
        "sys.stderr.write(rest[0]); sys.exit(1)\n"
    )
    script.chmod(0o755)
    return script


def run(tmp_path, osv, pypi):
    env = {"PIP_AUDIT_BIN": str(fake_pip_audit(tmp_path, osv, pypi)), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, check=False)


NETWORK = ("error", "requests.exceptions.ConnectionError: Max retries exceeded with url: /v1/query")
CLEAN = ("json", {"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []}], "fixes": []}, 0)
VULNERABLE = (
    "json",
    {
        "dependencies": [
            {"name": "django", "version": "6.1.3", "vulns": [{"id": "PYSEC-1", "fix_versions": ["6.1.4"]}]}
        ]
    },
    1,
)
ALL_SKIPPED = ("json", {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}, 0)


@pytest.mark.parametrize(("osv", "pypi"), [(VULNERABLE, CLEAN), (NETWORK, VULNERABLE)])
def test_a_finding_fails(tmp_path, osv, pypi):
    result = run(tmp_path, osv, pypi)
    assert result.returncode != 0
    assert "VULNERABLE django 6.1.3: PYSEC-1 (fixed in: 6.1.4)" in result.stdout


def test_clean_passes(tmp_path):
    result = run(tmp_path, CLEAN, VULNERABLE)
    assert result.returncode == 0 and "no known vulnerabilities in 1 packages" in result.stdout


def test_falls_back_to_pypi_on_a_network_error(tmp_path):
    result = run(tmp_path, NETWORK, CLEAN)
    assert result.returncode == 0 and "osv could not be reached" in result.stdout and "(pypi)" in result.stdout


def test_unreachable_services_warn_but_pass(tmp_path):
    result = run(tmp_path, NETWORK, ALL_SKIPPED)
    assert result.returncode == 0 and "NOT audited" in result.stdout


def test_other_errors_fail(tmp_path):
    result = run(tmp_path, ("error", "Traceback: KeyError 'x'"), CLEAN)
    assert result.returncode != 0

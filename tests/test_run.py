"""`make run` (bin/run.py): the development server and the task worker start together and stop together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(sys.platform == "win32", reason="process groups")
def test_run_starts_server_and_worker_and_ctrl_c_stops_both(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    run = subprocess.Popen(
        [sys.executable, "bin/run.py", str(port)],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:  # noqa: S310
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the server did not answer")
        children = subprocess.run(
            ["/usr/bin/ps", "-o", "args=", "--ppid", str(run.pid)], capture_output=True, text=True, check=True
        ).stdout
        assert "db_worker" in children
        assert "runserver" in children
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        assert run.wait(timeout=20) == 0
        left = subprocess.run(
            ["/usr/bin/pgrep", "-g", str(run.pid)], capture_output=True, text=True, check=False
        ).stdout
        assert not left.strip()
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)

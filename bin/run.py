#!/usr/bin/env python
"""`make run`: the development server and the task worker side by side; Ctrl-C stops both.

bin/run.py [PORT]
"""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    port = sys.argv[1] if len(sys.argv) > 1 else "8000"
    manage = [sys.executable, str(ROOT / "manage.py")]
    processes = [
        subprocess.Popen([*manage, "db_worker"], cwd=ROOT),  # noqa: S603
        subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}"], cwd=ROOT),  # noqa: S603
    ]
    try:
        # When one of the two stops on its own, stop the other too.
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    failed = [process.returncode for process in processes if process.returncode and process.returncode > 0]
    return failed[0] if failed else 0


if __name__ == "__main__":
    sys.exit(main())

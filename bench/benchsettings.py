# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The benchmarks measure the production configuration (DEBUG off), as an installation runs it.

Call `use_production()` before `django.setup()`; `benchlib.open_database` then collects the static files that the
production storage (a manifest of hashed names) serves. With DEBUG on, Django records every query and the
templates keep their debugging information: the team dashboard took 128 to 194 ms that way and 91 ms in the
production configuration, on the same machine and data (docs/performance.md, 4 December 2026).
Set DEBUG=1 to measure the development configuration instead.
"""

import os

ENVIRONMENT = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-" + "k" * 50,  # production.py refuses the development key
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    # TLS ends at the load balancer in front of the app servers (docs/deployment.md); the test client speaks HTTP.
    "SECURE_SSL_REDIRECT": "0",
}


def use_production():
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)

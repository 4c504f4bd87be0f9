# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from . import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Browser tests run a threaded live server: an in-memory SQLite database is one
# connection shared by every thread, and concurrent requests (a page and its chart
# images) then fail with "bad parameter or other API misuse". A file gives each
# thread its own connection.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405

SECURITY_CONTACT = ["security@vakmanschap.example"]

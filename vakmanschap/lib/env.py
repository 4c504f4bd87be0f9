# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Typed settings from the environment that fail loudly, naming the variable."""

from django.core.exceptions import ImproperlyConfigured

import environ

_env = environ.Env()


def _read(kind, name, default, **kwargs):
    try:
        return getattr(_env, kind)(name, default=default, **kwargs)
    except (ValueError, TypeError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name} has an invalid value {_env.str(name, default='')!r}: {exc}"
        ) from exc


def env_str(name, default=""):
    return _read("str", name, default)


def env_bool(name, default):
    raw = _env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be 0 or 1 (or true/false), not {raw!r}.")


def env_int(name, default, minimum=None):
    value = _read("int", name, default)
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"Environment variable {name} must be at least {minimum}, not {value}.")
    return value


def env_list(name, default=()):
    return [item.strip() for item in _read("list", name, list(default)) if item.strip()]


def env_db(name, default):
    url = _env.str(name, default=default)
    if not url.startswith(("sqlite:", "postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a sqlite:/// or postgres:// URL, not {url!r}."
        )
    try:
        return environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several kinds on a malformed URL
        raise ImproperlyConfigured(f"Environment variable {name} is not a valid database URL: {exc}") from exc


def env_timezone(name, default):
    import zoneinfo

    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is not a known time zone: {value!r}.") from exc
    return value


def read_env_file(path):
    """Read KEY=value lines from a .env file into the environment, never overriding what is set."""
    if path.exists():
        environ.Env.read_env(str(path), overwrite=False)


def env_choice(name, default, choices):
    value = env_str(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"Environment variable {name} must be one of {', '.join(choices)}, not {value!r}.")
    return value

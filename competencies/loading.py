# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Load frameworks from our bilingual JSON files (fixtures/frameworks/*.json).

The same dictionary shape is what a CASE import produces, so both paths share
`validate_framework_data` and `save_framework_data`.
"""

import datetime
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import LEVELS, Competency, Framework, LevelDescription, Theme

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
LANGS = ("nl", "en")


class FrameworkDataError(Exception):
    """The data describes no valid framework; `errors` says every reason."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(errors))


def _text(value, where, errors):
    if not isinstance(value, dict) or any(not str(value.get(lang) or "").strip() for lang in LANGS):
        errors.append(_("%(where)s: the text in Dutch and English must not be empty.") % {"where": where})


def _uuid(value, where, errors):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        errors.append(_("%(where)s: '%(value)s' is not a valid identifier (UUID).") % {"where": where, "value": value})


def validate_framework_data(data, themes=None):
    """Every reason the dictionary is not a valid framework, as a list of sentences (empty when valid)."""
    errors = []
    if not isinstance(data, dict):
        return [_("The framework is not a JSON object.")]
    for key in ("identifier", "slug", "title", "description", "competencies"):
        if key not in data:
            errors.append(_("The field '%(field)s' is missing.") % {"field": key})
    if errors:
        return errors
    _uuid(data["identifier"], _("Framework"), errors)
    _text(data["title"], _("Title"), errors)
    _text(data["description"], _("Description"), errors)
    date = (data.get("source") or {}).get("date") or ""
    if date:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            errors.append(_("The source date '%(date)s' is not a date like 2026-05-01.") % {"date": date})
    themes = themes if themes is not None else set(Theme.objects.values_list("code", flat=True))
    competencies = data["competencies"]
    if not isinstance(competencies, list) or not competencies:
        return errors + [_("A framework needs at least one competency.")]
    codes = set()
    for number, item in enumerate(competencies, 1):
        code = str(item.get("code") or "").strip()
        where = _("Competency %(code)s") % {"code": code or number}
        if not code:
            errors.append(_("Competency %(number)s has no code.") % {"number": number})
        elif code in codes:
            errors.append(_("The code %(code)s is used more than once.") % {"code": code})
        codes.add(code)
        _uuid(item.get("identifier"), where, errors)
        if item.get("theme") not in themes:
            errors.append(_("%(where)s: unknown theme '%(theme)s'.") % {"where": where, "theme": item.get("theme")})
        _text(item.get("name"), where + " " + _("name"), errors)
        _text(item.get("definition"), where + " " + _("definition"), errors)
        levels = item.get("levels")
        if not isinstance(levels, list) or len(levels) != len(LEVELS):
            count = len(levels) if isinstance(levels, list) else 0
            errors.append(
                _("%(where)s has %(count)s level descriptions; it needs exactly %(needed)s (levels 1 to 5).")
                % {"where": where, "count": count, "needed": len(LEVELS)}
            )
            continue
        for level, text in zip(LEVELS, levels, strict=True):
            _text(text, where + " " + _("level %(level)s") % {"level": level}, errors)
            # A CASE import carries the level's identifier so a round trip keeps it.
            if isinstance(text, dict) and text.get("identifier"):
                _uuid(text["identifier"], where + " " + _("level %(level)s") % {"level": level}, errors)
    return errors


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def save_framework_data(data, *, is_own=False):
    """Create the framework, or update it in place while it is not frozen. Returns (framework, action).

    A frozen framework (used in a round) is left alone: its texts are what people rated against.
    """
    errors = validate_framework_data(data)
    if errors:
        raise FrameworkDataError(errors)
    source = data.get("source") or {}
    fields = {
        "slug": data["slug"],
        "version": int(data.get("version") or 1) if str(data.get("version") or "1").isdigit() else 1,
        "title_nl": data["title"]["nl"],
        "title_en": data["title"]["en"],
        "description_nl": data["description"]["nl"],
        "description_en": data["description"]["en"],
        "source_title": source.get("title", ""),
        "source_author": source.get("author", ""),
        "source_publisher": source.get("publisher", ""),
        "source_date": _date(source.get("date")),
        "is_own": data.get("is_own", is_own),
    }
    framework = Framework.objects.filter(identifier=data["identifier"]).first()
    if framework and framework.is_frozen:
        return framework, "frozen"
    if framework is None:
        framework = Framework.objects.create(identifier=data["identifier"], **fields)
        action = "created"
    else:
        for name, value in fields.items():
            setattr(framework, name, value)
        framework.save()
        action = "updated"
    themes = {t.code: t for t in Theme.objects.all()}
    keep = []
    for position, item in enumerate(data["competencies"], 1):
        competency, _created = Competency.objects.update_or_create(
            identifier=item["identifier"],
            defaults={
                "framework": framework,
                "code": item["code"],
                "position": position,
                "theme": themes[item["theme"]],
                "name_nl": item["name"]["nl"],
                "name_en": item["name"]["en"],
                "definition_nl": item["definition"]["nl"],
                "definition_en": item["definition"]["en"],
            },
        )
        keep.append(competency.pk)
        for level, text in zip(LEVELS, item["levels"], strict=True):
            LevelDescription.objects.update_or_create(
                competency=competency,
                level=level,
                defaults={"description_nl": text["nl"], "description_en": text["en"]}
                | ({"identifier": text["identifier"]} if text.get("identifier") else {}),
            )
    framework.competencies.exclude(pk__in=keep).delete()
    return framework, action


def load_themes(path=FIXTURES / "themes.json"):
    for item in json.loads(Path(path).read_text(encoding="utf-8")):
        Theme.objects.update_or_create(
            code=item["code"], defaults={"name_nl": item["name"]["nl"], "name_en": item["name"]["en"]}
        )


def load_framework_file(path):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FrameworkDataError([_("The file is not valid JSON: %(error)s") % {"error": exc}]) from exc
    return save_framework_data(data)


def framework_files():
    return sorted((FIXTURES / "frameworks").glob("*.json"))

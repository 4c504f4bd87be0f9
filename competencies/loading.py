# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Framework data: our bilingual JSON files (fixtures/frameworks/), checked and written into the database.

The same dictionary shape is what a CASE import produces, so both paths share `validate_framework_data`.
Whether data makes a new framework, changes one in place or becomes the next version is decided in
competencies/versions.py, which calls `write_framework_data` here.

Two file formats:
    version 1   a level is {"nl": text, "en": text}
    version 2   a level is {"text": {"nl", "en"}, "indicators": [{"nl", "en"}, ...], "tip": {"nl", "en"}},
                and a competency may have "not_yet": {"nl", "en"}
A level in the version-1 shape may also carry "indicators" and "tip" (that is how a CASE import gives them).
`standard=True` holds data to the content standard of our own fixtures (docs/content.md): 3-4 indicators on
every level, a tip on levels 1-4 and none on 5, texts within their lengths, no text used twice.
"""

import datetime
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .models import LEVELS, SCALE_MAX, Competency, LevelDescription, Theme

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
LANGS = ("nl", "en")
MIN_INDICATORS, MAX_INDICATORS = 3, 4


@dataclass(frozen=True, slots=True)
class Length:
    """A text's allowed length in words (the content standard; docs/content.md)."""

    least: int
    most: int


LENGTHS = {
    "text": Length(8, 60),
    "indicator": Length(3, 30),
    "tip": Length(5, 45),
    "not_yet": Length(5, 45),
}


class FrameworkDataError(Exception):
    """The data describes no valid framework; `errors` says every reason."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True, slots=True)
class LevelParts:
    """One level of the data, whichever format it came in."""

    text: dict
    indicators: list  # of {"nl", "en"}
    tip: dict  # {"nl", "en"}, empty strings when there is no tip
    identifier: str | None


def level_parts(level):
    """The text, indicators, tip and identifier of a level dictionary in either file format."""
    if not isinstance(level, dict):
        return LevelParts({}, [], {}, None)
    text = level["text"] if "text" in level else {lang: level.get(lang) for lang in LANGS}
    indicators = level.get("indicators") or []
    tip = level.get("tip") or {}
    return LevelParts(text, indicators, tip, level.get("identifier"))


def _filled(value):
    return isinstance(value, dict) and any(str(value.get(lang) or "").strip() for lang in LANGS)


def _text(value, where, errors):
    if not isinstance(value, dict) or any(not str(value.get(lang) or "").strip() for lang in LANGS):
        errors.append(_("%(where)s: the text in Dutch and English must not be empty.") % {"where": where})
        return False
    return True


def _uuid(value, where, errors):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        errors.append(_("%(where)s: '%(value)s' is not a valid identifier (UUID).") % {"where": where, "value": value})


def _words(text):
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def _length(value, kind, where, errors):
    limit = LENGTHS[kind]
    for lang in LANGS:
        count = _words(str(value.get(lang) or ""))
        if not limit.least <= count <= limit.most:
            errors.append(
                _("%(where)s (%(language)s) has %(count)s words; write %(least)s to %(most)s.")
                % {"where": where, "language": lang, "count": count, "least": limit.least, "most": limit.most}
            )


def _normalised(text):
    return " ".join(str(text).split()).casefold()


class _Repeats:
    """Remembers where each text was used, so the same sentence in two places is reported once with both places."""

    def __init__(self, errors):
        self.errors = errors
        self.seen = {}

    def check(self, value, where):
        for lang in LANGS:
            key = (lang, _normalised(value.get(lang) or ""))
            if not key[1]:
                continue
            if key in self.seen:
                self.errors.append(
                    _("%(where)s repeats a text of %(other)s (%(language)s): write what is specific here.")
                    % {"where": where, "other": self.seen[key], "language": lang}
                )
            else:
                self.seen[key] = where


def _check_level(parts, level, where, errors, repeats, standard):
    if not _text(parts.text, where, errors):
        return
    if parts.identifier:  # a CASE import carries the level's identifier so a round trip keeps it
        _uuid(parts.identifier, where, errors)
    indicators = parts.indicators
    if not isinstance(indicators, list):
        errors.append(_("%(where)s: the indicators must be a list.") % {"where": where})
        indicators = []
    if len(indicators) > MAX_INDICATORS or (standard and len(indicators) < MIN_INDICATORS):
        errors.append(
            _("%(where)s has %(count)s indicators; it needs %(least)s or %(most)s.")
            % {"where": where, "count": len(indicators), "least": MIN_INDICATORS, "most": MAX_INDICATORS}
        )
    has_tip = _filled(parts.tip)
    if level == SCALE_MAX and has_tip:
        errors.append(
            _("%(where)s has a development tip; level 5 is the top of the scale and has none.") % {"where": where}
        )
    elif has_tip:
        _text(parts.tip, where + " " + _("tip"), errors)
    elif standard and level < SCALE_MAX:
        errors.append(_("%(where)s has no development tip towards the next level.") % {"where": where})
    if standard:
        _length(parts.text, "text", where, errors)
        if has_tip:
            _length(parts.tip, "tip", where + " " + _("tip"), errors)
        repeats.check(parts.text, where)
        if has_tip:
            repeats.check(parts.tip, where + " " + _("tip"))
    for number, indicator in enumerate(indicators, 1):
        place = where + " " + _("indicator %(number)s") % {"number": number}
        if _text(indicator, place, errors) and standard:
            _length(indicator, "indicator", place, errors)
            repeats.check(indicator, place)


def _check_competency(item, where, errors, repeats, standard):
    _text(item.get("name"), where + " " + _("name"), errors)
    _text(item.get("definition"), where + " " + _("definition"), errors)
    not_yet = item.get("not_yet")
    if _filled(not_yet) and _text(not_yet, where + " " + _("not yet"), errors) and standard:
        _length(not_yet, "not_yet", where + " " + _("not yet"), errors)
        repeats.check(not_yet, where + " " + _("not yet"))
    levels = item.get("levels")
    if not isinstance(levels, list) or len(levels) != len(LEVELS):
        count = len(levels) if isinstance(levels, list) else 0
        errors.append(
            _("%(where)s has %(count)s level descriptions; it needs exactly %(needed)s (levels 1 to 5).")
            % {"where": where, "count": count, "needed": len(LEVELS)}
        )
        return
    for level, data in zip(LEVELS, levels, strict=True):
        place = where + " " + _("level %(level)s") % {"level": level}
        _check_level(level_parts(data), level, place, errors, repeats, standard)


def validate_framework_data(data, themes=None, *, standard=False):
    """Every reason the dictionary is not a valid framework, as a list of sentences (empty when valid).

    Each sentence names the framework, the competency and the level it is about. `standard=True` also
    checks the content standard (indicators, tips, lengths, repeats): see the module docstring.
    """
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
    name = (data["title"].get("nl") if isinstance(data["title"], dict) else "") or data["slug"]
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
    repeats = _Repeats(errors)
    for number, item in enumerate(competencies, 1):
        if not isinstance(item, dict):
            errors.append(
                _("%(framework)s: competency %(number)s is not an object.") % {"framework": name, "number": number}
            )
            continue
        code = str(item.get("code") or "").strip()
        where = _("%(framework)s, competency %(code)s") % {"framework": name, "code": code or number}
        if not code:
            errors.append(
                _("%(framework)s: competency %(number)s has no code.") % {"framework": name, "number": number}
            )
        elif code in codes:
            errors.append(_("The code %(code)s is used more than once.") % {"code": code})
        codes.add(code)
        _uuid(item.get("identifier"), where, errors)
        if item.get("theme") not in themes:
            errors.append(_("%(where)s: unknown theme '%(theme)s'.") % {"where": where, "theme": item.get("theme")})
        _check_competency(item, where, errors, repeats, standard)
    return errors


def version_number(value):
    """The whole version number of "2.0", "2" or 2; 1 when there is none."""
    match = re.match(r"\s*(\d+)", str(value or ""))
    return int(match.group(1)) if match else 1


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def framework_fields(data, *, is_own=False):
    """The Framework model fields the data gives (not identifier, version or predecessor)."""
    source = data.get("source") or {}
    return {
        "slug": data["slug"],
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


def _level_fields(parts):
    fields = {"description_nl": parts.text["nl"], "description_en": parts.text["en"]}
    for lang in LANGS:
        fields[f"indicators_{lang}"] = [str(indicator[lang]) for indicator in parts.indicators]
        fields[f"tip_{lang}"] = str(parts.tip.get(lang) or "")
    return fields


def write_framework_data(framework, data, *, identify=None):
    """Write the data's competencies and levels into `framework` (saved, not frozen) and remove the rest.

    Rows are matched by the data's identifiers. A new version has identifiers of its own: then pass
    `identify(parent identifier, name)`, rows are matched by competency code and new rows get identifiers from it.
    Call only through competencies/versions.py, which decides where data goes.
    """
    themes = {t.code: t for t in Theme.objects.all()}
    existing = {c.code if identify else str(c.identifier): c for c in framework.competencies.all()}
    keep = []
    for position, item in enumerate(data["competencies"], 1):
        fields = {
            "framework": framework,
            "code": item["code"],
            "position": position,
            "theme": themes[item["theme"]],
            "name_nl": item["name"]["nl"],
            "name_en": item["name"]["en"],
            "definition_nl": item["definition"]["nl"],
            "definition_en": item["definition"]["en"],
        }
        if "not_yet" in item:
            fields |= {f"not_yet_{lang}": str((item["not_yet"] or {}).get(lang) or "") for lang in LANGS}
        competency = existing.get(item["code"] if identify else str(item["identifier"]))
        if competency is None:
            identifier = identify(framework.identifier, item["code"]) if identify else item["identifier"]
            competency, _created = Competency.objects.update_or_create(identifier=identifier, defaults=fields)
        else:
            Competency.objects.filter(pk=competency.pk).update(**fields)
        keep.append(competency.pk)
        for level, level_data in zip(LEVELS, item["levels"], strict=True):
            parts = level_parts(level_data)
            defaults = _level_fields(parts)
            if identify:  # a copied level keeps the identifier it got in the copy
                create = defaults | {"identifier": identify(competency.identifier, str(level))}
            else:
                defaults |= {"identifier": parts.identifier} if parts.identifier else {}
                create = defaults
            LevelDescription.objects.update_or_create(
                competency=competency, level=level, defaults=defaults, create_defaults=create
            )
    framework.competencies.exclude(pk__in=keep).delete()


def load_themes(path=FIXTURES / "themes.json"):
    for item in json.loads(Path(path).read_text(encoding="utf-8")):
        Theme.objects.update_or_create(
            code=item["code"], defaults={"name_nl": item["name"]["nl"], "name_en": item["name"]["en"]}
        )


def read_framework_file(path):
    """The dictionary in a framework file, or FrameworkDataError when it is no JSON."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FrameworkDataError([_("The file is not valid JSON: %(error)s") % {"error": exc}]) from exc


def framework_files():
    """The current fixtures: version 2 of every source framework."""
    return sorted((FIXTURES / "frameworks").glob("*.json"))


def first_version_files():
    """Version 1 of every source framework, kept because the demo's closed round was rated against it."""
    return sorted((FIXTURES / "frameworks" / "v1").glob("*.json"))

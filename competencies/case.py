# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""1EdTech CASE 1.1 exchange: our frameworks as CASE packages, and CASE packages back into frameworks.

Mapping
    Framework       -> CFDocument (identifier = Framework.identifier, version, adoptionStatus "Adopted" for the
                       current version and "Deprecated" for an older one)
    Competency      -> CFItem (identifier = Competency.identifier, humanCodingScheme = code,
                       abbreviatedStatement = name, fullStatement = definition, listEnumeration = position)
    Theme           -> CFConcept in CFDefinitions (hierarchyCode = theme code); every item points at its theme
                       through conceptKeywords and conceptKeywordsURI
    CFAssociations  -> "isChildOf" from every item to the document (sequenceNumber = position), and "isRelatedTo"
                       from every item to each other competency with the same theme, in this framework or in the
                       current version of another one
    CFRubrics       -> one rubric per framework, one CFRubricCriterion per competency (CFItemURI points at the
                       item), one CFRubricCriterionLevel per level: description, quality (the scale name),
                       score and position (the level, 1 to 5), identifier = LevelDescription.identifier

Identifiers
    Documents, items and levels keep our own identifiers. Rubrics, criteria, concepts, the item type and
    associations get uuid5 values derived from ours, so they are the same on every request. uuid5 sets the
    RFC 4122 variant digit (8, 9, a or b), which is what the schema's identifier pattern checks.

Languages
    CASE gives a document one `language`; our frameworks are Dutch and English. A package is served in one
    language (the request's) and every standard CASE field holds text in that language only. The other language
    travels in `extensions`, the place CASE provides for a provider's own data, under the key "vakmanschap":

        CFDocument.extensions.vakmanschap   {"slug", "isOwn", "source": {...}, "translations": {"en": {"title",
                                            "description"}}}
        CFItem.extensions.vakmanschap       {"translations": {"en": {"fullStatement", "abbreviatedStatement"}}}
        CFConcept.extensions.vakmanschap    {"translations": {"en": {"title"}}}
        CFRubricCriterionLevel.extensions   [{"vakmanschap": {"indicators": [...], "translations": {"en":
                                            {"description", "quality", "feedback", "indicators"}}}}]

    A level's development tip (towards the next level) is its CASE `feedback`; its observable indicators
    travel in our extension, as CASE has no field for them.

    So one package of ours is a whole framework: importing it brings back both languages, the slug, the source
    and whether it is the organisation's own. A provider that publishes one document per language is read by
    giving the import a second package in the other language with the same identifiers; its standard fields
    win over our extension. A package that lacks a language either way is refused with a message saying so.

Import
    `convert_packages` turns one or two packages into the dictionary that competencies/loading.py validates and
    saves; `import_packages` checks it against the database and saves it, all or nothing. A theme code the
    portal does not know yet becomes a new theme, named after the concept; a known theme keeps its names.
"""

import itertools
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

# Reading a file into a package lives in case_reading.py; these names stay importable from here.
from .case_reading import SCHEMA_PATH, check_size, read_package, schema_errors  # noqa: F401
from .loading import LANGS, FrameworkDataError, validate_framework_data
from .models import LEVELS, SCALE_NAMES, Competency, Framework, LevelDescription, Theme
from .versions import save_framework_data

CASE_VERSION = "1.1"
EXTENSION = "vakmanschap"
# Namespace for the identifiers we derive; never change it, or every derived identifier changes.
NAMESPACE = uuid.UUID("3fc58956-6d7e-42d6-aead-3c4ee87fa6d3")


def derived_identifier(*parts):
    """A stable identifier for an object we do not store (rubric, criterion, concept, association)."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def rubric_identifier(framework_identifier):
    return derived_identifier("rubric", framework_identifier)


def criterion_identifier(competency_identifier):
    return derived_identifier("criterion", competency_identifier)


def concept_identifier(theme_code):
    return derived_identifier("concept", theme_code)


ITEM_TYPE_IDENTIFIER = derived_identifier("item-type", "competency")
SUBJECT_IDENTIFIER = derived_identifier("subject", "public-service-competencies")
# Our own texts may be reused under CC BY 4.0; an organisation's own framework (its core values) is its own.
LICENSES = {"cc-by-4.0": derived_identifier("license", "cc-by-4.0"), "own": derived_identifier("license", "own")}
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"


def grouping_identifier(theme_code):
    return derived_identifier("grouping", theme_code)


def license_kind(framework):
    return "own" if framework.is_own else "cc-by-4.0"


def _stamp(moment):
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _other_languages(lang):
    return [other for other in LANGS if other != lang]


def _text(obj, name, lang):
    return getattr(obj, f"{name}_{lang}")


def _translations(lang, texts):
    """{"translations": {other: {...}}} for the extension; `texts(other)` gives one language's fields."""
    return {"translations": {other: texts(other) for other in _other_languages(lang)}}


def _link(title, identifier, uri):
    return {"title": title, "identifier": str(identifier), "uri": uri}


class Links:
    """Absolute URIs of our CASE objects: `base` is the API root and ends with a slash."""

    def __init__(self, base):
        self.base = base

    def __call__(self, kind, identifier):
        return f"{self.base}{kind}/{identifier}"


# Export: our objects -> CASE dictionaries. Pure functions on prefetched objects.


def cf_document(framework, links, lang, *, in_package=False):
    """The CFDocument of a framework; outside a package it links to its package (CFPackageURI)."""
    title = _text(framework, "title", lang)
    document = {
        "identifier": str(framework.identifier),
        "uri": links("CFDocuments", framework.identifier),
        "creator": framework.source_author or framework.source_publisher or "Vakmanschap",
        "title": title,
        "lastChangeDateTime": _stamp(framework.updated_at),
        "description": _text(framework, "description", lang),
        "language": lang,
        "version": str(framework.version),
        "adoptionStatus": "Adopted" if framework.is_current else "Deprecated",
        "caseVersion": CASE_VERSION,
    }
    if framework.source_publisher:
        document["publisher"] = framework.source_publisher
    if framework.source_line:
        with translation.override(lang):
            document["notes"] = _("Based on: %(source)s") % {"source": framework.source_line}
    document["subject"] = [_subject_title(lang)]
    document["subjectURI"] = [_link(_subject_title(lang), SUBJECT_IDENTIFIER, links("CFSubjects", SUBJECT_IDENTIFIER))]
    kind = license_kind(framework)
    document["licenseURI"] = _link(_license_title(kind, lang), LICENSES[kind], links("CFLicenses", LICENSES[kind]))
    if not in_package:
        document["CFPackageURI"] = _link(title, framework.identifier, links("CFPackages", framework.identifier))
    document["extensions"] = {
        EXTENSION: {
            "slug": framework.slug,
            "isOwn": framework.is_own,
            "source": {
                "title": framework.source_title,
                "author": framework.source_author,
                "publisher": framework.source_publisher,
                "date": framework.source_date.isoformat() if framework.source_date else "",
            },
            **_translations(
                lang,
                lambda other: {
                    "title": _text(framework, "title", other),
                    "description": _text(framework, "description", other),
                },
            ),
        }
    }
    return document


def item_link(competency, links, lang):
    return _link(_text(competency, "name", lang), competency.identifier, links("CFItems", competency.identifier))


def _item_type_title(lang):
    with translation.override(lang):
        return _("Competency")


def cf_item(competency, links, lang, *, with_document=False):
    """The CFItem of a competency; `with_document` adds CFDocumentURI as getCFItem answers it."""
    theme = competency.theme
    framework = competency.framework
    item = {
        "identifier": str(competency.identifier),
        "fullStatement": _text(competency, "definition", lang),
        "abbreviatedStatement": _text(competency, "name", lang),
        "humanCodingScheme": competency.code,
        "listEnumeration": str(competency.position),
        "CFItemType": _item_type_title(lang),
        "CFItemTypeURI": _link(
            _item_type_title(lang), ITEM_TYPE_IDENTIFIER, links("CFItemTypes", ITEM_TYPE_IDENTIFIER)
        ),
        "uri": links("CFItems", competency.identifier),
        "conceptKeywords": [_text(theme, "name", lang)],
        "conceptKeywordsURI": _link(
            _text(theme, "name", lang),
            concept_identifier(theme.code),
            links("CFConcepts", concept_identifier(theme.code)),
        ),
        "language": lang,
        "lastChangeDateTime": _stamp(framework.updated_at),
        "extensions": {
            EXTENSION: _translations(
                lang,
                lambda other: {
                    "fullStatement": _text(competency, "definition", other),
                    "abbreviatedStatement": _text(competency, "name", other),
                },
            )
        },
    }
    if with_document:
        item["CFDocumentURI"] = _link(
            _text(framework, "title", lang), framework.identifier, links("CFDocuments", framework.identifier)
        )
    return item


def cf_concept(theme, links, lang, stamp):
    """A theme as a CFConcept; its code is the hierarchyCode an import reads back."""
    identifier = concept_identifier(theme.code)
    return {
        "identifier": identifier,
        "uri": links("CFConcepts", identifier),
        "title": _text(theme, "name", lang),
        "hierarchyCode": theme.code,
        "lastChangeDateTime": stamp,
        "extensions": {EXTENSION: _translations(lang, lambda other: {"title": _text(theme, "name", other)})},
    }


def cf_item_type(links, lang, stamp):
    """The one CFItemType every item has: a competency."""
    with translation.override(lang):
        description = _("A competency, rated on the shared scale of five levels.")
    return {
        "identifier": ITEM_TYPE_IDENTIFIER,
        "uri": links("CFItemTypes", ITEM_TYPE_IDENTIFIER),
        "title": _item_type_title(lang),
        "description": description,
        "hierarchyCode": "1",
        "typeCode": "competency",
        "lastChangeDateTime": stamp,
    }


def _subject_title(lang):
    with translation.override(lang):
        return _("Competencies of public servants")


def cf_subject(links, lang, stamp):
    """The one CFSubject every framework here is about."""
    with translation.override(lang):
        description = _("What public servants need to know and do well in their work.")
    return {
        "identifier": SUBJECT_IDENTIFIER,
        "uri": links("CFSubjects", SUBJECT_IDENTIFIER),
        "title": _subject_title(lang),
        "hierarchyCode": "1",
        "description": description,
        "lastChangeDateTime": stamp,
    }


def _license_title(kind, lang):
    with translation.override(lang):
        if kind == "own":
            return _("Framework of %(organisation)s: reuse only with permission") % {
                "organisation": settings.ORGANISATION_NAME or _("the organisation that runs this portal")
            }
        return _("Creative Commons Attribution 4.0 International (CC BY 4.0)")


def cf_license(kind, links, lang, stamp):
    """What may be reused of a framework's texts: CC BY 4.0 for ours, permission for an organisation's own."""
    with translation.override(lang):
        if kind == "own":
            description = _(
                "The organisation's own framework, such as its core values. Ask the organisation before you reuse it."
            )
            text = _("All rights reserved by the organisation that publishes this framework.")
        else:
            description = _(
                "The texts were written for Vakmanschap. You may share and adapt them for any purpose, if you name "
                "the source. A framework based on a published source cites that source in its notes; the source is "
                "not copied and its copyright stays with its authors."
            )
            text = _("Licensed under CC BY 4.0: %(url)s (legal code: %(url)slegalcode)") % {"url": CC_BY_URL}
    return {
        "identifier": LICENSES[kind],
        "uri": links("CFLicenses", LICENSES[kind]),
        "title": _license_title(kind, lang),
        "description": description,
        "licenseText": text,
        "lastChangeDateTime": stamp,
    }


def cf_grouping(theme, links, lang, stamp):
    """A theme as a CFAssociationGrouping: it groups the isRelatedTo associations between its competencies."""
    identifier = grouping_identifier(theme.code)
    name = _text(theme, "name", lang)
    with translation.override(lang):
        title = _("Same theme: %(theme)s") % {"theme": name}
        description = _(
            "Competencies with the theme %(theme)s, in this framework and in the current versions of the others."
        ) % {"theme": name}
    return {
        "identifier": identifier,
        "uri": links("CFAssociationGroupings", identifier),
        "title": title,
        "description": description,
        "lastChangeDateTime": stamp,
    }


def _node(link):
    return {**link, "targetType": "CASE"}


def cf_association(kind, origin, destination, links, stamp, *, sequence=None, notes=None, grouping=None):
    """`origin` and `destination` are links ({title, identifier, uri})."""
    identifier = derived_identifier("association", kind, origin["identifier"], destination["identifier"])
    association = {
        "identifier": identifier,
        "associationType": kind,
        "uri": links("CFAssociations", identifier),
        "originNodeURI": _node(origin),
        "destinationNodeURI": _node(destination),
        "lastChangeDateTime": stamp,
    }
    if sequence is not None:
        association["sequenceNumber"] = sequence
    if notes:
        association["notes"] = notes
    if grouping:
        association["CFAssociationGroupingURI"] = grouping
    return association


def _scale_name(level, lang):
    with translation.override(lang):
        return str(SCALE_NAMES[level][0])


def cf_level(level, criterion_id, links, lang, stamp):
    """A LevelDescription as a CFRubricCriterionLevel: score and position are the level on the scale.

    The development tip is the CASE `feedback` (left out when the level has none); the indicators are ours.
    """
    tip = _text(level, "tip", lang)
    return {
        "identifier": str(level.identifier),
        "uri": links("CFRubricCriterionLevels", level.identifier),
        "description": _text(level, "description", lang),
        "quality": _scale_name(level.level, lang),
        **({"feedback": tip} if tip else {}),
        "score": level.level,
        "position": level.level,
        "rubricCriterionId": criterion_id,
        "lastChangeDateTime": stamp,
        "extensions": [
            {
                EXTENSION: {
                    "indicators": list(_text(level, "indicators", lang)),
                    **_translations(
                        lang,
                        lambda other: {
                            "description": _text(level, "description", other),
                            "quality": _scale_name(level.level, other),
                            "feedback": _text(level, "tip", other),
                            "indicators": list(_text(level, "indicators", other)),
                        },
                    ),
                }
            }
        ],
    }


def cf_criterion(competency, rubric_id, links, lang, stamp):
    """A competency as a CFRubricCriterion: points at its CFItem and holds its five levels."""
    identifier = criterion_identifier(competency.identifier)
    return {
        "identifier": identifier,
        "uri": links("CFRubricCriteria", identifier),
        "category": _text(competency.theme, "name", lang),
        "description": _text(competency, "name", lang),
        "CFItemURI": item_link(competency, links, lang),
        "position": competency.position,
        "rubricId": rubric_id,
        "lastChangeDateTime": stamp,
        "CFRubricCriterionLevels": [
            cf_level(level, identifier, links, lang, stamp) for level in competency.levels.all()
        ],
    }


def _scale_line(lang):
    with translation.override(lang):
        return ", ".join(f"{level} {name}" for level, (name, _hint) in SCALE_NAMES.items())


def cf_rubric(framework, competencies, links, lang):
    """One rubric for the framework: a criterion per competency, a level per point on the shared scale."""
    identifier = rubric_identifier(framework.identifier)
    stamp = _stamp(framework.updated_at)
    with translation.override(lang):
        title = _("Levels: %(framework)s") % {"framework": _text(framework, "title", lang)}
        description = _("Every competency is rated on the same scale: %(scale)s.") % {"scale": _scale_line(lang)}
    return {
        "identifier": identifier,
        "uri": links("CFRubrics", identifier),
        "title": title,
        "description": description,
        "lastChangeDateTime": stamp,
        "CFRubricCriteria": [cf_criterion(c, identifier, links, lang, stamp) for c in competencies],
    }


def cf_package(framework, competencies, related, links, lang):
    """The whole CFPackage. `related` maps a competency's pk to the competencies that share its theme."""
    stamp = _stamp(framework.updated_at)
    document = cf_document(framework, links, lang, in_package=True)
    document_link = _link(document["title"], framework.identifier, document["uri"])
    themes = {c.theme.code: c.theme for c in competencies}
    groupings = {code: cf_grouping(theme, links, lang, stamp) for code, theme in themes.items()}
    associations = []
    for competency in competencies:
        origin = item_link(competency, links, lang)
        associations.append(
            cf_association("isChildOf", origin, document_link, links, stamp, sequence=competency.position)
        )
        grouping = groupings[competency.theme.code]
        grouping_link = _link(grouping["title"], grouping["identifier"], grouping["uri"])
        for other in related.get(competency.pk, []):
            associations.append(
                cf_association(
                    "isRelatedTo",
                    origin,
                    item_link(other, links, lang),
                    links,
                    stamp,
                    notes=grouping["title"],
                    grouping=grouping_link,
                )
            )
    used = sorted({c.theme.code for c in competencies if related.get(c.pk)})
    return {
        "CFDocument": document,
        "CFItems": [cf_item(c, links, lang) for c in competencies],
        "CFAssociations": associations,
        "CFDefinitions": {
            "CFConcepts": [cf_concept(themes[code], links, lang, stamp) for code in sorted(themes)],
            "CFSubjects": [cf_subject(links, lang, stamp)],
            "CFLicenses": [cf_license(license_kind(framework), links, lang, stamp)],
            "CFItemTypes": [cf_item_type(links, lang, stamp)],
            "CFAssociationGroupings": [groupings[code] for code in used],
        },
        "CFRubrics": [cf_rubric(framework, competencies, links, lang)],
    }


# Export: fetching. A fixed number of queries, whatever the size of the framework.


def frameworks():
    """Frameworks for export: with `successor`, so adoptionStatus costs no query per framework."""
    return Framework.objects.select_related("successor")


def find_framework(identifier):
    return frameworks().filter(identifier=identifier).first()


def find_framework_by_rubric(identifier):
    """The framework whose derived rubric identifier this is, or None (one query over the identifiers)."""
    wanted = str(identifier)
    for pk, framework_identifier in Framework.objects.values_list("pk", "identifier"):
        if rubric_identifier(framework_identifier) == wanted:
            return frameworks().get(pk=pk)
    return None


def find_competency(identifier):
    return Competency.objects.select_related("framework", "theme").filter(identifier=identifier).first()


def competencies_of(framework):
    """The competencies with theme and levels in order: two queries, however many there are."""
    return list(
        framework.competencies.select_related("framework", "theme").prefetch_related(
            Prefetch("levels", queryset=LevelDescription.objects.order_by("level"))
        )
    )


def related_by_theme(framework, competencies):
    """For each competency (by pk), the other competencies with its theme in this or another current framework."""
    others = (
        Competency.objects.filter(theme__in={c.theme_id for c in competencies})
        .filter(Q(framework__successor__isnull=True) | Q(framework=framework))
        .select_related("framework")
        .order_by("framework__title_nl", "framework__version", "position", "code")
    )
    by_theme = defaultdict(list)
    for other in others:
        by_theme[other.theme_id].append(other)
    return {c.pk: [o for o in by_theme[c.theme_id] if o.pk != c.pk] for c in competencies}


def package_for(framework, links, lang):
    """The CFPackage of a framework, fetched in a fixed number of queries."""
    competencies = competencies_of(framework)
    return cf_package(framework, competencies, related_by_theme(framework, competencies), links, lang)


def rubric_for(framework, links, lang):
    """The CFRubric of a framework (getCFRubric)."""
    return cf_rubric(framework, competencies_of(framework), links, lang)


def framework_to_data(framework):
    """The framework as loading.py's dictionary, with level identifiers: what a round trip must give back."""
    return {
        "identifier": str(framework.identifier),
        "slug": framework.slug,
        "version": framework.version,
        "title": {lang: _text(framework, "title", lang) for lang in LANGS},
        "description": {lang: _text(framework, "description", lang) for lang in LANGS},
        "source": {
            "title": framework.source_title,
            "author": framework.source_author,
            "publisher": framework.source_publisher,
            "date": framework.source_date.isoformat() if framework.source_date else "",
        },
        "is_own": framework.is_own,
        "competencies": [
            {
                "identifier": str(competency.identifier),
                "code": competency.code,
                "theme": competency.theme.code,
                "name": {lang: _text(competency, "name", lang) for lang in LANGS},
                "definition": {lang: _text(competency, "definition", lang) for lang in LANGS},
                "levels": [
                    {
                        **{lang: _text(level, "description", lang) for lang in LANGS},
                        "identifier": str(level.identifier),
                        **_level_guidance(
                            {lang: _text(level, "tip", lang) for lang in LANGS}, level_indicators(level)
                        ),
                    }
                    for level in competency.levels.all()
                ],
            }
            for competency in competencies_of(framework)
        ],
    }


# Import: CASE package -> our dictionary.


def _ours(obj):
    """Our extension on a CASE object ({} when absent or not an object)."""
    extensions = obj.get("extensions")
    if isinstance(extensions, list):  # CFRubricCriterionLevel has a list of extension objects
        extensions = next((e for e in extensions if isinstance(e, dict) and EXTENSION in e), {})
    value = extensions.get(EXTENSION) if isinstance(extensions, dict) else None
    return value if isinstance(value, dict) else {}


def _string(value):
    return value if isinstance(value, str) else ""


def _criteria(package):
    return [criterion for rubric in package.get("CFRubrics", []) for criterion in rubric.get("CFRubricCriteria", [])]


def _concepts(package):
    return (package.get("CFDefinitions") or {}).get("CFConcepts", [])


def _score(value):
    """A level's score as an integer, or None when it is not a whole number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else None


def level_indicators(level):
    """A LevelDescription's indicators as [{"nl", "en"}], paired by position."""
    return [
        {"nl": nl, "en": en}
        for nl, en in itertools.zip_longest(level.indicators_nl or [], level.indicators_en or [], fillvalue="")
    ]


def _level_guidance(tip, indicators):
    """The tip and indicators of a level in loading.py's dictionary: left out when the level has none."""
    return ({"tip": tip} if any(tip.values()) else {}) | ({"indicators": indicators} if indicators else {})


def _strings(value):
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _level_texts(texts):
    """One language's description, tip and indicators of a CFRubricCriterionLevel."""
    return {
        "description": _string(texts.get("description")),
        "feedback": _string(texts.get("feedback")),
        "indicators": _strings(texts.get("indicators")),
    }


def _standard_texts(package):
    """The texts in the package's own language, from the standard CASE fields."""
    document = package["CFDocument"]
    levels = {}
    for criterion in _criteria(package):
        item = (criterion.get("CFItemURI") or {}).get("identifier")
        for level in criterion.get("CFRubricCriterionLevels", []):
            own = {**level, "indicators": _ours(level).get("indicators")}
            levels[(item, _score(level.get("score")))] = _level_texts(own)
    return {
        "title": document["title"],
        "description": document.get("description", ""),
        "items": {
            item["identifier"]: {
                "name": item.get("abbreviatedStatement") or item.get("alternativeLabel") or "",
                "definition": item["fullStatement"],
            }
            for item in package.get("CFItems", [])
        },
        "levels": levels,
        "concepts": {concept["identifier"]: concept["title"] for concept in _concepts(package)},
    }


def _extension_texts(package):
    """The other languages our own export puts in the extensions: {lang: texts}."""
    found = defaultdict(lambda: {"title": "", "description": "", "items": {}, "levels": {}, "concepts": {}})

    def translations(obj):
        value = _ours(obj).get("translations")
        return {lang: t for lang, t in value.items() if isinstance(t, dict)} if isinstance(value, dict) else {}

    for lang, texts in translations(package["CFDocument"]).items():
        found[lang]["title"] = _string(texts.get("title"))
        found[lang]["description"] = _string(texts.get("description"))
    for item in package.get("CFItems", []):
        for lang, texts in translations(item).items():
            found[lang]["items"][item["identifier"]] = {
                "name": _string(texts.get("abbreviatedStatement")),
                "definition": _string(texts.get("fullStatement")),
            }
    for criterion in _criteria(package):
        item = (criterion.get("CFItemURI") or {}).get("identifier")
        for level in criterion.get("CFRubricCriterionLevels", []):
            for lang, texts in translations(level).items():
                found[lang]["levels"][(item, _score(level.get("score")))] = _level_texts(texts)
    for concept in _concepts(package):
        for lang, texts in translations(concept).items():
            found[lang]["concepts"][concept["identifier"]] = _string(texts.get("title"))
    return {lang: texts for lang, texts in found.items() if lang in LANGS}


def _language(document, default):
    return (_string(document.get("language")) or default).lower()[:2]


def _language_name(lang):
    return {"nl": _("Dutch"), "en": _("English")}.get(lang, lang)


def _texts_by_language(package, second):
    """{lang: texts} for both our languages, or FrameworkDataError saying which package lacks what."""
    first_lang = _language(package["CFDocument"], "nl")
    second_lang = _language(second["CFDocument"], "en") if second is not None else None
    unknown = [lang for lang in (first_lang, second_lang) if lang is not None and lang not in LANGS]
    if unknown:
        raise FrameworkDataError(
            [
                _("A package is in the language '%(language)s'; the portal reads Dutch (nl) and English (en).")
                % {"language": lang}
                for lang in unknown
            ]
        )
    texts = {first_lang: _standard_texts(package)}
    errors = []
    if second is not None:
        if second["CFDocument"]["identifier"] != package["CFDocument"]["identifier"]:
            errors.append(
                _("The second package describes another framework (%(second)s, not %(first)s).")
                % {"second": second["CFDocument"]["identifier"], "first": package["CFDocument"]["identifier"]}
            )
        elif second_lang == first_lang:
            errors.append(
                _("Both packages are in %(language)s; the second must be in the other language.")
                % {"language": _language_name(first_lang)}
            )
        else:
            texts[second_lang] = _standard_texts(second)
            for identifier in sorted(set(texts[first_lang]["items"]) ^ set(texts[second_lang]["items"])):
                errors.append(
                    _("Item %(item)s is in only one of the two packages; both must have the same items.")
                    % {"item": identifier}
                )
    if errors:
        raise FrameworkDataError(errors)
    for source in (package, second):
        if source is not None:
            for lang, found in _extension_texts(source).items():
                texts.setdefault(lang, found)
    missing = [lang for lang in LANGS if lang not in texts]
    if missing:
        raise FrameworkDataError(
            [
                _("The package has no %(language)s texts. Give the %(language)s package as a second file.")
                % {"language": _language_name(lang)}
                for lang in missing
            ]
        )
    return texts


def _version(value):
    match = re.match(r"\s*(\d+)", _string(value))
    return int(match.group(1)) if match else 1


def _slug(document, title, errors):
    slug = _string(_ours(document).get("slug"))
    if not slug:
        return slugify(title)[:100] or f"case-{document['identifier']}"
    try:
        validate_slug(slug)
    except ValidationError:
        errors.append(
            _("The slug '%(slug)s' may only hold letters, digits, hyphens and underscores.") % {"slug": slug}
        )
    return slug[:100]


def _source(document):
    ours = _ours(document).get("source")
    if isinstance(ours, dict):
        return {key: _string(ours.get(key)) for key in ("title", "author", "publisher", "date")}
    return {
        "title": "",
        "author": _string(document.get("creator")),
        "publisher": _string(document.get("publisher")),
        "date": "",
    }


def _ordered_items(package):
    """Items in the order of their isChildOf sequenceNumber, then as they come."""
    document = package["CFDocument"]["identifier"]
    sequence = {
        a["originNodeURI"]["identifier"]: a.get("sequenceNumber", 0)
        for a in package.get("CFAssociations", [])
        if a["associationType"] == "isChildOf" and a["destinationNodeURI"]["identifier"] == document
    }
    items = package.get("CFItems", [])
    order = sorted(range(len(items)), key=lambda i: (sequence.get(items[i]["identifier"], float("inf")), i))
    return [items[i] for i in order]


def _theme_code(item, concepts, label, errors):
    link = item.get("conceptKeywordsURI")
    if not link:
        errors.append(
            _("Item %(item)s has no theme: its conceptKeywordsURI must point at a CFConcept in CFDefinitions.")
            % {"item": label}
        )
        return None, None
    concept = concepts.get(link["identifier"])
    if concept is None:
        errors.append(
            _("Item %(item)s points at concept %(concept)s, which is not in CFDefinitions/CFConcepts.")
            % {"item": label, "concept": link["identifier"]}
        )
        return None, None
    code = concept["hierarchyCode"].strip()
    try:
        validate_slug(code)
        if len(code) > Theme._meta.get_field("code").max_length:
            raise ValidationError("too long")
    except ValidationError:
        errors.append(
            _(
                "Concept %(concept)s has the code '%(code)s', which cannot be a theme code (use at most 50 letters, "
                "digits and hyphens)."
            )
            % {"concept": concept["identifier"], "code": code}
        )
        return None, None
    return code, concept["identifier"]


def _levels(item, criteria, texts, label, errors):
    """The five level dictionaries of an item, in order; what is wrong with the scale goes into `errors`."""
    identifier = item["identifier"]
    if not criteria:
        errors.append(
            _(
                "Item %(item)s has no rubric criterion (CFRubricCriterion with this CFItemURI), so its levels are "
                "missing."
            )
            % {"item": label}
        )
        return []
    if len(criteria) > 1:
        errors.append(
            _("Item %(item)s has %(count)s rubric criteria; it needs exactly one.")
            % {"item": label, "count": len(criteria)}
        )
        return []
    by_score = {}
    for level in criteria[0].get("CFRubricCriterionLevels", []):
        raw = level.get("score")
        score = _score(raw)
        if raw is None:
            errors.append(_("Item %(item)s has a level without a score.") % {"item": label})
        elif score not in LEVELS:
            errors.append(
                _(
                    "Item %(item)s has a level with score %(score)s, which is not on our scale: the scores must be "
                    "1 to 5."
                )
                % {"item": label, "score": raw}
            )
        elif score in by_score:
            errors.append(
                _("Item %(item)s has more than one level with score %(score)s.") % {"item": label, "score": score}
            )
        else:
            by_score[score] = level
    for level in LEVELS:
        if level not in by_score:
            errors.append(
                _("Item %(item)s: level %(level)s (%(name)s) is missing.")
                % {"item": label, "level": level, "name": SCALE_NAMES[level][0]}
            )
    levels = []
    for score in sorted(by_score):
        found = {lang: texts[lang]["levels"].get((identifier, score)) or _level_texts({}) for lang in LANGS}
        indicators = [
            {"nl": nl, "en": en}
            for nl, en in itertools.zip_longest(found["nl"]["indicators"], found["en"]["indicators"], fillvalue="")
        ]
        levels.append(
            {
                **{lang: found[lang]["description"] for lang in LANGS},
                "identifier": by_score[score]["identifier"],
                **_level_guidance({lang: found[lang]["feedback"] for lang in LANGS}, indicators),
            }
        )
    return levels


@dataclass
class Conversion:
    """What a package says: loading.py's dictionary, the themes it names, and what is wrong with it."""

    data: dict
    themes: dict = field(default_factory=dict)  # code -> {"nl": name, "en": name}
    errors: list = field(default_factory=list)


def convert_packages(package, second=None):
    """One package (or two, one per language) -> Conversion. Both must have passed `read_package`."""
    texts = _texts_by_language(package, second)
    document = package["CFDocument"]
    errors = []
    concepts = {concept["identifier"]: concept for concept in _concepts(package)}
    criteria = defaultdict(list)
    for criterion in _criteria(package):
        criteria[(criterion.get("CFItemURI") or {}).get("identifier")].append(criterion)
    seen_items, seen_levels, themes, competencies = set(), set(), {}, []
    for item in _ordered_items(package):
        identifier = item["identifier"]
        label = _string(item.get("humanCodingScheme")).strip() or identifier
        if identifier in seen_items:
            errors.append(_("The item identifier %(identifier)s is used more than once.") % {"identifier": identifier})
        seen_items.add(identifier)
        theme, concept = _theme_code(item, concepts, label, errors)
        if theme and theme not in themes:
            themes[theme] = {lang: texts[lang]["concepts"].get(concept, "") for lang in LANGS}
        levels = _levels(item, criteria[identifier], texts, label, errors)
        for level in levels:
            if level["identifier"] in seen_levels:
                errors.append(
                    _("The level identifier %(identifier)s is used more than once.")
                    % {"identifier": level["identifier"]}
                )
            seen_levels.add(level["identifier"])
        competencies.append(
            {
                "identifier": identifier,
                "code": _string(item.get("humanCodingScheme")).strip(),
                "theme": theme,
                "name": {lang: texts[lang]["items"].get(identifier, {}).get("name", "") for lang in LANGS},
                "definition": {lang: texts[lang]["items"].get(identifier, {}).get("definition", "") for lang in LANGS},
                "levels": levels,
            }
        )
    for identifier in sorted(set(criteria) - seen_items):
        errors.append(
            _("A rubric criterion points at item %(item)s, which is not in the package.") % {"item": identifier}
        )
    for code, names in themes.items():
        for lang in LANGS:
            if not names[lang].strip():
                errors.append(
                    _("The theme '%(code)s' has no %(language)s name (CFConcept title).")
                    % {"code": code, "language": _language_name(lang)}
                )
    data = {
        "identifier": document["identifier"],
        "slug": _slug(document, texts["nl"]["title"], errors),
        "version": _version(document.get("version")),
        "title": {lang: texts[lang]["title"] for lang in LANGS},
        "description": {lang: texts[lang]["description"] for lang in LANGS},
        "source": _source(document),
        "is_own": _ours(document).get("isOwn") is True,
        "competencies": competencies,
    }
    return Conversion(data=data, themes=themes, errors=errors)


# Import: checks against the database, then save.


def _conflicts(data):
    """Identifiers or slug/version in the data that already belong to something else."""
    errors = []
    framework = data["identifier"]
    items = {c["identifier"]: c for c in data["competencies"]}
    for competency in (
        Competency.objects.filter(identifier__in=list(items))
        .exclude(framework__identifier=framework)
        .select_related("framework")
    ):
        errors.append(
            _("Item %(code)s: its identifier belongs to competency %(other)s of the framework %(framework)s.")
            % {
                "code": items[str(competency.identifier)]["code"],
                "other": competency.code,
                "framework": competency.framework,
            }
        )
    wanted = {
        level["identifier"]: (competency["identifier"], number)
        for competency in data["competencies"]
        for number, level in enumerate(competency["levels"], 1)
    }
    for level in LevelDescription.objects.filter(identifier__in=list(wanted)).select_related("competency"):
        if (str(level.competency.identifier), level.level) != wanted[str(level.identifier)]:
            errors.append(
                _("The level identifier %(identifier)s already belongs to level %(level)s of competency %(code)s.")
                % {"identifier": level.identifier, "level": level.level, "code": level.competency.code}
            )
    other = Framework.objects.filter(slug=data["slug"], version=data["version"]).exclude(identifier=framework).first()
    if other:
        errors.append(
            _("Another framework (%(other)s) already has the slug '%(slug)s' and version %(version)s.")
            % {"other": other, "slug": data["slug"], "version": data["version"]}
        )
    return errors


def _frozen_error(framework):
    return FrameworkDataError(
        [
            _(
                "%(framework)s is frozen: it has been used in an assessment round, so an import may not change it. "
                "Edit it in the portal to make a new version."
            )
            % {"framework": framework}
        ]
    )


@dataclass
class ImportResult:
    framework: Framework
    action: str  # "created", "updated" or "unchanged"
    new_themes: list


def import_packages(package, second=None):
    """Save the framework the package(s) describe, all or nothing. Raises FrameworkDataError with every reason."""
    conversion = convert_packages(package, second)
    data = conversion.data
    known = set(Theme.objects.values_list("code", flat=True))
    new_themes = {code: names for code, names in conversion.themes.items() if code not in known}
    # An item without a usable theme is already explained in conversion.errors; None keeps it from being repeated.
    errors = conversion.errors + validate_framework_data(data, themes=known | set(new_themes) | {None})
    if errors:
        raise FrameworkDataError(errors)
    errors = _conflicts(data)
    if errors:
        raise FrameworkDataError(errors)
    existing = frameworks().filter(identifier=data["identifier"]).first()
    if existing and framework_to_data(existing) == data:
        return ImportResult(existing, "unchanged", [])
    if existing and existing.is_frozen:
        raise _frozen_error(existing)
    try:
        with transaction.atomic():
            for code, names in sorted(new_themes.items()):
                Theme.objects.create(code=code, name_nl=names["nl"], name_en=names["en"])
            framework, action = save_framework_data(data)
            if action == "frozen":  # frozen between our check and the save
                raise _frozen_error(framework)
    except IntegrityError as exc:
        raise FrameworkDataError([_("The database refused the framework: %(problem)s") % {"problem": exc}]) from exc
    return ImportResult(framework, action, sorted(new_themes))

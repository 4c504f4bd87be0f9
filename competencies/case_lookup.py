# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Finding the CASE objects we derive rather than store: associations, concepts, groupings, subjects, licences.

Their identifiers are uuid5 values made from ours (competencies/case.py), so a lookup recomputes them: over the
themes for a concept or grouping, over the competencies for an association. Each finder answers the CASE
dictionary of its endpoint, or None for an identifier that is not ours.
"""

from collections import defaultdict

from django.db.models import Max

from . import case
from .models import Competency, Framework, Theme


def _stamp():
    """The newest change to any framework: when shared definitions last changed."""
    newest = Framework.objects.aggregate(newest=Max("updated_at"))["newest"]
    return case._stamp(newest) if newest else "1970-01-01T00:00:00Z"


def _theme(identifier, derive):
    for theme in Theme.objects.all():
        if derive(theme.code) == identifier:
            return theme
    return None


def concept(identifier, links, lang):
    """getCFConcept: the concept, then its children (a theme has none)."""
    theme = _theme(identifier, case.concept_identifier)
    return {"CFConcepts": [case.cf_concept(theme, links, lang, _stamp())]} if theme else None


def grouping(identifier, links, lang):
    theme = _theme(identifier, case.grouping_identifier)
    return case.cf_grouping(theme, links, lang, _stamp()) if theme else None


def subject(identifier, links, lang):
    if identifier != case.SUBJECT_IDENTIFIER:
        return None
    return {"CFSubjects": [case.cf_subject(links, lang, _stamp())]}


def item_type(identifier, links, lang):
    if identifier != case.ITEM_TYPE_IDENTIFIER:
        return None
    return {"CFItemTypes": [case.cf_item_type(links, lang, _stamp())]}


def license(identifier, links, lang):  # noqa: A001 (the CASE name)
    kinds = {value: kind for kind, value in case.LICENSES.items()}
    if identifier not in kinds:
        return None
    return case.cf_license(kinds[identifier], links, lang, _stamp())


def _framework_with_association(identifier):
    """The pk of the framework whose package holds the association, found from identifiers alone (one query).

    A package holds isChildOf from each item to its document and isRelatedTo from each item to every other
    competency with its theme, in the same framework or in the current version of another (case.related_by_theme).
    """
    rows = list(
        Competency.objects.values_list(
            "identifier", "theme_id", "framework_id", "framework__identifier", "framework__successor"
        )
    )
    by_theme = defaultdict(list)
    for row in rows:
        by_theme[row[1]].append(row)
    for item, theme, framework, document, _successor in rows:
        if case.derived_identifier("association", "isChildOf", item, document) == identifier:
            return framework
        for other, _theme, other_framework, _document, other_successor in by_theme[theme]:
            related = other != item and (other_framework == framework or other_successor is None)
            if related and case.derived_identifier("association", "isRelatedTo", item, other) == identifier:
                return framework
    return None


def _document_link(package):
    document = package["CFDocument"]
    return case._link(document["title"], document["identifier"], document["uri"])


def association(identifier, links, lang):
    """getCFAssociation: the association as its package has it, with the document it belongs to."""
    framework = _framework_with_association(identifier)
    if framework is None:
        return None
    package = case.package_for(case.frameworks().get(pk=framework), links, lang)
    found = next(a for a in package["CFAssociations"] if a["identifier"] == identifier)
    return {**found, "CFDocumentURI": _document_link(package)}


def item_associations(identifier, links, lang):
    """getCFItemAssociations: the item and every association of its package that starts or ends at it."""
    competency = case.find_competency(identifier)
    if competency is None:
        return None
    package = case.package_for(case.frameworks().get(pk=competency.framework_id), links, lang)
    mine = [
        a
        for a in package["CFAssociations"]
        if identifier in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
    ]
    return {"CFItem": case.cf_item(competency, links, lang, with_document=True), "CFAssociations": mine}

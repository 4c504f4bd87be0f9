# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The CASE 1.1 provider API; included from vakmanschap/urls.py under ims/case/v1p1/.

Identifiers are taken as any text so that a malformed one gets the CASE 400 (invalid_uuid), not a 404.
"""

from django.urls import path, re_path

from . import api

app_name = "case"
urlpatterns = [
    path("CFDocuments", api.documents, name="documents"),
    path("CFDocuments/<str:identifier>", api.document, name="document"),
    path("CFPackages/<str:identifier>", api.package, name="package"),
    path("CFItems/<str:identifier>", api.item, name="item"),
    path("CFItemAssociations/<str:identifier>", api.item_associations, name="item_associations"),
    path("CFAssociations/<str:identifier>", api.association, name="association"),
    path("CFAssociationGroupings/<str:identifier>", api.association_grouping, name="association_grouping"),
    path("CFConcepts/<str:identifier>", api.concept, name="concept"),
    path("CFSubjects/<str:identifier>", api.subject, name="subject"),
    path("CFItemTypes/<str:identifier>", api.item_type, name="item_type"),
    path("CFLicenses/<str:identifier>", api.license, name="license"),
    path("CFRubrics/<str:identifier>", api.rubric, name="rubric"),
    path("discovery", api.discovery, name="discovery"),
    re_path(r"^(?P<rest>.*)$", api.not_found, name="not_found"),
]

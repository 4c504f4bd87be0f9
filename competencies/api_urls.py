# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The CASE 1.1 provider API; included from vakmanschap/urls.py under ims/case/v1p1/."""

from django.urls import path

from . import api

app_name = "case"
urlpatterns = [
    path("CFDocuments", api.documents, name="documents"),
    path("CFDocuments/<uuid:identifier>", api.document, name="document"),
    path("CFPackages/<uuid:identifier>", api.package, name="package"),
    path("CFItems/<uuid:identifier>", api.item, name="item"),
    path("CFRubrics/<uuid:identifier>", api.rubric, name="rubric"),
]

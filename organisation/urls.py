# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("hr/import/", views.import_people, name="import"),
    path("hr/import/confirm/", views.import_confirm, name="import_confirm"),
]

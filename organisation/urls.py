# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("hr/import/", views.import_people, name="import"),
    path("hr/import/<int:pk>/", views.import_job, name="import_job"),
    path("hr/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("hr/import/<int:pk>/discard/", views.import_discard, name="import_discard"),
]

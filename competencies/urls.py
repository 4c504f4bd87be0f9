# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import path

from . import views

app_name = "competencies"
urlpatterns = [
    path("frameworks/", views.framework_list, name="list"),
    path("frameworks/own/new/", views.own_framework_create, name="own_create"),
    path("frameworks/import/", views.case_import, name="case_import"),
    path("frameworks/own/<slug:slug>/v<int:version>/edit/", views.own_framework_edit, name="own_edit"),
    path("frameworks/<slug:slug>/v<int:version>/", views.framework_detail, name="framework"),
    path("frameworks/<slug:slug>/v<int:version>/<str:code>/", views.competency_detail, name="competency"),
]

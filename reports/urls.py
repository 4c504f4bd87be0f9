# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/me/", views.my_report, name="me"),
    path("reports/people/<int:pk>/", views.person_report, name="person"),
    path(
        "reports/assessments/<int:pk>/frameworks/<int:framework_pk>/chart.svg",
        views.personal_chart,
        name="personal_chart",
    ),
    path("reports/units/<int:pk>/", views.unit_dashboard, name="unit"),
    path("reports/units/<int:pk>/frameworks/<int:framework_pk>/chart.svg", views.unit_chart, name="unit_chart"),
    path("reports/organisation/", views.organisation, name="organisation"),
]

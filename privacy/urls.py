# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("hr/audit/", views.audit_log, name="audit_log"),
    path("privacy/", views.privacy_statement, name="privacy"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download.json", views.my_data_download, {"file_type": views.JSON}, name="my_data_json"),
    path("me/data/download.csv", views.my_data_download, {"file_type": views.CSV}, name="my_data_csv"),
]

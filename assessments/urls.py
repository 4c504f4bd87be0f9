# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("assessments/", views.my_assessments, name="list"),
    path("assessments/<int:pk>/", views.fill_in, name="form"),
    path("assessments/<int:pk>/ratings/<int:competency_id>/", views.save_rating, name="rating"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/sharing/", views.change_sharing, name="sharing"),
    path("hr/rounds/", views.round_list, name="rounds"),
    path("hr/rounds/new/", views.round_create, name="round_create"),
    path("hr/rounds/<int:pk>/", views.round_detail, name="round"),
    path("hr/rounds/<int:pk>/extend/", views.round_extend, name="round_extend"),
    path("hr/rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("hr/rounds/<int:pk>/enrol/", views.round_enrol, name="round_enrol"),
    path("hr/rounds/<int:pk>/participants/", views.participants, name="participants"),
    path("hr/rounds/<int:pk>/assessments/<int:assessment_pk>/reopen/", views.reopen, name="reopen"),
]

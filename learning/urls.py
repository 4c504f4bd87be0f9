# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("learning/", views.activity_list, name="activities"),
    path("learning/<int:pk>/", views.activity_detail, name="activity"),
    path("learning/lines/<int:pk>/", views.line_detail, name="line"),
    path("learning/lines/new/", views.line_edit, name="line_create"),
    path("learning/lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("learning/new/", views.activity_edit, name="activity_create"),
    path("learning/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("learning/import/", views.catalogue_import, name="catalogue_import"),
    path("hr/targets/", views.target_list, name="targets"),
    path("hr/targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("hr/targets/import/", views.target_import, name="target_import"),
    path("people/<int:pk>/targets/", views.person_targets, name="person_targets"),
    path("plans/me/", views.my_plan, name="my_plan"),
    path("plans/me/start/", views.start_plan, name="start_plan"),
    path("plans/shared/", views.shared_plans, name="shared_plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/goals/", views.add_goal, name="add_goal"),
    path("plans/<int:pk>/goals/<int:goal_pk>/", views.save_goal, name="goal"),
    path("plans/<int:pk>/goals/<int:goal_pk>/actions/", views.add_action, name="add_action"),
    path("plans/<int:pk>/actions/<int:action_pk>/", views.save_action, name="action"),
    path("plans/<int:pk>/sharing/", views.change_sharing, name="sharing"),
    path("plans/<int:pk>/comment/", views.comment, name="comment"),
    path("plans/<int:pk>/conversation/", views.conversation, name="conversation"),
    path("me/reminders/", views.reminder_settings, name="reminder_settings"),
]

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The role groups (HR, functional administrators) and their permissions."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission

# Both roles maintain framework content: HR the organisation's own framework (its core
# values) in the app, functional administrators everything through the admin.
FRAMEWORK_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("framework", "competency", "leveldescription")
    for action in ("view", "add", "change")
] + ["view_theme"]

# Functional administrators keep the content and the people in order through the admin.
ADMIN_PERMISSIONS = {
    "organisation": [
        "view_person",
        "change_person",
        "add_person",
        "view_unit",
        "change_unit",
        "add_unit",
        "view_accesslog",
    ],
    "competencies": FRAMEWORK_PERMISSIONS,
}
HR_PERMISSIONS = {
    "organisation": ["act_as_hr", "view_person", "view_unit", "view_accesslog"],
    "competencies": FRAMEWORK_PERMISSIONS,
}


def _permissions(spec):
    found = []
    for app_label, codenames in spec.items():
        found += Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    return found


def ensure_role_groups(**kwargs):
    """Create or update the role groups; runs after every migrate, so it is idempotent."""
    for name, spec in ((settings.HR_GROUP, HR_PERMISSIONS), (settings.ADMIN_GROUP, ADMIN_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(spec))

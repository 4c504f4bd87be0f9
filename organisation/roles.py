"""The role groups (HR, functional administrators) and their permissions."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission

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
    "competencies": [
        "view_framework",
        "add_framework",
        "change_framework",
        "view_competency",
        "add_competency",
        "change_competency",
        "view_leveldescription",
        "add_leveldescription",
        "change_leveldescription",
        "view_theme",
    ],
}
HR_PERMISSIONS = {
    "organisation": ["act_as_hr", "view_person", "view_unit", "view_accesslog"],
    # HR maintains the organisation's own framework (its core values) in the app.
    "competencies": [
        "view_framework",
        "add_framework",
        "change_framework",
        "view_competency",
        "add_competency",
        "change_competency",
        "view_leveldescription",
        "add_leveldescription",
        "change_leveldescription",
        "view_theme",
    ],
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

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from .logins import count_failure
        from .oidc import warn_if_email_unverified
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="organisation.ensure_role_groups")
        user_login_failed.connect(count_failure, dispatch_uid="organisation.count_login_failure")
        warn_if_email_unverified()

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal-data duties (AVG): the access log page, "my data", retention, the public statements."""

    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .tasks import schedule_daily_purge_after_migrate

        # Sent per app with models; the handler acts once, for the task worker's own app.
        post_migrate.connect(schedule_daily_purge_after_migrate, dispatch_uid="privacy.schedule_daily_purge")

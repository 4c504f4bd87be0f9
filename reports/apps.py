# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from learning.reminders import reminders_due

        from .digest import send_digests

        # Learning's daily reminder run asks for the weekly summary; reports releases its figures.
        reminders_due.connect(send_digests, dispatch_uid="reports.send_digests")

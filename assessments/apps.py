# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from organisation.demo import demo_seeded

        from . import asked
        from .demo import seed_rounds
        from .pending import apply_on_login

        asked.connect_signals()
        demo_seeded.connect(seed_rounds, dispatch_uid="assessments.seed_rounds")
        # Answers sent after the session ended are stored as soon as the person logs in again.
        user_logged_in.connect(apply_on_login, dispatch_uid="assessments.apply_pending_answers")

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from organisation.demo import demo_seeded

        from .demo import seed_learning
        from .pending import apply_on_login
        from .tasks import schedule_after_migrate

        demo_seeded.connect(seed_learning, dispatch_uid="learning.seed_learning")
        # Plan changes sent after the session ended are stored as soon as the person logs in again.
        user_logged_in.connect(apply_on_login, dispatch_uid="learning.apply_pending_changes")
        post_migrate.connect(schedule_after_migrate, dispatch_uid="learning.schedule_reminders")

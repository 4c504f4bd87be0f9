# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.core.management.base import BaseCommand

from learning import reminders


class Command(BaseCommand):
    help = "Send today's e-mail reminders now (each reminder is sent once, so this is safe to run again)."

    def handle(self, *args, **options):
        sent = reminders.send_due()
        self.stdout.write(f"{sent} reminders sent")

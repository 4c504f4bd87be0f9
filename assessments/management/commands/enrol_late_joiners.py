# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.core.management.base import BaseCommand

from assessments.rounds import enrol_late_joiners


class Command(BaseCommand):
    help = "Give people who joined a participating unit an assessment in every round that is not closed."

    def handle(self, *args, **options):
        added = enrol_late_joiners()
        if not added:
            self.stdout.write("No rounds are open.")
        for round_, count in added.items():
            self.stdout.write(f"{round_}: {count} added")

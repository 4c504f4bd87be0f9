# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.core.management.base import BaseCommand

from organisation.demo import demo_login_lines, seed_demo


class Command(BaseCommand):
    help = "Create the demo municipality 'Gemeente Voorbeeld' with demo logins (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=140,
            help="Number of employees (default 140: eleven teams of about 12 and one of 3).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for a repeatable organisation.")

    def handle(self, *args, employees, seed, **options):
        seed_demo(employees=employees, seed=seed, log=self.stdout.write)
        self.stdout.write("Demo logins (username / password):")
        for line in demo_login_lines():
            self.stdout.write(line)

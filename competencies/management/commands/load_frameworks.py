# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.core.management.base import BaseCommand, CommandError

from competencies.loading import FrameworkDataError, framework_files, load_framework_file, load_themes


class Command(BaseCommand):
    help = "Load the themes and the competency frameworks in fixtures/ (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Framework files; default: every file in fixtures/frameworks/")

    def handle(self, *args, files, **options):
        load_themes()
        for path in files or framework_files():
            try:
                framework, action = load_framework_file(path)
            except FrameworkDataError as exc:
                raise CommandError(f"{path}: " + "\n".join(exc.errors)) from exc
            self.stdout.write(f"{action:8} {framework}")

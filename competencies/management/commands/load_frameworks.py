# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.core.management.base import BaseCommand, CommandError

from competencies.loading import (
    FrameworkDataError,
    first_version_files,
    framework_files,
    load_themes,
    read_framework_file,
    version_number,
)
from competencies.versions import save_framework_data, save_next_version


class Command(BaseCommand):
    help = (
        "Load the themes and the competency frameworks in fixtures/: version 1 of each (fixtures/frameworks/v1/), "
        "then the current files as the next version. Safe to run again; a version used in a round never changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Framework files; default: every file in fixtures/frameworks/")

    def handle(self, *args, files, **options):
        load_themes()
        for path in files or [*first_version_files(), *framework_files()]:
            try:
                data = read_framework_file(path)
                if isinstance(data, dict) and version_number(data.get("version")) > 1:
                    framework, action = save_next_version(data)
                else:
                    framework, action = save_framework_data(data)
            except FrameworkDataError as exc:
                raise CommandError(f"{path}: " + "\n".join(exc.errors)) from exc
            self.stdout.write(f"{action:9} {framework}")

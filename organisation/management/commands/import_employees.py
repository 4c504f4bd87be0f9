# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisation.imports import ImportFileError, apply_import, plan_import


class Command(BaseCommand):
    help = "Import people and units from a CSV file. A file with any bad row imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only check the file and show what would change.")

    def handle(self, *args, file, dry_run, **options):
        try:
            plan = plan_import(file.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(f"line {error.line} ({error.personnel_number or '-'}): {error.message}")
            raise CommandError(f"{len(plan.errors)} error(s); nothing was imported.")
        for label, rows in (("create", plan.to_create), ("update", plan.to_update)):
            for row in rows:
                self.stdout.write(f"{label:8} {row.personnel_number} {row.name}")
        for path in plan.new_units:
            self.stdout.write(f"unit     {path}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        result = apply_import(plan)
        self.stdout.write(
            "{created} created, {updated} updated, {unchanged} unchanged, {units_created} units created".format(
                **result
            )
        )

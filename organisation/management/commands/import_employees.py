# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisation.imports import ImportFileError, import_file, plan_import


class Command(BaseCommand):
    help = "Import people and units from a CSV file. A file with any bad row imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only check the file and show what would change.")
        parser.add_argument("--quiet", action="store_true", help="Print only the totals, not a line per person.")

    def handle(self, *args, file, dry_run, quiet, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        progress = self._progress if sys.stderr.isatty() else None
        try:
            # The same check and import as the web page's background task, in one transaction.
            if dry_run:
                plan, result = plan_import(data, progress=progress), None
            else:
                plan, result = import_file(data, progress=progress)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(f"line {error.line} ({error.personnel_number or '-'}): {error.message}")
            raise CommandError(f"{len(plan.errors)} error(s); nothing was imported.")
        if not quiet:
            self._report(plan)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        self.stdout.write(
            "{created} created, {updated} updated, {unchanged} unchanged, {units_created} units created".format(
                **result
            )
        )

    def _report(self, plan):
        for row in plan.to_create:
            self.stdout.write(f"create   {row.personnel_number} {row.name}")
        for row in plan.to_update:
            changes = "; ".join(f"{c.field}: {c.old!r} -> {c.new!r}" for c in row.changes)
            self.stdout.write(f"update   {row.personnel_number} {row.name}: {changes}")
        for path in plan.new_units:
            self.stdout.write(f"unit     {path}")

    def _progress(self, checked, total):
        self.stderr.write(f"\r{checked} of {total} lines checked", ending="")
        if checked >= total:
            self.stderr.write("")

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Round
from organisation.models import Unit
from reports import audit
from reports.export_forms import DRAFTS, ExportForm
from reports.exports import CSV, CSV_DIALECT, EXCEL_DIALECT, KINDS, XLSX, Export


class Command(BaseCommand):
    help = (
        "Write an export to standard output, for example: manage.py export ratings --round 3 > ratings.csv. "
        "Filters and file types are the same as on the export page; every export is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", choices=KINDS)
        parser.add_argument("--round", help="Round id. Default: the most recent round with submitted assessments.")
        parser.add_argument("--unit", help="Unit id: that unit and every unit below it.")
        parser.add_argument("--framework", help="Framework id (one version).")
        parser.add_argument("--dialect", choices=[EXCEL_DIALECT, CSV_DIALECT], default=EXCEL_DIALECT)
        parser.add_argument("--format", choices=[CSV, XLSX], default=CSV)
        parser.add_argument("--pseudonymise", action="store_true", help="Replace names and personnel numbers.")
        parser.add_argument("--include-drafts", action="store_true", help="Also unsubmitted self-assessments.")

    def handle(self, *args, **options):
        data = {
            "round": options["round"],
            "unit": options["unit"],
            "framework": options["framework"],
            "include": [DRAFTS] if options["include_drafts"] else [],
            "pseudonymise": options["pseudonymise"],
            "format": options["format"],
            "dialect": options["dialect"],
        }
        form = ExportForm({key: value for key, value in data.items() if value not in (None, "")}, units=Unit.objects)
        if not form.is_valid():
            raise CommandError(self._errors(form))
        output = getattr(self.stdout, "buffer", None)
        if options["format"] == XLSX and (output is None or self.stdout.isatty()):
            raise CommandError("An .xlsx file is binary: redirect the output to a file (> export.xlsx).")
        export = Export(
            options["export"], form.filters(), file_format=options["format"], dialect_name=options["dialect"]
        )
        for chunk in audit.logged(export, audit.start(export)):
            if output is not None:
                output.write(chunk)
            else:
                self.stdout.write(chunk.decode(), ending="")
        self.stdout.flush()
        self.stderr.write(f"{export.kind}: {export.progress.rows} rows ({export.filters.round.name})")

    def _errors(self, form):
        lines = [
            f"{field if field != '__all__' else 'filters'}: {message}"
            for field, messages in form.errors.items()
            for message in messages
        ]
        if "round" in form.errors or "__all__" in form.errors:
            rounds = ", ".join(f"{r.pk} ({r.name})" for r in Round.objects.order_by("-opens_on", "-pk"))
            lines.append(f"Rounds: {rounds or '-'}")
        return "\n".join(lines)

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from competencies.case import import_packages
from competencies.case_reading import check_size, read
from competencies.loading import FrameworkDataError


def _read(path):
    """The Reading (package and warnings) of the file at `path`; FrameworkDataError says what is wrong with it."""
    try:
        # Refuse an oversized file before reading it into memory.
        check_size(Path(path).stat().st_size, path)
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FrameworkDataError(
            [_("%(file)s cannot be read: %(problem)s") % {"file": path, "problem": exc.strerror}]
        ) from exc
    return read(raw, path)


class Command(BaseCommand):
    help = (
        "Import a competency framework from a 1EdTech CASE 1.1 package (JSON), all or nothing. "
        "Our own packages hold both languages; for a provider with one package per language, "
        "give the package in the other language as the second file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CASE package (getCFPackage JSON)")
        parser.add_argument("file_en", nargs="?", help="The same package in the other language (optional)")

    def handle(self, *args, file, file_en, **options):
        readings, errors = [], []
        for path in filter(None, [file, file_en]):
            try:
                readings.append(_read(path))
            except FrameworkDataError as exc:
                errors += exc.errors
        try:
            if errors:
                raise FrameworkDataError(errors)
            result = import_packages(*(reading.package for reading in readings))
        except FrameworkDataError as exc:
            raise CommandError("\n".join([*exc.errors, _("Nothing was changed.")])) from exc
        for warning in (warning for reading in readings for warning in reading.warnings):
            self.stdout.write(_("Warning: %(warning)s") % {"warning": warning})
        for code in result.new_themes:
            self.stdout.write(_("New theme: %(code)s") % {"code": code})
        verbs = {"created": _("Created"), "updated": _("Updated"), "unchanged": _("Unchanged")}
        self.stdout.write(
            _("%(action)s: %(framework)s") % {"action": verbs[result.action], "framework": result.framework}
        )

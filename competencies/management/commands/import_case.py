# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from competencies.case import check_size, import_packages, read_package
from competencies.loading import FrameworkDataError


def _read(path):
    """The package in the file at `path`; FrameworkDataError says what is wrong with it."""
    try:
        # Refuse an oversized file before reading it into memory.
        check_size(Path(path).stat().st_size, path)
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FrameworkDataError(
            [_("%(file)s cannot be read: %(problem)s") % {"file": path, "problem": exc.strerror}]
        ) from exc
    return read_package(raw, path)


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
        packages, errors = [], []
        for path in filter(None, [file, file_en]):
            try:
                packages.append(_read(path))
            except FrameworkDataError as exc:
                errors += exc.errors
        try:
            if errors:
                raise FrameworkDataError(errors)
            result = import_packages(*packages)
        except FrameworkDataError as exc:
            raise CommandError("\n".join([*exc.errors, _("Nothing was changed.")])) from exc
        for code in result.new_themes:
            self.stdout.write(_("New theme: %(code)s") % {"code": code})
        verbs = {"created": _("Created"), "updated": _("Updated"), "unchanged": _("Unchanged")}
        self.stdout.write(
            _("%(action)s: %(framework)s") % {"action": verbs[result.action], "framework": result.framework}
        )

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The export log: every export of personal data is written down before the first byte leaves."""

from django.utils import timezone

from .exports import XLSX
from .models import ExportLog, ExportSource


def _described(instance, name):
    return {"id": instance.pk, "name": name} if instance is not None else None


def start(export, *, user=None):
    """Record an export as it begins: by `user` from the export page, or from the command line without one."""
    filters = export.filters
    return ExportLog.objects.create(
        user=user,
        user_name=user.get_full_name() if user else "",
        source=ExportSource.WEB if user else ExportSource.COMMAND,
        export=export.kind,
        file_type=XLSX if export.file_format == XLSX else export.dialect_name,
        filters={
            "round": _described(filters.round, filters.round.name),
            "unit": _described(filters.unit, filters.unit and filters.unit.name),
            "framework": _described(filters.framework, filters.framework and str(filters.framework)),
            "include_drafts": filters.include_drafts,
            "pseudonymise": filters.pseudonymise,
        },
    )


def finish(log, row_count, completed):
    """Write down how many rows went out, and whether the file was complete."""
    log.row_count = row_count
    log.finished_at = timezone.now() if completed else None
    ExportLog.objects.filter(pk=log.pk).update(row_count=log.row_count, finished_at=log.finished_at)


def logged(export, log):
    """The export's chunks; when they stop, for whatever reason, the log gets the number of rows."""
    completed = False
    try:
        yield from export.chunks()
        completed = True
    finally:
        finish(log, export.progress.rows, completed)


def entries():
    return ExportLog.objects.select_related("user")

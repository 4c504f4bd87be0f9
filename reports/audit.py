# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The export log: every export of personal data is written down before the first byte leaves.

Besides the one ExportLog row per file, every person whose data is in the file gets an access
log entry, so the export shows in their own "who looked at my data".
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment
from organisation.audit import Action, log_access_rows

from .exports import PEOPLE, RATINGS, XLSX
from .models import ExportLog, ExportSource


def _described(instance, name):
    return {"id": instance.pk, "name": name} if instance is not None else None


def start(export, *, request=None):
    """Record an export as it begins: by request.user from the export page, or from the command line without one."""
    user = request.user if request is not None else None
    filters = export.filters
    log_exported_people(export, request)
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


def exported_assessments(export):
    """The self-assessments whose person is in the file: none for the units export (averages, no names)."""
    filters = export.filters
    if export.kind not in (RATINGS, PEOPLE):
        return Assessment.objects.none()
    assessments = Assessment.objects.filter(round=filters.round)
    if filters.unit is not None:
        assessments = assessments.filter(unit__tree_path__startswith=filters.unit.tree_path)
    if export.kind == RATINGS and not filters.include_drafts:
        assessments = assessments.submitted()
    return assessments


def log_exported_people(export, request=None):
    """One access log entry per person in the file (a few bulk inserts, also for 25,000 people)."""
    rows = (
        (pk, person_id, name or username)  # the person's full name as Person.get_full_name gives it
        for pk, person_id, name, username in exported_assessments(export)
        .values_list("pk", "person_id", "person__name", "person__username")
        .order_by("pk")
        .iterator(chunk_size=2000)
    )
    detail = _("%(export)s export, %(round)s") % {"export": export.kind, "round": export.filters.round.name}
    object_type = Assessment._meta.label_lower
    return log_access_rows(request, Action.EXPORTED, object_type, rows, detail=detail)


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

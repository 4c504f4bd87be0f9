"""An organisation import as background work: upload, check, preview, import, clean up.

The browser only uploads and reads: the file goes into an ImportJob, the task worker
(`organisation/tasks.py`, run by `manage.py db_worker`) checks it and writes what it found
as ImportLines for the preview, and after HR confirms it imports the file in one
transaction, checking it again first in case the organisation changed in between. The
file and the preview lines are removed once the import is done or discarded; jobs older
than IMPORT_KEEP_HOURS are purged by the nightly task.
"""

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from .imports import ImportFileError, import_file, plan_import
from .models import ImportJob, ImportLine

IMPORT_KEEP_HOURS = 24
BATCH_SIZE = 2000
Status = ImportJob.Status


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def start(person, file_name, data: bytes) -> ImportJob:
    """Store an uploaded file and have the worker check it."""
    from .tasks import check_import

    job = ImportJob.objects.create(uploaded_by=person, file_name=file_name[:255], data=data)
    check_import.enqueue(job.pk)
    return job


def _progress(job_id):
    def report(checked, total):
        ImportJob.objects.filter(pk=job_id).update(checked=checked, total=total)

    return report


def check(job_id):
    """Check a stored file and write the preview (or the errors); writes nothing else."""
    job = ImportJob.objects.filter(pk=job_id, status=Status.CHECKING).defer("data").first()
    if job is None:
        return None
    try:
        plan = plan_import(_data(job_id), progress=_progress(job_id))
    except ImportFileError as exc:
        return _refuse(job, message=str(exc))
    if not plan.ok:
        return _refuse(job, plan=plan)
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id).update(
            status=Status.READY,
            encoding=plan.encoding,
            summary=_summary(plan),
            finished_at=timezone.now(),
        )
        _write_lines(job_id, plan)
    return Status.READY


def _data(job_id):
    """The stored file as bytes (PostgreSQL hands out a memoryview; one copy, not two)."""
    data = ImportJob.objects.values_list("data", flat=True).get(pk=job_id)
    return data if isinstance(data, bytes) else bytes(data)


def _summary(plan, result=None):
    return {
        "created": len(plan.to_create),
        "updated": len(plan.to_update),
        "unchanged": plan.unchanged,
        "units_created": len(plan.new_units),
        "errors": len(plan.errors),
        "rows": len(plan.rows),
        "columns": sorted(plan.columns),
    } | (result or {})


def _refuse(job, message="", plan=None):
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=Status.REFUSED,
            message=message,
            data=b"",
            summary=_summary(plan) if plan else {},
            encoding=plan.encoding if plan else "",
            finished_at=timezone.now(),
        )
        ImportLine.objects.filter(job_id=job.pk).delete()
        if plan:
            _write_lines(job.pk, plan)
    return Status.REFUSED


def _write_lines(job_id, plan):
    def lines():
        for error in plan.errors:
            yield ImportLine(
                job_id=job_id,
                kind=ImportLine.Kind.ERROR,
                line=error.line,
                personnel_number=error.personnel_number[:64],
                text=error.message,
            )
        for row in plan.to_create:
            yield ImportLine(
                job_id=job_id,
                kind=ImportLine.Kind.CREATE,
                line=row.line,
                personnel_number=row.personnel_number,
                text=row.name,
            )
        for row in plan.to_update:
            yield ImportLine(
                job_id=job_id,
                kind=ImportLine.Kind.UPDATE,
                line=row.line,
                personnel_number=row.personnel_number,
                text=row.name,
                changes=[[change.field, change.old, change.new] for change in row.changes],
            )
        for index, path in enumerate(plan.new_units, 1):
            yield ImportLine(job_id=job_id, kind=ImportLine.Kind.UNIT, line=index, text=path)

    batch = []
    for line in lines():
        batch.append(line)
        if len(batch) == BATCH_SIZE:
            ImportLine.objects.bulk_create(batch)
            batch = []
    ImportLine.objects.bulk_create(batch)


def confirm(job) -> bool:
    """Hand a checked file to the worker for importing; False when it is not ready (any more)."""
    from .tasks import run_import

    if not ImportJob.objects.filter(pk=job.pk, status=Status.READY).update(status=Status.IMPORTING):
        return False
    run_import.enqueue(job.pk)
    return True


def run(job_id):
    """Import a confirmed file: check it again and apply it, in one transaction."""
    job = ImportJob.objects.filter(pk=job_id, status=Status.IMPORTING).defer("data").first()
    if job is None:
        return None
    try:
        plan, result = import_file(_data(job_id))
    except ImportFileError as exc:
        return _refuse(job, message=str(exc))
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(status=Status.FAILED, data=b"", finished_at=timezone.now())
        ImportLine.objects.filter(job_id=job_id).delete()
        raise
    if result is None:
        return _refuse(job, plan=plan)
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id).update(
            status=Status.DONE, data=b"", summary=_summary(plan, result), finished_at=timezone.now()
        )
        ImportLine.objects.filter(job_id=job_id).delete()
    return Status.DONE


def discard(job) -> bool:
    """Remove a file that will not be imported, with its preview; a running import is not stopped."""
    return bool(ImportJob.objects.filter(pk=job.pk).exclude(status=Status.IMPORTING).delete()[0])


def purge_stale(now=None) -> int:
    """Delete every job (file, preview, result) uploaded more than IMPORT_KEEP_HOURS ago; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=IMPORT_KEEP_HOURS)
    stale = ImportJob.objects.filter(uploaded_at__lt=cutoff)
    count = stale.count()
    ImportLine.objects.filter(job__in=stale).delete()
    stale.delete()
    return count

"""Background work of the organisation import, run by the task worker (`manage.py db_worker`)."""

from django.tasks import task

from . import import_jobs


@task
def check_import(job_id):
    """Check an uploaded file and write its preview (organisation/import_jobs.py)."""
    return import_jobs.check(job_id)


@task
def run_import(job_id):
    """Import a confirmed file in one transaction."""
    return import_jobs.run(job_id)

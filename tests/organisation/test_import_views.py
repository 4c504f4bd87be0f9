"""The organisation import in the browser: upload, background check, preview, confirm, clean-up.

The first test runs the tasks in the real database worker, in-process (`db_worker --batch`, which
closes connections, hence a transactional test); the others use Django's ImmediateBackend, which runs
a task as it is enqueued (`run_worker` is then a no-op kept for readability).
"""

import datetime
import io

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from organisation import import_jobs
from organisation.models import ImportJob, ImportLine, Person
from tests.factories import PersonFactory

from .test_import import GOOD, HEADER


def run_worker():
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO()
        )


@pytest.fixture
def tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


pytestmark = pytest.mark.usefixtures("tasks_now")


def upload(client, text, name="mensen.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(reverse("organisation:import"), {"file": SimpleUploadedFile(name, data)})


def job_page(client, job, **query):
    return client.get(reverse("organisation:import_job", kwargs={"pk": job.pk}), query)


@pytest.mark.django_db(transaction=True)
def test_upload_check_preview_confirm_import(client_for, hr, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(hr)
    before = Person.objects.count()
    response = upload(client, GOOD)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:import_job", kwargs={"pk": job.pk})
    assert job.status == ImportJob.Status.CHECKING
    assert bytes(job.data) == GOOD.encode()
    assert "organisation_import" not in client.session

    # While the worker has not run, the page polls; the htmx answer is the progress fragment.
    page = job_page(client, job)
    assert b'hx-trigger="every 1s"' in page.content
    partial = client.get(reverse("organisation:import_job", kwargs={"pk": job.pk}), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert b"import-progress" in partial.content
    assert b"<html" not in partial.content

    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    assert (job.checked, job.total) == (3, 3)
    assert Person.objects.count() == before
    # Polling now tells htmx to load the whole page again.
    partial = client.get(reverse("organisation:import_job", kwargs={"pk": job.pk}), headers={"HX-Request": "true"})
    assert partial.headers["HX-Refresh"] == "true"
    page = job_page(client, job, show="create")
    assert page.context["page"].paginator.count == 3
    assert "Chris Öztürk" in page.content.decode()

    response = client.post(reverse("organisation:import_confirm", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.IMPORTING
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.count() == before + 3
    # The file and the preview are gone once imported; the totals stay.
    assert bytes(job.data) == b""
    assert not ImportLine.objects.exists()
    assert job.summary["created"] == 3
    assert "3" in job_page(client, job).content.decode()


def test_preview_lists_each_change_old_to_new(client_for, hr):
    PersonFactory(personnel_number="1001", name="Anna Oud", email="anna@voorbeeld.nl", job_title="X", unit=None)
    client = client_for(hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    upload(client, GOOD)
    run_worker()
    job = ImportJob.objects.get()
    page = job_page(client, job, show="update")
    text = page.content.decode()
    assert "Anna Oud → Anna de Boer" in text
    assert "X → Afdelingshoofd" in text


def test_bad_rows_are_all_listed_paginated_and_nothing_is_imported(client_for, hr):
    client = client_for(hr)
    before = Person.objects.count()
    rows = "".join(f"{2000 + i};P{i};geen-email;Org;;;;\r\n" for i in range(250))
    upload(client, GOOD + rows)
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED
    assert bytes(job.data) == b""
    page = job_page(client, job)
    assert page.context["kind"] == ImportLine.Kind.ERROR
    assert page.context["page"].paginator.count == 250
    assert page.context["page"].paginator.num_pages == 3
    assert "confirm" not in page.content.decode()
    last = job_page(client, job, show="error", page=3)
    assert "2249" in last.content.decode()
    assert client.post(reverse("organisation:import_confirm", kwargs={"pk": job.pk})).status_code == 302
    run_worker()
    assert Person.objects.count() == before


def test_unreadable_file_is_refused_with_its_reason(client_for, hr):
    client = client_for(hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    upload(client, HEADER.replace("job_title", "name") + "1;A;a@x.nl;Org;;B;;\r\n")
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED
    assert "more than once" in job_page(client, job).content.decode()


def test_job_page_query_count_does_not_grow(client_for, hr, django_assert_max_num_queries):
    client = client_for(hr)
    upload(client, GOOD + "".join(f"{2000 + i};P{i};p{i}@x.nl;Org/T{i};;;;\r\n" for i in range(400)))
    run_worker()
    job = ImportJob.objects.get()
    with django_assert_max_num_queries(8):
        assert job_page(client, job, show="create", page=2).status_code == 200


def test_another_hr_member_cannot_see_or_confirm_the_job(client, client_for, hr, org):
    upload(client_for(hr), GOOD)
    job = ImportJob.objects.get()
    other = PersonFactory(unit=org["root"])
    other.groups.add(Group.objects.get(name="HR"))
    client.force_login(other)
    assert job_page(client, job).status_code == 404
    assert client.post(reverse("organisation:import_confirm", kwargs={"pk": job.pk})).status_code == 404
    assert client.post(reverse("organisation:import_discard", kwargs={"pk": job.pk})).status_code == 404


def test_discard_removes_the_file(client_for, hr):
    client = client_for(hr)
    upload(client, GOOD)
    run_worker()
    job = ImportJob.objects.get()
    response = client.post(reverse("organisation:import_discard", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    assert not ImportJob.objects.exists()
    assert not ImportLine.objects.exists()


def test_confirm_twice_imports_once(client_for, hr):
    client = client_for(hr)
    upload(client, GOOD)
    run_worker()
    job = ImportJob.objects.get()
    assert import_jobs.confirm(job)
    assert not import_jobs.confirm(job)


def test_file_changed_in_the_portal_meanwhile_is_checked_again(client_for, hr):
    client = client_for(hr)
    upload(client, GOOD)
    run_worker()
    job = ImportJob.objects.get()
    # Between preview and confirm someone takes the username that 1003 would get.
    PersonFactory(username="1003", personnel_number=None, unit=None)
    client.post(reverse("organisation:import_confirm", kwargs={"pk": job.pk}))
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert not Person.objects.filter(personnel_number="1001").exists()


def test_upload_limits(client_for, hr, settings):
    client = client_for(hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = upload(client, GOOD, name="mensen.xlsx")
    assert "Choose a .csv file" in str(response.context["form"].errors)
    settings.MAX_IMPORT_BYTES = 10
    response = upload(client, GOOD)
    assert "larger than" in str(response.context["form"].errors)
    assert not ImportJob.objects.exists()


def test_stale_jobs_are_purged(hr):
    old = ImportJob.objects.create(uploaded_by=hr, file_name="a.csv", data=b"x")
    ImportJob.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - datetime.timedelta(hours=25))
    ImportLine.objects.create(job=old, kind=ImportLine.Kind.CREATE, line=2, text="A")
    fresh = ImportJob.objects.create(uploaded_by=hr, file_name="b.csv", data=b"x")
    assert import_jobs.purge_stale() == 1
    assert list(ImportJob.objects.all()) == [fresh]
    assert not ImportLine.objects.exists()


def test_management_command_imports_and_refuses_bad_files(tmp_path, db):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_employees", str(good), "--dry-run", stdout=io.StringIO())
    assert Person.objects.count() == 0
    call_command("import_employees", str(good), stdout=io.StringIO())
    assert Person.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD.replace("bart@voorbeeld.nl", "bart@"), encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(Exception, match="nothing was imported"):
        call_command("import_employees", str(bad), stdout=io.StringIO(), stderr=errors)
    assert "line 3 (1002)" in errors.getvalue()
    assert Person.objects.get(personnel_number="1002").email == "bart@voorbeeld.nl"
    out = io.StringIO()
    changed = tmp_path / "changed.csv"
    changed.write_text(GOOD.replace("Bart Smit", "Bart Smit-Jansen"), encoding="utf-8")
    call_command("import_employees", str(changed), stdout=out)
    assert "update   1002 Bart Smit-Jansen: name: 'Bart Smit' -> 'Bart Smit-Jansen'" in out.getvalue()

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The access log's hash chain (BIO2 8.15): every entry chained, tampering found, safe under concurrent writes."""

import datetime
import threading
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from organisation import audit_chain
from organisation.audit import Action, log_access, log_access_many, log_access_rows
from organisation.models import AccessLog, AccessLogChain, AccessLogVerification
from tests.factories import PersonFactory, RoundFactory

Problem = AccessLogVerification.Problem


def request_for(user, ip="192.0.2.10"):
    request = RequestFactory().get("/", REMOTE_ADDR=ip)
    request.user = user
    return request


@pytest.fixture
def entries(manager, employee, colleague):
    request = request_for(manager)
    return [log_access(request, Action.VIEWED_REPORT, person) for person in (employee, colleague, employee, colleague)]


def test_entries_are_numbered_and_linked(entries):
    rows = list(AccessLog.objects.order_by("sequence"))
    assert [row.sequence for row in rows] == [1, 2, 3, 4]
    assert rows[0].previous_hash == ""
    assert all(later.previous_hash == earlier.hash for earlier, later in zip(rows, rows[1:], strict=False))
    assert AccessLogChain.objects.get().last_hash == rows[-1].hash
    assert audit_chain.verify().ok


def test_bulk_inserts_are_chained_too(manager, org, employee, colleague):
    from assessments.models import Assessment
    from tests.privacy.conftest import days_ago

    round_ = RoundFactory(
        units=[org["youth"]],
        people=[employee, colleague],
        opens_on=days_ago(5),
        closes_on=days_ago(-5),
        competencies=2,
    )
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    log_access_many(request_for(manager), Action.VIEWED_REPORT, Assessment.objects.filter(round=round_))
    assert list(AccessLog.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2, 3]
    result = audit_chain.verify()
    assert result.ok and result.checked == 3


def test_one_entry_takes_the_chain_and_is_written_in_one_statement_more(manager, employee, colleague):
    """Every save and every page logs one entry: on PostgreSQL the insert and the move of the chain's end are one
    statement (SQLite: an insert and an update), after the one that takes the chain."""
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)  # the chain row exists from here on
    with CaptureQueriesContext(connection) as queries:
        entry = log_access(request_for(manager, ip="2001:0db8::1"), Action.VIEWED_REPORT, colleague, detail="x")
    assert len(queries) == (2 if connection.vendor == "postgresql" else 3), queries.captured_queries
    stored = AccessLog.objects.get(pk=entry.pk)
    assert (stored.sequence, stored.person, stored.ip_address, stored.detail) == (2, colleague, "2001:db8::1", "x")
    assert AccessLogChain.objects.values_list("last_sequence", "last_hash").get() == (2, stored.hash)
    assert audit_chain.verify().ok


def test_a_batch_of_thousands_is_chained_and_reads_back_exactly(manager, employee, colleague):
    """An export logs one entry per person: over BATCH_SIZE entries go in with COPY on PostgreSQL (bulk inserts
    elsewhere), and every value, the address and the time included, reads back as it was hashed."""
    from organisation.audit import log_access_rows

    count = audit_chain.BATCH_SIZE + 5
    people = [(employee.pk, "Ayla"), (colleague.pk, 'Bram\ttab; \\ "quoted"\n')]  # COPY's special characters
    rows = ((number, *people[number % 2]) for number in range(count))
    log_access_rows(request_for(manager, ip="2001:db8::1"), Action.EXPORTED, "assessments.assessment", rows, "x")
    assert AccessLog.objects.count() == count
    result = audit_chain.verify()
    assert result.ok and result.checked == count
    last = AccessLog.objects.get(sequence=count)
    assert (last.object_id, last.person_id, last.person_name) == (str(count - 1), *people[(count - 1) % 2])
    tricky = AccessLog.objects.filter(person=colleague).first()
    assert tricky.person_name == people[1][1]
    assert (last.actor, last.ip_address, last.action) == (manager, "2001:db8::1", Action.EXPORTED)


def test_a_changed_entry_is_found(entries):
    AccessLog.objects.filter(sequence=3).update(detail="rewritten")
    result = audit_chain.verify()
    assert (result.ok, result.broken_sequence, result.problem) == (False, 3, Problem.CHANGED)


def test_a_changed_person_id_is_found(entries, hr):
    """Moving an entry to someone else would hide it from "who looked at my data"."""
    AccessLog.objects.filter(sequence=2).update(person=hr)
    assert audit_chain.verify().broken_sequence == 2


def test_a_removed_entry_is_found(entries):
    AccessLog.objects.filter(sequence=2).delete()
    result = audit_chain.verify()
    assert (result.broken_sequence, result.problem) == (2, Problem.MISSING)


def test_removed_last_entries_are_found(entries):
    AccessLog.objects.filter(sequence__gte=3).delete()
    result = audit_chain.verify()
    assert (result.broken_sequence, result.problem) == (3, Problem.END_MISSING)


def test_a_rehashed_entry_still_breaks_the_link(entries):
    """Rewriting an entry and its own hash leaves the next entry pointing at the old hash."""
    entry = AccessLog.objects.get(sequence=2)
    entry.detail = "rewritten"
    entry.hash = audit_chain.entry_hash([getattr(entry, name) for name in audit_chain.HASHED_FIELDS])
    AccessLog.objects.filter(pk=entry.pk).update(detail=entry.detail, hash=entry.hash)
    result = audit_chain.verify()
    assert (result.broken_sequence, result.problem) == (3, Problem.BROKEN_LINK)


def test_command_reports_the_first_broken_link_and_records_it(entries):
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert "intact: 4 entries checked" in out.getvalue()
    AccessLog.objects.filter(sequence=2).update(detail="rewritten")
    with pytest.raises(CommandError, match="broken at entry number 2"):
        call_command("verify_access_log", stdout=StringIO())
    assert list(AccessLogVerification.objects.values_list("ok", "broken_sequence")) == [(False, 2), (True, None)]


def test_ip_addresses_are_hashed_in_one_spelling(manager, employee):
    """PostgreSQL's inet type gives back '2001:db8::1' for '2001:0db8::0001': the hash must not mind."""
    entry = log_access(request_for(manager, ip="2001:0db8:0000::0001"), Action.VIEWED_REPORT, employee)
    assert AccessLog.objects.get(pk=entry.pk).ip_address == "2001:db8::1"
    assert audit_chain.verify().ok


def old_entry(actor, person, days):
    entry = AccessLog(
        at=timezone.now() - datetime.timedelta(days=days),
        actor=actor,
        actor_name=actor.name,
        action=Action.VIEWED_REPORT,
        object_type="organisation.person",
        object_id=str(person.pk),
        person=person,
        person_name=person.name,
    )
    return audit_chain.append([entry])[0]


def test_purge_keeps_the_rest_of_the_chain_verifiable(manager, employee, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 730
    for days in (900, 800, 731, 10):
        old_entry(manager, employee, days)
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    from privacy.retention import purge_access_records

    assert purge_access_records(dry_run=True).access_log == 3
    assert AccessLog.objects.count() == 5
    assert purge_access_records().access_log == 3
    assert list(AccessLog.objects.order_by("sequence").values_list("sequence", flat=True)) == [4, 5]
    result = audit_chain.verify()
    assert result.ok and result.checked == 2
    # Removing the first remaining entry after the purge is still noticed.
    AccessLog.objects.filter(sequence=4).delete()
    assert audit_chain.verify().broken_sequence == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_form_one_chain(org):
    """Requests that log at the same moment form one chain: whoever holds the chain row numbers its entries
    (and those left pending by writers that found it taken); what is left is numbered by `seal`."""
    people = [PersonFactory(unit=org["youth"]) for _ in range(4)]
    errors = []
    start = threading.Barrier(len(people))

    def write(person):
        try:
            start.wait()
            for _ in range(10):
                log_access(request_for(person), Action.VIEWED_REPORT, people[0])
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AccessLog.objects.count() == 40
    pending = AccessLog.objects.filter(sequence=None).count()
    assert audit_chain.seal() == pending
    assert list(AccessLog.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, 41))
    assert audit_chain.verify().ok


def test_a_writer_that_finds_the_chain_taken_writes_pending_and_the_next_one_numbers_it(
    manager, employee, colleague, monkeypatch
):
    """No request waits for another's turn at the chain: its entries are written at once, without a number, and
    the next writer numbers them first, oldest first; `seal` numbers what is still pending (the nightly check)."""
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    taken = audit_chain._locked_chain
    monkeypatch.setattr(audit_chain, "_locked_chain", lambda wait=True: None if not wait else taken())
    log_access(request_for(manager), Action.VIEWED_REPORT, colleague)
    rows = [(employee.pk, employee.pk, employee.name), (colleague.pk, colleague.pk, colleague.name)]
    log_access_rows(request_for(manager), Action.VIEWED_REPORT, "organisation.person", rows)
    pending = list(AccessLog.objects.filter(sequence=None).order_by("pk"))
    assert [(e.person_id, e.hash, e.previous_hash) for e in pending] == [
        (colleague.pk, "", ""),
        (employee.pk, "", ""),
        (colleague.pk, "", ""),
    ]
    # Pending entries are in the log at once: "who looked at my data" shows them.
    assert AccessLog.objects.filter(person=colleague).count() == 2
    assert audit_chain.verify().ok and audit_chain.verify().checked == 1
    monkeypatch.setattr(audit_chain, "_locked_chain", taken)
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    rows = list(AccessLog.objects.order_by("sequence").values_list("sequence", "person_id"))
    # The pending three first, in the order they were written, then the new one.
    assert rows == [(1, employee.pk), (2, colleague.pk), (3, employee.pk), (4, colleague.pk), (5, employee.pk)]
    assert audit_chain.verify().ok and audit_chain.verify().checked == 5
    monkeypatch.setattr(audit_chain, "_locked_chain", lambda wait=True: None if not wait else taken())
    log_access(request_for(manager), Action.VIEWED_REPORT, colleague)
    monkeypatch.setattr(audit_chain, "_locked_chain", taken)
    assert audit_chain.verify_and_record().checked == 6  # the nightly check numbers it first
    assert not AccessLog.objects.filter(sequence=None).exists()


def test_a_large_batch_waits_for_the_chain_instead_of_going_pending(manager, employee, monkeypatch):
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)  # the chain row exists from here on
    asked = []
    taken = audit_chain._locked_chain
    monkeypatch.setattr(audit_chain, "_locked_chain", lambda wait=True: asked.append(wait) or taken(wait))
    rows = [(employee.pk, employee.pk, employee.name)] * (audit_chain.BATCH_SIZE + 1)
    log_access_rows(request_for(manager), Action.EXPORTED, "organisation.person", rows)
    log_access(request_for(manager), Action.VIEWED_REPORT, employee)
    assert asked == [True, False]
    assert not AccessLog.objects.filter(sequence=None).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_entries_written_before_the_chain(org):
    """Existing entries get numbers and hashes, oldest first, and verify as one chain."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    # Going back unapplies the migrations of other apps that depend on later organisation migrations
    # (reports, learning); going forward must bring back every app, or later tests find tables missing.
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("organisation", "0002_accesslog")])
    executor.loader.build_graph()
    old_log = executor.loader.project_state([("organisation", "0002_accesslog")]).apps.get_model(
        "organisation", "AccessLog"
    )
    person = PersonFactory(unit=org["youth"])
    for number in range(3):
        old_log.objects.create(
            actor_id=person.pk,
            actor_name=person.name,
            action="viewed_report",
            object_type="organisation.person",
            object_id=str(person.pk),
            person_name=f"Iemand {number}",
            ip_address="192.0.2.1",
        )
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    assert MigrationExecutor(connection).migration_plan(leaves) == []
    assert list(AccessLog.objects.order_by("pk").values_list("sequence", flat=True)) == [1, 2, 3]
    result = audit_chain.verify()
    assert result.ok and result.checked == 3
    # New entries continue the same chain.
    log_access(request_for(person), Action.VIEWED_REPORT, person)
    assert audit_chain.verify().checked == 4

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Tamper evidence for the access log: a hash chain, its check, and purging without breaking it.

Every entry gets the next number in the chain and a SHA-256 hash over its content and the
hash of the entry before it. Changing, removing or inserting an entry breaks the chain from
there on; `verify` walks it and names the first broken link. The end of the chain is the one
`AccessLogChain` row; whoever holds it (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
IMMEDIATE transaction already holds the database's write lock) numbers entries, so entries
written at the same moment by different requests still form one chain.

A request never waits for another request's turn at the chain: every request that logs (a
save, a dashboard, an export) would otherwise queue behind the one holding it, and under load
that holder is often a thread waiting for the processor. A small batch whose writer finds the
chain taken is written *pending* (no number, no hash yet; SKIP LOCKED) and the next writer
that holds the chain numbers it first, oldest first (`_chain_pending`). Large batches (an
export's people) wait for the chain, so they are numbered as they are written. `seal` numbers
whatever is still pending; the nightly check (`verify_and_record`) and the purge call it first.
A pending entry is in the log at once (the audit page and "who looked at my data" show it);
it is covered by the chain from the next write on, normally within milliseconds.

The hash is not a signature: someone who can write to the database can recompute the whole
chain. The nightly check therefore also writes the chain's last hash to the application log,
which is kept outside the database (docs/security.md).

HASHED_FIELDS and `entry_hash` are fixed for good: entries written years ago are checked with
them. A change needs a new HASH_VERSION and both formulas side by side.
"""

import datetime
import hashlib
import json
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache

from django.db import connection, transaction

from vakmanschap.lib.client_ip import normalise
from vakmanschap.lib.copy_rows import copy_rows

from .models import AccessLog, AccessLogChain, AccessLogVerification

HASH_VERSION = "v1"
HASHED_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "result",
    "object_type",
    "object_id",
    "person_id",
    "person_name",
    "ip_address",
    "detail",
    "previous_hash",
)
CHAIN_PK = 1
BATCH_SIZE = 1000
Problem = AccessLogVerification.Problem
# Every column but the primary key, as COPY writes them.
_COPIED = [field for field in AccessLog._meta.concrete_fields if not field.primary_key]
_CHAIN_FIELDS = ("id", "last_sequence", "last_hash", "anchor_sequence", "anchor_hash")


def entry_hash(values):
    """The hash of one entry from its values in HASHED_FIELDS order."""
    parts = [HASH_VERSION]
    for name, value in zip(HASHED_FIELDS, values, strict=True):
        if name == "at":
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        elif name == "ip_address":
            value = normalise(value) if value else None
        parts.append(value)
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _values(entry):
    return [getattr(entry, name) for name in HASHED_FIELDS]


def _locked_chain(wait=True):
    """The chain row, locked until the transaction ends; made (from the last entry) if it is missing.

    With `wait=False`, None when another transaction holds it (PostgreSQL; SQLite never gets here
    without its write lock). It carries `has_pending`: whether entries wait for a number.

    Every logged request asks this, so it is plain SQL: building the query with the ORM cost more
    processor time than the database took to answer it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_chain_sql(wait), [CHAIN_PK])
        row = cursor.fetchone()
    if row is not None:
        *values, has_pending = row
        chain = AccessLogChain(**dict(zip(_CHAIN_FIELDS, values, strict=True)))
        chain.has_pending = has_pending
        return chain
    if AccessLogChain.objects.filter(pk=CHAIN_PK).exists():
        return None  # taken: the row exists but is locked
    numbered = AccessLog.objects.filter(sequence__isnull=False)
    last = numbered.order_by("-sequence").values_list("sequence", "hash").first() or (0, "")
    AccessLogChain.objects.get_or_create(pk=CHAIN_PK, defaults={"last_sequence": last[0], "last_hash": last[1]})
    return _locked_chain()


@cache  # per process: one database, whose features are known once it is connected
def _chain_sql(wait):
    quote = connection.ops.quote_name
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR UPDATE" if wait else " FOR UPDATE SKIP LOCKED"
    columns = ", ".join(quote(AccessLogChain._meta.get_field(name).column) for name in _CHAIN_FIELDS)
    log, sequence = quote(AccessLog._meta.db_table), quote(AccessLog._meta.get_field("sequence").column)
    pending = f"EXISTS (SELECT 1 FROM {log} WHERE {sequence} IS NULL)"  # noqa: S608 - names only
    chain = quote(AccessLogChain._meta.db_table)
    return f"SELECT {columns}, {pending} FROM {chain} WHERE {quote('id')} = %s{lock}"  # noqa: S608


def _number(entries, chain):
    """Give `entries` the next numbers and hashes after `chain`'s end, in order; moves the end (not saved)."""
    previous, sequence = chain.last_hash, chain.last_sequence
    for entry in entries:
        sequence += 1
        entry.sequence, entry.previous_hash = sequence, previous
        entry.hash = previous = entry_hash(_values(entry))
    chain.last_sequence, chain.last_hash = sequence, previous


def _chain_pending(chain, limit=BATCH_SIZE):
    """Number up to `limit` pending entries, oldest first, while holding `chain`; returns how many."""
    if not chain.has_pending:
        return 0
    pending = list(AccessLog.objects.filter(sequence__isnull=True).order_by("pk")[:limit])
    if pending:
        _number(pending, chain)
        AccessLog.objects.bulk_update(pending, ["sequence", "previous_hash", "hash"], batch_size=BATCH_SIZE)
    return len(pending)


def append(entries):
    """Chain and insert unsaved AccessLog entries, in order; returns them. A few queries however many.

    When another writer holds the chain, a batch of up to BATCH_SIZE entries is inserted pending
    instead of waiting (see the module's docstring).
    """
    entries = list(entries)
    if not entries:
        return entries
    for entry in entries:
        entry.ip_address = normalise(entry.ip_address) if entry.ip_address else None
    # No savepoint: the statements succeed or fail together with the caller's transaction.
    with transaction.atomic(savepoint=False):
        chain = _locked_chain(wait=len(entries) > BATCH_SIZE)
        if chain is None:  # pending: new entries have no number and empty hashes until the next writer
            AccessLog.objects.bulk_create(entries, batch_size=BATCH_SIZE)
            return entries
        _chain_pending(chain)
        _number(entries, chain)
        if connection.vendor == "postgresql" and len(entries) == 1:
            _insert_one(entries[0], chain)  # the usual case (a save, a page): one statement, one round trip
            return entries
        if connection.vendor == "postgresql" and len(entries) > BATCH_SIZE:
            names = [field.attname for field in _COPIED]
            _copy([getattr(entry, name) for name in names] for entry in entries)
        else:
            AccessLog.objects.bulk_create(entries, batch_size=BATCH_SIZE)
        _move_end(chain)
    return entries


def _insert_one(entry, chain):
    """PostgreSQL: insert one numbered entry and move the chain's end in one statement (a writable CTE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_one_sql(),
            [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in _COPIED]
            + [chain.last_sequence, chain.last_hash, CHAIN_PK],
        )
        entry.pk = cursor.fetchone()[0]


@cache
def _insert_one_sql():
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _COPIED)
    values = ", ".join(["%s"] * len(_COPIED))
    chain, pk = AccessLogChain._meta, quote("id")
    moved = ", ".join(f"{quote(chain.get_field(name).column)} = %s" for name in ("last_sequence", "last_hash"))
    return (
        f"WITH entry AS (INSERT INTO {quote(AccessLog._meta.db_table)} ({columns}) VALUES ({values}) "  # noqa: S608
        f"RETURNING {pk}) "
        f"UPDATE {quote(chain.db_table)} SET {moved} WHERE {pk} = %s RETURNING (SELECT {pk} FROM entry)"
    )


def append_rows(shared, rows):
    """Chain and insert entries given as values: `shared`, a dict of what every entry has (at, actor_id,
    actor_name, action, result, object_type, ip_address, detail), and `rows` of (object id, person id, person
    name). Returns how many were written.

    An export names thousands of people: on PostgreSQL a batch over BATCH_SIZE is hashed and copied from plain
    values, without a model instance per person (making those was most of an export's processor time).
    Smaller batches, and other databases, go through `append`.
    """
    rows = [(str(object_id)[:64], person_id, person_name or "") for object_id, person_id, person_name in rows]
    if len(rows) <= BATCH_SIZE or connection.vendor != "postgresql":
        fields = ("object_id", "person_id", "person_name")
        return len(append(AccessLog(**shared, **dict(zip(fields, row, strict=True))) for row in rows))
    common = dict(shared, ip_address=normalise(shared["ip_address"]) if shared["ip_address"] else None)
    names = [field.attname for field in _COPIED]
    copied = []
    with transaction.atomic(savepoint=False):
        chain = _locked_chain()
        _chain_pending(chain)
        for object_id, person_id, person_name in rows:
            entry = dict(common, object_id=object_id, person_id=person_id, person_name=person_name)
            entry.update(sequence=chain.last_sequence + 1, previous_hash=chain.last_hash)
            entry["hash"] = entry_hash([entry[name] for name in HASHED_FIELDS])
            chain.last_sequence, chain.last_hash = entry["sequence"], entry["hash"]
            copied.append([entry[name] for name in names])
        _copy(copied)
        _move_end(chain)
    return len(rows)


def seal():
    """Number every pending entry (waiting for the chain); returns how many were pending."""
    total = 0
    while True:
        with transaction.atomic():
            chain = _locked_chain()
            done = _chain_pending(chain)
            if done:
                _move_end(chain)
        total += done
        if done < BATCH_SIZE:
            return total


def _copy(rows):
    """Insert many entries, given as values in `_COPIED` order, with PostgreSQL's COPY: an export logs one per
    person (25,000 in a second or less). They get no primary key back (the chain number identifies an entry)."""
    copy_rows(AccessLog._meta.db_table, [field.column for field in _COPIED], rows)


def _move_end(chain):
    """Store the chain's end as `_number` (or a batch written from values) left it."""
    AccessLogChain.objects.filter(pk=CHAIN_PK).update(last_sequence=chain.last_sequence, last_hash=chain.last_hash)


@dataclass(frozen=True, slots=True)
class Verification:
    """What a check of the chain found: the first broken entry (its number) and why, or nothing."""

    checked: int
    last_sequence: int
    last_hash: str
    broken_sequence: int | None = None
    problem: str = ""

    @property
    def ok(self):
        return self.broken_sequence is None

    def describe(self):
        if self.ok:
            return f"Access log intact: {self.checked} entries checked, up to number {self.last_sequence}."
        return f"Access log broken at entry number {self.broken_sequence}: {Problem(self.problem).label}."


def verify():
    """Walk the chain from its start (after the last purge) to its recorded end; stop at the first broken link."""
    chain = AccessLogChain.objects.filter(pk=CHAIN_PK).first() or AccessLogChain()
    expected_sequence, previous = chain.anchor_sequence + 1, chain.anchor_hash
    checked = 0
    entries = (
        AccessLog.objects.filter(sequence__gt=chain.anchor_sequence, sequence__lte=chain.last_sequence)
        .order_by("sequence")
        .values_list(*HASHED_FIELDS, "hash")
    )
    # On PostgreSQL a server-side cursor needs a transaction to stream rather than materialise; on
    # SQLite a transaction would take the write lock (IMMEDIATE) for the whole walk.
    with transaction.atomic() if connection.vendor == "postgresql" else nullcontext():
        for *values, stored_hash in entries.iterator(chunk_size=BATCH_SIZE):
            sequence, previous_hash = values[0], values[-1]
            problem = None
            if sequence != expected_sequence:
                problem, sequence = Problem.MISSING, expected_sequence
            elif previous_hash != previous:
                problem = Problem.BROKEN_LINK
            elif entry_hash(values) != stored_hash:
                problem = Problem.CHANGED
            if problem:
                return Verification(checked, sequence - 1, previous, sequence, problem)
            checked += 1
            expected_sequence, previous = sequence + 1, stored_hash
    if expected_sequence - 1 != chain.last_sequence or previous != chain.last_hash:
        return Verification(checked, expected_sequence - 1, previous, expected_sequence, Problem.END_MISSING)
    return Verification(checked, chain.last_sequence, previous)


def verify_and_record():
    """Number what is pending, check the chain and keep the outcome (the access log page shows the latest)."""
    seal()
    result = verify()
    AccessLogVerification.objects.create(
        ok=result.ok,
        checked=result.checked,
        last_sequence=result.last_sequence,
        last_hash=result.last_hash,
        broken_sequence=result.broken_sequence,
        problem=result.problem,
    )
    return result


def last_verification():
    return AccessLogVerification.objects.order_by("-at", "-pk").first()


def purge_before(moment, dry_run=False):
    """Delete the entries written before `moment`; the chain then starts after the last one deleted.

    Deletes by chain number, so the remaining entries stay one unbroken chain. Returns the number deleted.
    """
    if not dry_run:
        seal()
    with transaction.atomic():
        chain = _locked_chain()
        last = (
            AccessLog.objects.filter(at__lt=moment, sequence__gt=chain.anchor_sequence)
            .order_by("-sequence")
            .values_list("sequence", "hash")
            .first()
        )
        if last is None:
            return 0
        doomed = AccessLog.objects.filter(sequence__lte=last[0])
        if dry_run:
            return doomed.count()
        # QuerySet.delete, not AccessLog.delete (which refuses): retention is the one way entries go.
        deleted, _ = doomed.delete()
        AccessLogChain.objects.filter(pk=CHAIN_PK).update(anchor_sequence=last[0], anchor_hash=last[1])
    return deleted

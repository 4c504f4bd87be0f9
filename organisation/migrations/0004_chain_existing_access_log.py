# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.db import migrations

from organisation.audit_chain import CHAIN_PK, HASHED_FIELDS, entry_hash


def chain_existing_entries(apps, schema_editor):
    """Number and hash the entries written before the chain existed, oldest first, and start the chain row."""
    AccessLog = apps.get_model("organisation", "AccessLog")
    AccessLogChain = apps.get_model("organisation", "AccessLogChain")
    previous, sequence, last_pk = "", 0, 0
    while batch := list(AccessLog.objects.filter(pk__gt=last_pk).order_by("pk")[:1000]):
        for entry in batch:
            sequence += 1
            entry.sequence, entry.previous_hash = sequence, previous
            entry.hash = previous = entry_hash([getattr(entry, name) for name in HASHED_FIELDS])
        AccessLog.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])
        last_pk = batch[-1].pk
    AccessLogChain.objects.update_or_create(pk=CHAIN_PK, defaults={"last_sequence": sequence, "last_hash": previous})


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_accesslog_result_and_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]

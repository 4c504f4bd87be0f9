# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.retention import cutoff, purge_access_records, purge_expired


class Command(BaseCommand):
    help = (
        "Delete self-assessments of rounds that closed more than ASSESSMENT_RETENTION_DAYS ago, and access log "
        "entries and login records older than ACCESS_LOG_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be deleted.")

    def handle(self, *args, dry_run=False, **options):
        found = purge_expired(dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        for item in found:
            self.stdout.write(
                f"{item.round} (closed {item.closed_on:%Y-%m-%d}): "
                f"{item.assessments} self-assessments, {item.ratings} ratings {verb}"
            )
        total = sum(item.assessments for item in found)
        self.stdout.write(
            f"{total} self-assessments {verb}; retention {settings.ASSESSMENT_RETENTION_DAYS} days, "
            f"rounds closed before {cutoff():%Y-%m-%d}."
        )
        logs = purge_access_records(dry_run=dry_run)
        self.stdout.write(
            f"{logs.access_log} access log entries and {logs.login_records} login records {verb}; retention "
            f"{settings.ACCESS_LOG_RETENTION_DAYS} days, written before {logs.before:%Y-%m-%d %H:%M}."
        )

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.core.management.base import BaseCommand, CommandError

from organisation.audit_chain import verify_and_record


class Command(BaseCommand):
    help = "Check the access log's hash chain, report the first broken link and record the outcome."

    def handle(self, *args, **options):
        result = verify_and_record()
        if not result.ok:
            raise CommandError(result.describe())
        self.stdout.write(result.describe() + f" Last hash: {result.last_hash or '-'}.")

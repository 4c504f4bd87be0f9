# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Bulk inserts of plain rows, far faster than making model instances for bulk_create."""

from django.db import connection


def copy_rows(table, columns, rows):
    """Insert `rows` (sequences of values in `columns` order) into `table`.

    PostgreSQL: COPY ... FROM STDIN (psycopg 3). Elsewhere: one prepared INSERT run for every row, so the
    values must be ones the driver takes as they are (adapt datetimes first on SQLite).
    """
    quoted_table = connection.ops.quote_name(table)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted_table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quoted_table} ({quoted}) VALUES ({placeholders})",  # noqa: S608 - names only
                list(rows),
            )

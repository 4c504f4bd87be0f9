# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Access log entries get a result (allowed/refused) and the fields of the hash chain.

    The ids of people stay in the log when they are removed (no database constraint), as they are hashed.
    """

    dependencies = [
        ("organisation", "0002_accesslog"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="result",
            field=models.CharField(
                choices=[("allowed", "allowed"), ("refused", "refused")],
                default="allowed",
                max_length=16,
                verbose_name="result",
            ),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True, verbose_name="number in the chain"),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="previous_hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash of the previous entry"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesslog",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("viewed_report", "viewed a personal report"),
                    ("viewed_chart", "viewed a chart of a personal report"),
                    ("viewed_assessment", "viewed a self-assessment"),
                    ("changed_rating", "changed a rating"),
                    ("downloaded_own_data", "downloaded their own data"),
                    ("exported", "exported personal data"),
                    ("changed_roles", "changed roles"),
                    ("opened", "opened a page or object"),
                    ("logged_in", "logged in"),
                    ("refusals_not_logged", "more refused attempts, not logged one by one"),
                ],
                max_length=32,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="whose data",
            ),
        ),
        migrations.CreateModel(
            name="AccessLogChain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_sequence", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(default="", max_length=64)),
                ("anchor_sequence", models.PositiveBigIntegerField(default=0)),
                ("anchor_hash", models.CharField(default="", max_length=64)),
            ],
            options={"verbose_name": "access log chain", "default_permissions": ()},
        ),
        migrations.CreateModel(
            name="AccessLogVerification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="checked at"),
                ),
                ("ok", models.BooleanField(verbose_name="chain intact")),
                ("checked", models.PositiveBigIntegerField(verbose_name="entries checked")),
                ("last_sequence", models.PositiveBigIntegerField(verbose_name="last entry checked")),
                ("last_hash", models.CharField(blank=True, max_length=64, verbose_name="hash of the last entry")),
                (
                    "broken_sequence",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="first broken entry"),
                ),
                (
                    "problem",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("missing", "an entry is missing"),
                            ("changed", "an entry was changed after it was written"),
                            ("broken_link", "an entry does not follow on from the one before it"),
                            ("end_missing", "the last entries are missing"),
                        ],
                        max_length=16,
                        verbose_name="problem",
                    ),
                ),
            ],
            options={
                "verbose_name": "access log check",
                "verbose_name_plural": "access log checks",
                "ordering": ["-at", "-pk"],
                "default_permissions": ("view",),
            },
        ),
    ]

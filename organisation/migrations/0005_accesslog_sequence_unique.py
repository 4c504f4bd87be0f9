# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0004_chain_existing_access_log"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="number in the chain"),
        ),
    ]

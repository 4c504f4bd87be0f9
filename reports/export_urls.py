# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import path

from . import export_views
from .exports import PEOPLE, RATINGS, UNITS

app_name = "exports"
urlpatterns = [
    path("", export_views.index, name="index"),
    path("ratings.csv", export_views.download, {"kind": RATINGS}, name="ratings"),
    path("people.csv", export_views.download, {"kind": PEOPLE}, name="people"),
    path("units.csv", export_views.download, {"kind": UNITS}, name="units"),
]

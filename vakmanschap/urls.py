# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib import admin
from django.urls import include, path

from organisation import oidc

from . import session_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("session/keep-alive/", session_views.keep_alive, name="keep_alive"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Single sign-on (404 unless OIDC_RP_CLIENT_ID is set); the names are the ones mozilla-django-oidc expects.
    path("oidc/authenticate/", oidc.login_start, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.login_callback, name="oidc_authentication_callback"),
    path("admin/", admin.site.urls),
    path("", include("organisation.urls")),
    path("", include("competencies.urls")),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("exports/", include("reports.export_urls")),
    path("ims/case/v1p1/", include("competencies.api_urls")),
]

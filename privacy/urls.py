from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("hr/audit/", views.audit_log, name="audit_log"),
]

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from organisation.models import AccessLog

from .access import audit_reader_required
from .forms import AuditFilterForm

AUDIT_PAGE_SIZE = 50


@audit_reader_required
def audit_log(request):
    """The access log, newest first, filtered by whose data, who, and period."""
    form = AuditFilterForm(request.GET or None)
    entries = AccessLog.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if person := data["person"].strip():
            entries = entries.filter(Q(person_name__icontains=person) | Q(person__personnel_number__iexact=person))
        if actor := data["actor"].strip():
            entries = entries.filter(actor_name__icontains=actor)
        entries = entries.between(data["start"], data["end"])
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/audit_log.html", {"form": form, "page": page})

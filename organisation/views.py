# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import base64

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .access import hr_required
from .forms import ConfirmImportForm, ImportForm, fingerprint
from .imports import ImportFileError, apply_import, plan_import

SESSION_KEY = "organisation_import"


@hr_required
def import_people(request):
    """Upload a CSV; show every error, or a preview of what will change."""
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        try:
            plan = plan_import(data)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if plan.ok:
                request.session[SESSION_KEY] = base64.b64encode(data).decode()
    confirm = ConfirmImportForm(initial={"fingerprint": fingerprint(data)}) if plan and plan.ok else None
    return render(request, "organisation/import.html", {"form": form, "plan": plan, "confirm": confirm})


@hr_required
def import_confirm(request):
    """Apply the previewed file, checked again in case the organisation changed meanwhile."""
    form = ConfirmImportForm(request.POST or None)
    stored = request.session.get(SESSION_KEY)
    data = base64.b64decode(stored) if stored else None
    if request.method != "POST" or not form.is_valid() or data is None:
        messages.error(request, _("There is no file waiting to be imported. Choose the file again."))
        return redirect("organisation:import")
    if fingerprint(data) != form.cleaned_data["fingerprint"]:
        messages.error(request, _("The file changed since the preview. Choose the file again."))
        return redirect("organisation:import")
    plan = plan_import(data)
    if not plan.ok:
        return render(request, "organisation/import.html", {"form": ImportForm(), "plan": plan})
    result = apply_import(plan)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("Import done: %(created)s added, %(updated)s changed, %(unchanged)s unchanged, %(units_created)s new units.")
        % result,
    )
    return redirect("organisation:import")

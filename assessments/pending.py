# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Answers that arrive after the session has ended are kept, not thrown away, for their owner only.

When the idle timeout logs someone out, their next autosave arrives anonymously.
We keep that (validated) answer in the new anonymous session. Django keeps session
data when someone logs in (it only changes the session key), so right after login
(`user_logged_in`) the answers are stored for the person, if the assessment is
theirs and still open, with the usual version check. The form page runs the same
step again, in case the login came in some other way.

Anyone can send an anonymous autosave, so a kept answer must prove whose it is: the form
carries a signed token (person, assessment, issued-at) made while its owner was logged in
(`owner_token`). An answer is kept only with a valid token for its assessment, and stored
only when the person who logs in is the one named in it. Anything else is dropped, and
the person is told.
"""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisation.audit import Action, log_access

from .answers import AnswerError, round_competency, save_answer
from .models import Assessment

SESSION_KEY = "assessments_pending_answers"
MAX_PENDING = 200  # bounds what an anonymous client can put in a session
TOKEN_SALT = "assessments.pending.owner"  # noqa: S105 (a signing salt, not a password)


def owner_token(person, assessment):
    """A signed token naming `person` and `assessment`, put in the form while the person is logged in."""
    return signing.dumps({"person": person.pk, "assessment": assessment.pk}, salt=TOKEN_SALT)


def token_owner(token, assessment_id):
    """The id of the person the token was made for, if it is genuine, for this assessment and not too old.

    A form page lives no longer than the session it was made in (SESSION_MAX_AGE_HOURS), so an older token is refused.
    """
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or data.get("assessment") != assessment_id:
        return None
    return data.get("person")


def keep(session, assessment_id, competency_id, answer, base_version, token):
    """Remember an answer given without a valid session; returns False when the token is bad or the store full."""
    owner = token_owner(token, assessment_id)
    if owner is None:
        return False
    pending = session.get(SESSION_KEY, {})
    key = f"{assessment_id}:{competency_id}"
    if key not in pending and len(pending) >= MAX_PENDING:
        return False
    pending[key] = {"answer": answer, "version": base_version, "person": owner}
    session[SESSION_KEY] = pending
    return True


def has_pending(session):
    return bool(session.get(SESSION_KEY))


def apply(request):
    """Store the kept answers for the logged-in person; tell them what happened. Returns the number stored."""
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or not request.user.is_authenticated:
        return 0
    stored, dropped, problems = 0, 0, []
    assessments = Assessment.objects.filter(
        pk__in={int(key.split(":")[0]) for key in pending}, person=request.user
    ).select_related("round")
    assessments = {assessment.pk: assessment for assessment in assessments}
    for key, value in pending.items():
        assessment_id, competency_id = (int(part) for part in key.split(":"))
        assessment = assessments.get(assessment_id)
        if assessment is None or value.get("person") != request.user.pk:
            dropped += 1  # not given in this person's name: someone else used this browser before
            continue
        competency = round_competency(assessment, competency_id)
        if competency is None:
            continue
        try:
            save_answer(assessment, competency, value["answer"], value["version"])
        except AnswerError as exc:
            problems.append(f"{competency.name}: {exc.message}")
        else:
            stored += 1
            log_access(request, Action.CHANGED_RATING, assessment, detail=competency.code)
    if stored:
        messages.success(
            request,
            ngettext(
                "We saved the answer you gave just before you were logged out.",
                "We saved the %(count)s answers you gave just before you were logged out.",
                stored,
            )
            % {"count": stored},
            fail_silently=True,
        )
    if dropped:
        messages.warning(
            request,
            ngettext(
                "An answer given on this browser while nobody was logged in was not saved: it was not given by you.",
                "%(count)s answers given on this browser while nobody was logged in were not saved: "
                "they were not given by you.",
                dropped,
            )
            % {"count": dropped},
            fail_silently=True,
        )
    for problem in problems:
        messages.warning(
            request,
            _("An answer you gave while logged out was not saved. %(problem)s") % {"problem": problem},
            fail_silently=True,
        )
    return stored


def apply_on_login(sender, request, user, **kwargs):
    """`user_logged_in` receiver."""
    if request is not None and hasattr(request, "session"):
        apply(request)

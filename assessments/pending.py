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

from dataclasses import dataclass

from django.contrib import messages
from django.utils.translation import gettext_lazy, ngettext_lazy

from organisation.audit import Action, log_access
from vakmanschap.lib.pending import OwnerToken, PendingStore

from .answers import AnswerError, round_competency, save_answer
from .models import Assessment

SESSION_KEY = "assessments_pending_answers"
MAX_PENDING = 200  # bounds what an anonymous client can put in a session
TOKEN_SALT = "assessments.pending.owner"  # noqa: S105 (a signing salt, not a password)


STORE = PendingStore(SESSION_KEY, MAX_PENDING)
TOKENS = OwnerToken(TOKEN_SALT, "assessment")


def owner_token(person, assessment):
    """A signed token naming `person` and `assessment`, put in the form while the person is logged in."""
    return TOKENS.make(person, assessment.pk)


def token_owner(token, assessment_id):
    """The id of the person the token was made for, if it is genuine, for this assessment and not too old."""
    return TOKENS.owner(token, assessment_id)


def keep(session, assessment_id, competency_id, answer, base_version, token):
    """Remember an answer given without a valid session; returns False when the token is bad or the store full."""
    owner = token_owner(token, assessment_id)
    if owner is None:
        return False
    value = {"answer": answer, "version": base_version, "person": owner}
    return STORE.keep(session, f"{assessment_id}:{competency_id}", value)


def has_pending(session):
    return STORE.has(session)


@dataclass(frozen=True, slots=True)
class KeptMessages:
    """What a person is told after login about changes kept while logged out (lazy texts with %(count)s)."""

    stored: object  # ngettext_lazy(..., "count")
    dropped: object  # ngettext_lazy(..., "count")
    problem: object  # gettext_lazy with %(problem)s


ANSWER_MESSAGES = KeptMessages(
    stored=ngettext_lazy(
        "We saved the answer you gave just before you were logged out.",
        "We saved the %(count)s answers you gave just before you were logged out.",
        "count",
    ),
    dropped=ngettext_lazy(
        "An answer given on this browser while nobody was logged in was not saved: it was not given by you.",
        "%(count)s answers given on this browser while nobody was logged in were not saved: "
        "they were not given by you.",
        "count",
    ),
    problem=gettext_lazy("An answer you gave while logged out was not saved. %(problem)s"),
)


def apply_kept(request, kept, save, texts):
    """Store kept changes for the logged-in person and tell them what happened; returns the number stored.

    The tail shared by every kind of kept change (answers here, plan changes in learning/pending.py):
    `kept` is [(target, value)], with target None when the change was not made in this person's name
    (someone else used this browser before: dropped, and said so); `save(target, value)` stores one and
    returns None, or a sentence saying why it could not (stale, closed).
    """
    stored, dropped, problems = 0, 0, []
    for target, value in kept:
        if target is None:
            dropped += 1
            continue
        problem = save(target, value)
        if problem is None:
            stored += 1
        else:
            problems.append(problem)
    if stored:
        messages.success(request, texts.stored % {"count": stored}, fail_silently=True)
    if dropped:
        messages.warning(request, texts.dropped % {"count": dropped}, fail_silently=True)
    for problem in problems:
        messages.warning(request, texts.problem % {"problem": problem}, fail_silently=True)
    return stored


def apply(request):
    """Store the kept answers for the logged-in person; tell them what happened. Returns the number stored."""
    pending = STORE.pop(request.session)
    if not pending or not request.user.is_authenticated:
        return 0
    assessments = Assessment.objects.filter(
        pk__in={int(key.split(":")[0]) for key in pending}, person=request.user
    ).select_related("round")
    assessments = {assessment.pk: assessment for assessment in assessments}
    kept = []
    for key, value in pending.items():
        assessment_id, competency_id = (int(part) for part in key.split(":"))
        assessment = assessments.get(assessment_id)
        if assessment is None or value.get("person") != request.user.pk:
            kept.append((None, value))  # not given in this person's name
            continue
        competency = round_competency(assessment, competency_id)
        if competency is not None:
            kept.append(((assessment, competency), value))

    def save(target, value):
        assessment, competency = target
        try:
            save_answer(assessment, competency, value["answer"], value["version"])
        except AnswerError as exc:
            return f"{competency.name}: {exc.message}"
        log_access(request, Action.CHANGED_RATING, assessment, detail=competency.code)
        return None

    return apply_kept(request, kept, save, ANSWER_MESSAGES)


def apply_on_login(sender, request, user, **kwargs):
    """`user_logged_in` receiver."""
    if request is not None and hasattr(request, "session"):
        apply(request)

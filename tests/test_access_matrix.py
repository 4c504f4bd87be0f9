# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who gets what, for every URL in the URLconf and every persona.

Expected answers are written out: 200 (or another status for a reachable view: 400 for an
empty form, 409 for a refused change, 401 for the CASE API, 302 for a redirect that is not
to the login page), LOGIN (302 to the login page) or 404 (never 403, so ids cannot be probed).
A URL added to the URLconf without a row here fails test_every_url_has_a_row. Every answer
to a logged-in persona must also say `Cache-Control: private, no-store` (finding 6 of the
security review).
"""

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import pytest

from assessments.models import Assessment
from competencies import case
from competencies.case import rubric_identifier
from organisation.models import ImportJob
from tests.conftest import make_org, make_persona
from tests.factories import FrameworkFactory, RoundFactory
from tests.privacy.conftest import days_ago

LOGIN = "login"
PERSONAS = ["anonymous", "person", "manager", "senior_manager", "other_manager", "colleague", "hr", "admin_user"]

# Django's own views: they touch no object of ours and Django tests them. The admin has its own
# permission system (staff + model permissions), covered by the admin tests of each app.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {
    "set_language",  # django.views.i18n: sets a language cookie for anyone
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def row(anonymous, person, manager, senior_manager, other_manager, colleague, hr, admin_user):
    return dict(
        zip(
            PERSONAS,
            [anonymous, person, manager, senior_manager, other_manager, colleague, hr, admin_user],
            strict=True,
        )
    )


EVERYONE = row(LOGIN, 200, 200, 200, 200, 200, 200, 200)
PUBLIC = row(200, 200, 200, 200, 200, 200, 200, 200)
HR_ONLY = row(LOGIN, 404, 404, 404, 404, 404, 200, 404)
OWNER_ONLY = row(LOGIN, 200, 404, 404, 404, 404, 404, 404)
# A personal report: the person, their own manager while they share it (not managers higher up), and HR.
REPORT_READERS = row(LOGIN, 200, 200, 404, 404, 404, 200, 404)
# A team dashboard: the managers of the unit and above it, and HR.
DASHBOARD_READERS = row(LOGIN, 404, 200, 200, 404, 404, 200, 404)
NOBODY = row(404, 404, 404, 404, 404, 404, 404, 404)
PLAN_READERS = row(LOGIN, 200, 200, 404, 404, 404, 404, 404)
OWNER_BAD_INPUT = row(LOGIN, 400, 404, 404, 404, 404, 404, 404)
# The CASE API answers a JSON 401 (its own error format) instead of a redirect; CASE_API_PUBLIC=0.
CASE_READERS = row(401, 200, 200, 200, 200, 200, 200, 200)

# name: (method, kwargs builder, query or form data, expected per persona)
MATRIX = {
    "home": ("get", None, None, EVERYONE),
    "healthz": ("get", None, None, PUBLIC),
    "keep_alive": ("post", None, None, EVERYONE),
    # Single sign-on is off by default, so both ends are 404 (tests/organisation/test_oidc.py covers it on).
    "oidc_authentication_init": ("get", None, None, NOBODY),
    "oidc_authentication_callback": ("get", None, None, NOBODY),
    "organisation:import": ("get", None, None, HR_ONLY),
    # An import job is seen only by the HR member who uploaded it (another HR member gets 404: tests/organisation).
    "organisation:import_job": ("get", lambda w: {"pk": w.import_job.pk}, None, HR_ONLY),
    "organisation:import_confirm": (
        "post",
        lambda w: {"pk": w.import_job.pk},
        None,
        row(LOGIN, 404, 404, 404, 404, 404, 302, 404),
    ),
    "organisation:import_discard": (
        "post",
        lambda w: {"pk": w.import_job.pk},
        None,
        row(LOGIN, 404, 404, 404, 404, 404, 302, 404),
    ),
    "competencies:list": ("get", None, None, EVERYONE),
    "competencies:framework": ("get", lambda w: {"slug": w.framework.slug, "version": 1}, None, EVERYONE),
    "competencies:competency": (
        "get",
        lambda w: {"slug": w.framework.slug, "version": 1, "code": w.competency.code},
        None,
        EVERYONE,
    ),
    # HR and functional administrators maintain the organisation's own framework.
    "competencies:own_create": ("get", None, None, row(LOGIN, 404, 404, 404, 404, 404, 200, 200)),
    "competencies:case_import": ("get", None, None, row(LOGIN, 404, 404, 404, 404, 404, 200, 200)),
    "competencies:own_edit": (
        "get",
        lambda w: {"slug": w.own_framework.slug, "version": 1},
        None,
        row(LOGIN, 404, 404, 404, 404, 404, 200, 200),
    ),
    "assessments:list": ("get", None, None, EVERYONE),
    "assessments:form": ("get", lambda w: {"pk": w.open_assessment.pk}, None, OWNER_ONLY),
    # An empty answer: the owner gets 400 (bad input, nothing saved), anyone else 404.
    "assessments:rating": (
        "post",
        lambda w: {"pk": w.open_assessment.pk, "competency_id": w.round_competency.pk},
        None,
        row(LOGIN, 400, 404, 404, 404, 404, 404, 404),
    ),
    "assessments:submit": ("get", lambda w: {"pk": w.open_assessment.pk}, None, OWNER_ONLY),
    # Sharing changes after submitting only; on this open assessment the owner gets 409, others 404.
    "assessments:sharing": (
        "post",
        lambda w: {"pk": w.open_assessment.pk},
        None,
        row(LOGIN, 409, 404, 404, 404, 404, 404, 404),
    ),
    "assessments:rounds": ("get", None, None, HR_ONLY),
    "assessments:round_create": ("get", None, None, HR_ONLY),
    "assessments:round": ("get", lambda w: {"pk": w.open_round.pk}, None, HR_ONLY),
    "assessments:round_extend": (
        "post",
        lambda w: {"pk": w.open_round.pk},
        None,
        row(LOGIN, 404, 404, 404, 404, 404, 400, 404),
    ),
    "assessments:round_close": (
        "post",
        lambda w: {"pk": w.open_round.pk},
        None,
        row(LOGIN, 404, 404, 404, 404, 404, 400, 404),
    ),
    "assessments:round_enrol": (
        "post",
        lambda w: {"pk": w.open_round.pk},
        None,
        row(LOGIN, 404, 404, 404, 404, 404, 302, 404),
    ),
    "assessments:participants": ("get", lambda w: {"pk": w.open_round.pk}, None, HR_ONLY),
    "assessments:reopen": (
        "get",
        lambda w: {"pk": w.open_round.pk, "assessment_pk": w.open_assessment.pk},
        None,
        HR_ONLY,
    ),
    "reports:me": ("get", None, None, EVERYONE),
    "reports:person": ("get", lambda w: {"pk": w.person.pk}, None, REPORT_READERS),
    "reports:personal_chart": (
        "get",
        lambda w: {"pk": w.done_assessment.pk, "framework_pk": w.done_framework.pk},
        None,
        REPORT_READERS,
    ),
    "reports:unit": ("get", lambda w: {"pk": w.org["youth"].pk}, None, DASHBOARD_READERS),
    "reports:unit_chart": (
        "get",
        lambda w: {"pk": w.org["youth"].pk, "framework_pk": w.done_framework.pk},
        lambda w: {"round": w.done_round.pk, "subunits": "1"},
        DASHBOARD_READERS,
    ),
    "reports:organisation": ("get", None, None, HR_ONLY),
    "reports:learning_demand": ("get", None, None, HR_ONLY),
    "privacy:audit_log": ("get", None, None, row(LOGIN, 404, 404, 404, 404, 404, 200, 200)),
    "security_txt": ("get", None, None, PUBLIC),
    "privacy:privacy": ("get", None, None, PUBLIC),
    "privacy:accessibility": ("get", None, None, PUBLIC),
    "privacy:my_data": ("get", None, None, EVERYONE),
    "privacy:my_data_json": ("get", None, None, EVERYONE),
    "privacy:my_data_csv": ("get", None, None, EVERYONE),
    "exports:index": ("get", None, None, HR_ONLY),
    "exports:ratings": ("get", None, lambda w: {"round": w.done_round.pk}, HR_ONLY),
    "exports:people": ("get", None, lambda w: {"round": w.done_round.pk}, HR_ONLY),
    "exports:units": ("get", None, lambda w: {"round": w.done_round.pk}, HR_ONLY),
    "exports:learning_demand": ("get", None, None, HR_ONLY),
    "exports:learning_catalogue": ("get", None, None, HR_ONLY),
    # The learning catalogue: everyone reads it, HR maintains it.
    "learning:activities": ("get", None, None, EVERYONE),
    "learning:activity": ("get", lambda w: {"pk": w.activity.pk}, None, EVERYONE),
    "learning:line": ("get", lambda w: {"pk": w.line.pk}, None, EVERYONE),
    "learning:activity_create": ("get", None, None, HR_ONLY),
    "learning:line_create": ("get", None, None, HR_ONLY),
    "learning:line_edit": ("get", lambda w: {"pk": w.line.pk}, None, HR_ONLY),
    "learning:activity_edit": ("get", lambda w: {"pk": w.activity.pk}, None, HR_ONLY),
    "learning:catalogue_import": ("get", None, None, HR_ONLY),
    "learning:targets": ("get", None, None, HR_ONLY),
    "learning:target_delete": (
        "post",
        lambda w: {"pk": w.target.pk},
        None,
        row(LOGIN, 404, 404, 404, 404, 404, 302, 404),
    ),
    "learning:target_import": ("get", None, None, HR_ONLY),
    # A personal target is set by the person's own manager only (not higher up, not HR).
    "learning:person_targets": (
        "get",
        lambda w: {"pk": w.person.pk},
        None,
        row(LOGIN, 404, 200, 404, 404, 404, 404, 404),
    ),
    "learning:reminder_settings": ("get", None, None, EVERYONE),
    "learning:my_plan": ("get", None, None, EVERYONE),
    "learning:shared_plans": ("get", None, None, EVERYONE),
    # Everyone in the world submitted in the done round, so everyone gets (or already has) a plan.
    "learning:start_plan": ("post", None, None, row(LOGIN, 302, 302, 302, 302, 302, 302, 302)),
    # A shared plan: the owner and their own manager; not the manager above, not HR.
    "learning:plan": ("get", lambda w: {"pk": w.plan.pk}, None, PLAN_READERS),
    "learning:conversation": ("get", lambda w: {"pk": w.plan.pk}, None, PLAN_READERS),
    # Empty forms: the owner gets 400 (nothing changed), anyone else 404.
    "learning:add_goal": ("post", lambda w: {"pk": w.plan.pk}, None, OWNER_BAD_INPUT),
    "learning:goal": ("post", lambda w: {"pk": w.plan.pk, "goal_pk": w.goal.pk}, None, OWNER_BAD_INPUT),
    "learning:add_action": ("post", lambda w: {"pk": w.plan.pk, "goal_pk": w.goal.pk}, None, OWNER_BAD_INPUT),
    "learning:action": ("post", lambda w: {"pk": w.plan.pk, "action_pk": w.action.pk}, None, OWNER_BAD_INPUT),
    "learning:sharing": ("post", lambda w: {"pk": w.plan.pk}, None, row(LOGIN, 302, 404, 404, 404, 404, 404, 404)),
    # Only the own manager comments on a shared plan; an empty comment is 400.
    "learning:comment": ("post", lambda w: {"pk": w.plan.pk}, None, row(LOGIN, 404, 400, 404, 404, 404, 404, 404)),
    # The CASE API answers a JSON 401 (its own error format) instead of a redirect; CASE_API_PUBLIC=0.
    "case:documents": ("get", None, None, row(401, 200, 200, 200, 200, 200, 200, 200)),
    "case:document": (
        "get",
        lambda w: {"identifier": w.framework.identifier},
        None,
        row(401, 200, 200, 200, 200, 200, 200, 200),
    ),
    "case:package": (
        "get",
        lambda w: {"identifier": w.framework.identifier},
        None,
        row(401, 200, 200, 200, 200, 200, 200, 200),
    ),
    "case:item": (
        "get",
        lambda w: {"identifier": w.competency.identifier},
        None,
        row(401, 200, 200, 200, 200, 200, 200, 200),
    ),
    "case:rubric": (
        "get",
        lambda w: {"identifier": rubric_identifier(w.framework.identifier)},
        None,
        row(401, 200, 200, 200, 200, 200, 200, 200),
    ),
    "case:item_associations": ("get", lambda w: {"identifier": w.competency.identifier}, None, CASE_READERS),
    "case:association": (
        "get",
        lambda w: {
            "identifier": case.derived_identifier(
                "association", "isChildOf", w.competency.identifier, w.framework.identifier
            )
        },
        None,
        CASE_READERS,
    ),
    "case:association_grouping": (
        "get",
        lambda w: {"identifier": case.grouping_identifier(w.competency.theme.code)},
        None,
        CASE_READERS,
    ),
    "case:concept": (
        "get",
        lambda w: {"identifier": case.concept_identifier(w.competency.theme.code)},
        None,
        CASE_READERS,
    ),
    "case:subject": ("get", lambda w: {"identifier": case.SUBJECT_IDENTIFIER}, None, CASE_READERS),
    "case:item_type": ("get", lambda w: {"identifier": case.ITEM_TYPE_IDENTIFIER}, None, CASE_READERS),
    "case:license": ("get", lambda w: {"identifier": case.LICENSES["cc-by-4.0"]}, None, CASE_READERS),
    "case:discovery": ("get", None, None, CASE_READERS),
    # Any other path under the API: a CASE 404 for everyone, so nothing can be probed.
    "case:not_found": ("get", lambda w: {"rest": "CFNothing/1"}, None, NOBODY),
}


def url_names(patterns, namespace=None):
    """Every named route, with its namespace, walking includes recursively."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed route {pattern.pattern}"
            yield ":".join(part for part in (namespace, pattern.name) if part)


def test_every_url_has_a_row():
    names = set(url_names(get_resolver().url_patterns))
    missing = names - set(MATRIX) - EXCLUDED_NAMES
    stale = set(MATRIX) - names
    assert not missing, f"URLs without a row in the access matrix: {sorted(missing)}"
    assert not stale, f"rows for URLs that no longer exist: {sorted(stale)}"
    assert names >= EXCLUDED_NAMES, "an excluded name is gone: update EXCLUDED_NAMES"


class World:
    """An open round (the person's assessment in progress) and an earlier one (submitted, shared)."""

    def __init__(self, org, people):
        self.org = org
        self.person = people["person"]
        self.framework = FrameworkFactory()
        from tests.factories import CompetencyFactory

        self.competency = CompetencyFactory(framework=self.framework)
        self.own_framework = FrameworkFactory(is_own=True)
        team = [self.person, people["colleague"], people["manager"]]
        self.done_round = RoundFactory(
            units=[org["youth"]],
            people=team,
            name="Voorjaar",
            opens_on=days_ago(60),
            closes_on=days_ago(30),
            competencies=2,
        )
        self.done_assessment = Assessment.objects.get(round=self.done_round, person=self.person)
        Assessment.objects.filter(round=self.done_round).update(submitted_at=timezone.now(), shared_with_manager=True)
        self.done_framework = self.done_round.frameworks.get()
        self.open_round = RoundFactory(
            units=[org["youth"]],
            people=team,
            name="Najaar",
            opens_on=days_ago(5),
            closes_on=days_ago(-5),
            competencies=2,
        )
        self.open_assessment = Assessment.objects.get(round=self.open_round, person=self.person)
        self.round_competency = self.open_round.frameworks.get().competencies.first()
        self.import_job = ImportJob.objects.create(
            uploaded_by=people["hr"], file_name="mensen.csv", data=b"x", status=ImportJob.Status.READY
        )
        self._learning()

    def _learning(self):
        from learning import plans
        from tests.factories import ActivityFactory, LearningLineFactory, TargetFactory

        competency = self.done_framework.competencies.first()
        self.activity = ActivityFactory(develops=[(competency, 1, 5)])
        self.line = LearningLineFactory(competency=competency, level_from=1, level_to=5, steps=[self.activity])
        self.target = TargetFactory(competency=competency)
        self.plan, _created = plans.start_plan(self.person, self.done_assessment)
        plans.set_sharing(self.plan, True)
        self.goal = plans.add_goal(self.plan, competency)
        self.action = plans.add_action(self.goal, title="Meelopen")


MATRIX_PERSONAS = {
    "person": "employee",
    "manager": "manager",
    "senior_manager": "senior_manager",
    "other_manager": "other_manager",
    "colleague": "colleague",
    "hr": "hr",
    "admin_user": "admin_user",
}


def make_world():
    """The organisation, the personas (keyed as in PERSONAS) and the World around them."""
    org = make_org()
    people = {key: make_persona(org, persona) for key, persona in MATRIX_PERSONAS.items()}
    return World(org, people), people


@pytest.fixture(scope="module")
def world_once(module_db):
    """Built once per module: every test only reads it, or changes it inside its own savepoint."""
    return make_world()


@pytest.fixture
def world(world_once, db, settings):
    settings.REPORT_MIN_GROUP_SIZE = 2  # the test team is small; the threshold has its own tests
    return world_once


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, world):
    world, people = world
    method, kwargs, data, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    payload = data(world) if data else {}
    login_url = reverse("login")
    answers = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(people[persona])
        response = getattr(client, method)(url, payload)
        status = response.status_code
        if persona != "anonymous":
            # Finding 6: nothing a logged-in person gets may be kept by a proxy or the browser's cache.
            assert response.get("Cache-Control") == "private, no-store", (persona, status)
        if status == 302 and response["Location"].startswith(login_url):
            status = LOGIN
        answers[persona] = status
    assert answers == expected

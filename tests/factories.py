# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import datetime
import itertools

from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from organisation.models import Person, Unit

factory.Faker._DEFAULT_LOCALE = "nl_NL"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Team {n}")
    parent = None


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    personnel_number = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda p: f"{p.username}@voorbeeld.nl")
    job_title = factory.Faker("job")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("geheim-wachtwoord")


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = "competencies.Theme"
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"theme-{n}")
    name_nl = factory.Sequence(lambda n: f"Thema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = "competencies.Framework"

    slug = factory.Sequence(lambda n: f"framework-{n}")
    title_nl = factory.Sequence(lambda n: f"Kader {n}")
    title_en = factory.Sequence(lambda n: f"Framework {n}")
    description_nl = "Een kader om mee te werken."
    description_en = "A framework to work with."


class CompetencyFactory(DjangoModelFactory):
    """A competency with its five level descriptions (levels=False to leave them out)."""

    class Meta:
        model = "competencies.Competency"
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"C-{n}")
    position = factory.Sequence(lambda n: n)
    theme = factory.SubFactory(ThemeFactory)
    name_nl = factory.Sequence(lambda n: f"Competentie {n}")
    name_en = factory.Sequence(lambda n: f"Competency {n}")
    definition_nl = "Wat je laat zien."
    definition_en = "What you show."

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from competencies.models import LEVELS, LevelDescription

        LevelDescription.objects.bulk_create(
            [
                LevelDescription(
                    competency=self,
                    level=level,
                    description_nl=f"{self.name_nl}: gedrag op niveau {level}.",
                    description_en=f"{self.name_en}: behaviour at level {level}.",
                )
                for level in LEVELS
            ]
        )


class ActivityFactory(DjangoModelFactory):
    """A catalogue activity; `develops=[(competency, from, to), ...]` adds what it develops."""

    class Meta:
        model = "learning.Activity"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"activiteit-{n}")
    title_nl = factory.Sequence(lambda n: f"Activiteit {n}")
    title_en = ""  # the Dutch title shows in English too
    description_nl = "Wat je hier leert."
    description_en = "What you learn here."
    form = "online"
    duration_hours = 2
    cost = 0

    @factory.post_generation
    def develops(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        from learning.models import ActivityCompetency

        for competency, low, high in extracted:
            ActivityCompetency.objects.create(activity=self, competency=competency, level_from=low, level_to=high)


class LearningLineFactory(DjangoModelFactory):
    """A learning line; `steps=[activity, ...]` adds them in that order."""

    class Meta:
        model = "learning.LearningLine"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"leerlijn-{n}")
    title_nl = factory.Sequence(lambda n: f"Leerlijn {n}")
    title_en = factory.Sequence(lambda n: f"Learning line {n}")
    description_nl = "Stap voor stap."
    competency = factory.SubFactory(CompetencyFactory)
    level_from = 2
    level_to = 3

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        from learning.models import LearningLineStep

        for position, activity in enumerate(extracted, 1):
            LearningLineStep.objects.create(line=self, activity=activity, position=position)


class TargetFactory(DjangoModelFactory):
    """An organisation-wide target by default; traits for the other scopes."""

    class Meta:
        model = "learning.Target"

    competency = factory.SubFactory(CompetencyFactory)
    scope = "organisation"
    level = 3
    due_on = datetime.date(2027, 12, 31)
    valid_from = datetime.date(2026, 1, 1)

    class Params:
        for_person = factory.Trait(scope="person")
        for_job_title = factory.Trait(scope="job_title", job_title="Beleidsadviseur")
        for_unit = factory.Trait(scope="unit")


SPRING_2026 = (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))
# What RoundFactory(people=...) answers per competency, in form order: current 2, 3, 4, 2, ...; desired one higher.
STEADY_LEVELS = [(2 + i % 3, 3 + i % 3) for i in range(60)]


class RoundFactory(DjangoModelFactory):
    """A round made on the models, by default spring 2026 (closed by its dates: `dates=(opens_on, closes_on)`).

    frameworks=[...] are its framework versions; competencies=n adds a new framework of n competencies.
    units=[...] take part with their sub-units, units_only=[...] without. people=[...] get an assessment each,
    started, shared with the manager and rated on every competency (STEADY_LEVELS; `people__note` for a note).
    No versions are frozen and nobody else is enrolled: for the round HR makes, use EnrolledRoundFactory.
    """

    class Meta:
        model = "assessments.Round"
        skip_postgeneration_save = True

    class Params:
        dates = SPRING_2026

    name = factory.LazyAttribute(lambda r: f"Voorjaar {r.opens_on.year}")
    opens_on = factory.LazyAttribute(lambda r: r.dates[0])
    closes_on = factory.LazyAttribute(lambda r: r.dates[1])

    @factory.post_generation
    def frameworks(self, create, extracted, **kwargs):
        if create and extracted:
            self.frameworks.set(extracted)

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if create and extracted:
            framework = FrameworkFactory()
            CompetencyFactory.create_batch(extracted, framework=framework)
            self.frameworks.add(framework)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            from assessments.models import RoundUnit

            RoundUnit.objects.bulk_create([RoundUnit(round=self, unit=unit) for unit in extracted])

    @factory.post_generation
    def units_only(self, create, extracted, **kwargs):
        if create and extracted:
            from assessments.models import RoundUnit

            RoundUnit.objects.bulk_create(
                [RoundUnit(round=self, unit=unit, include_subunits=False) for unit in extracted]
            )

    @factory.post_generation
    def people(self, create, extracted, note="", **kwargs):
        if not create or not extracted:
            return
        for person in extracted:
            AssessmentFactory(
                round=self,
                person=person,
                started=True,
                shared_with_manager=True,
                levels=STEADY_LEVELS,
                levels__note=note,
                **kwargs,
            )


class EnrolledRoundFactory(RoundFactory):
    """A round as HR creates it (assessments.rounds.create_round): its framework versions frozen and every
    participant of `units` (with sub-units) or `units_only` given an assessment. Open by default: it opened
    yesterday and closes in ten days."""

    class Meta:
        model = "assessments.Round"

    class Params:
        dates = factory.LazyFunction(
            lambda: (timezone.localdate() - datetime.timedelta(1), timezone.localdate() + datetime.timedelta(10))
        )

    name = "Najaar"
    frameworks = ()
    competencies = ()
    units = ()
    units_only = ()
    people = None

    @classmethod
    def _create(cls, model_class, *, frameworks, competencies, units, units_only, people, **kwargs):
        from assessments import rounds

        assert people is None, "create_round enrols the participants of its units"
        return rounds.create_round(
            frameworks=frameworks,
            competencies=competencies,
            units_with_subunits=units,
            units_only=units_only,
            **kwargs,
        )


class AssessmentFactory(DjangoModelFactory):
    """One person's self-assessment in a round, invited and not started; traits for the common shapes.

    levels=[(current, desired) or None (not applicable), ...] rates the round's competencies in form order
    (a shorter list repeats its last value); `levels__note` gives every rating that note.
    """

    class Meta:
        model = "assessments.Assessment"
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyAttribute(lambda a: a.person.unit)

    class Params:
        started = factory.Trait(started_at=factory.LazyFunction(timezone.now))
        draft = factory.Trait(started=True)  # started, not submitted
        submitted = factory.Trait(started=True, submitted_at=factory.LazyAttribute(lambda a: a.started_at))
        shared = factory.Trait(
            submitted=True, shared_with_manager=True, shared_at=factory.LazyAttribute(lambda a: a.submitted_at)
        )

    @factory.post_generation
    def levels(self, create, extracted, note="", **kwargs):
        if not create or not extracted:
            return
        from assessments.models import Rating
        from competencies.models import Competency

        competencies = Competency.objects.filter(framework__rounds=self.round).order_by("framework_id", "position")
        values = itertools.chain(extracted, itertools.repeat(extracted[-1]))
        Rating.objects.bulk_create(
            [
                RatingFactory.build(assessment=self, competency=competency, level=value, note=note)
                for competency, value in zip(competencies, values, strict=False)
            ]
        )


class RatingFactory(DjangoModelFactory):
    """One answer: level=(current, desired), or level=None for "not applicable to my work"."""

    class Meta:
        model = "assessments.Rating"

    class Params:
        level = (3, 4)

    assessment = factory.SubFactory(AssessmentFactory)
    competency = factory.SubFactory(CompetencyFactory)
    not_applicable = factory.LazyAttribute(lambda r: r.level is None)
    current_level = factory.LazyAttribute(lambda r: r.level and r.level[0])
    desired_level = factory.LazyAttribute(lambda r: r.level and r.level[1])
    updated_at = factory.LazyFunction(timezone.now)

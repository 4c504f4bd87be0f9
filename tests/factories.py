# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import datetime

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

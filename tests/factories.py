# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

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

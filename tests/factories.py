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

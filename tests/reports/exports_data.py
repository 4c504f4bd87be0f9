# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""A small, fully known round for the export tests: every byte of the expected files follows from it."""

import datetime
from types import SimpleNamespace

from assessments.models import Assessment, Rating, Round, RoundUnit
from tests.factories import CompetencyFactory, FrameworkFactory, PersonFactory, UnitFactory

UTC = datetime.UTC


def build_round(org, name="Najaar 2026"):
    """Three participants under the `org` tree; two submitted, one still busy (a draft).

    - Jansen (Team Jeugd): a name with a semicolon, quotes and a line break; submitted, shared.
    - @Piet (Zorg, Welzijn): name and personnel number that look like formulas; submitted.
    - Ellen Zwart (Team Groen): started, not submitted.
    Competency K2's Dutch name looks like a formula too. Every rating has a private note.
    """
    care = UnitFactory(name="Zorg, Welzijn", parent=org["social"])
    framework = FrameworkFactory(slug="kern", title_nl="Kernwaarden", title_en="Core values")
    k1 = CompetencyFactory(framework=framework, code="K1", position=1, name_nl="Samenwerken", name_en="Collaborating")
    k2 = CompetencyFactory(framework=framework, code="K2", position=2, name_nl="=SOM(A1)", name_en="=SUM(A1)")
    jansen = PersonFactory(name='Jansen; "Jan"\nde Vries', personnel_number="P001", unit=org["youth"])
    piet = PersonFactory(name="@Piet", personnel_number="-42", unit=care)
    ellen = PersonFactory(name="Ellen Zwart", personnel_number="P003", unit=org["green"])
    round_ = Round.objects.create(name=name, opens_on=datetime.date(2026, 5, 1), closes_on=datetime.date(2026, 12, 1))
    round_.frameworks.set([framework])
    RoundUnit.objects.create(round=round_, unit=org["root"], include_subunits=True)
    framework.freeze()
    a_jansen = Assessment.objects.create(
        round=round_,
        person=jansen,
        unit=org["youth"],
        started_at=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        submitted_at=datetime.datetime(2026, 11, 5, 13, 30, 15, 500000, tzinfo=UTC),
        shared_with_manager=True,
    )
    a_piet = Assessment.objects.create(
        round=round_,
        person=piet,
        unit=care,
        started_at=datetime.datetime(2026, 5, 20, 9, 0, tzinfo=UTC),
        submitted_at=datetime.datetime(2026, 6, 1, 8, 0, 0, tzinfo=UTC),
    )
    a_ellen = Assessment.objects.create(
        round=round_, person=ellen, unit=org["green"], started_at=datetime.datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    )
    for assessment, competency, current, desired, not_applicable in [
        (a_jansen, k1, 2, 4, False),
        (a_jansen, k2, None, None, True),
        (a_piet, k1, 4, 3, False),
        (a_piet, k2, 3, 3, False),
        (a_ellen, k1, 1, 5, False),
    ]:
        Rating.objects.create(
            assessment=assessment,
            competency=competency,
            current_level=current,
            desired_level=desired,
            not_applicable=not_applicable,
            note=f"GEHEIM-{assessment.person.personnel_number}-{competency.code}",
        )
    return SimpleNamespace(
        round=round_,
        framework=framework,
        competencies=[k1, k2],
        care=care,
        people=SimpleNamespace(jansen=jansen, piet=piet, ellen=ellen),
        assessments=SimpleNamespace(jansen=a_jansen, piet=a_piet, ellen=a_ellen),
    )


def bulk_round(units, *, competencies=2, levels=lambda index: (2, 4), name="Voorjaar 2026", submitted=True):
    """A round with {unit: number of people} all submitted (bulk inserts); levels(index) gives (current, desired).

    `levels` may return None for 'not applicable'. Returns the round.
    """
    from organisation.models import Person

    framework = FrameworkFactory(slug=f"bulk-{Round.objects.count()}", title_nl="Bulk", title_en="Bulk")
    items = [
        CompetencyFactory(framework=framework, code=f"B{i + 1}", position=i, levels=False) for i in range(competencies)
    ]
    round_ = Round.objects.create(name=name, opens_on=datetime.date(2026, 3, 1), closes_on=datetime.date(2026, 4, 1))
    round_.frameworks.set([framework])
    moment = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
    start = Person.objects.count()
    people = []
    for unit, count in units.items():
        people += [
            Person(username=f"bulk{start + len(people) + i}", name=f"Persoon {start + len(people) + i}", unit=unit)
            for i in range(count)
        ]
    Person.objects.bulk_create(people)
    people = Person.objects.filter(username__in=[p.username for p in people]).order_by("pk")
    Assessment.objects.bulk_create(
        [
            Assessment(
                round=round_,
                person=person,
                unit_id=person.unit_id,
                started_at=moment,
                submitted_at=moment if submitted else None,
            )
            for person in people
        ]
    )
    ratings = []
    for index, assessment in enumerate(Assessment.objects.filter(round=round_).order_by("pk")):
        value = levels(index)
        for competency in items:
            if value is None:
                ratings.append(Rating(assessment=assessment, competency=competency, not_applicable=True))
            else:
                ratings.append(
                    Rating(
                        assessment=assessment, competency=competency, current_level=value[0], desired_level=value[1]
                    )
                )
    Rating.objects.bulk_create(ratings, batch_size=2000)
    return round_

# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The demo municipality "Gemeente Voorbeeld": units, people and the demo logins.

Deterministic for a given seed, safe to run again, and fast enough for tens of
thousands of people (bulk inserts).
"""

import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.dispatch import Signal

from .models import Person, Unit

# Sent at the end of seed_demo (inside its transaction) with employees, seed and log,
# so apps above organisation can add their own demo data without organisation knowing them.
demo_seeded = Signal()

ROOT = "Gemeente Voorbeeld"
DEPARTMENTS = {
    "Sociaal Domein": ["Team Jeugd", "Team Wmo", "Team Werk en Inkomen"],
    "Ruimte": ["Team Omgevingsvergunningen", "Team Openbare Ruimte", "Team Duurzaamheid"],
    "Bedrijfsvoering": ["Team HR", "Team Informatievoorziening", "Team Financiën"],
    "Dienstverlening": ["Team Burgerzaken", "Team Klantcontact"],
}
SMALL_TEAM = ("Sociaal Domein", "Team Schuldhulp")  # fewer than five people: reports must suppress it
SMALL_TEAM_SIZE = 3
FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Chantal",
    "Daan",
    "Eva",
    "Fatima",
    "Gijs",
    "Hanneke",
    "Iris",
    "Jeroen",
    "Karim",
    "Lotte",
    "Mohamed",
    "Noor",
    "Olaf",
    "Priya",
    "Quinten",
    "Romy",
    "Sanne",
    "Thijs",
    "Umut",
    "Vera",
    "Willem",
    "Yara",
    "Zeynep",
    "Bas",
    "Ilse",
    "Mila",
    "Ruben",
    "Sem",
    "Emma",
    "Lucas",
    "Sophie",
    "Levi",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "El Amrani",
    "Yilmaz",
    "Öztürk",
    "Kaya",
    "Nguyen",
    "Pinas",
    "Martina",
    "Chaudhry",
]
JOB_TITLES = {
    "default": ["Beleidsadviseur", "Medewerker", "Senior medewerker", "Adviseur", "Projectleider"],
    "Team Jeugd": ["Jeugdconsulent", "Beleidsadviseur jeugd"],
    "Team Wmo": ["Wmo-consulent", "Beleidsmedewerker Wmo"],
    "Team Burgerzaken": ["Medewerker burgerzaken", "Baliemedewerker"],
    "Team Klantcontact": ["Klantcontactmedewerker", "Teamcoach klantcontact"],
    "Team HR": ["HR-adviseur", "Medewerker personeelszaken"],
}
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password, seed_demo only
DEMO_LOGINS = [
    ("medewerker", "Mila Medewerker", "an employee in Team Jeugd"),
    (
        "leidinggevende",
        "Lars Leidinggevende",
        "manager of Sociaal Domein (four teams, one with fewer than five people)",
    ),
    ("hr", "Hanna HR", "HR adviser"),
    ("beheerder", "Bert Beheerder", "functional administrator (superuser)"),
]


def _unit(name, parent):
    unit = Unit.objects.filter(name=name, parent=parent).first()
    return unit or Unit.objects.create(name=name, parent=parent)


def _team_names(employees):
    """Team names per department; more people means more (numbered) teams of about 12."""
    base = [(dep, team) for dep, teams in DEPARTMENTS.items() for team in teams]
    wanted = max(len(base), (employees - SMALL_TEAM_SIZE) // 12)
    teams = []
    for index in range(wanted):
        dep, team = base[index % len(base)]
        round_ = index // len(base)
        teams.append((dep, team if round_ == 0 else f"{team} {round_ + 1}"))
    return teams


@transaction.atomic
def seed_demo(employees=140, seed=2026, log=print):
    """Create the demo organisation if it is not there yet; always make sure the demo logins work."""
    rng = random.Random(seed)
    root = _unit(ROOT, None)
    departments = {name: _unit(name, root) for name in DEPARTMENTS}
    team_specs = _team_names(employees)
    teams = [_unit(name, departments[dep]) for dep, name in team_specs]
    small = _unit(SMALL_TEAM[1], departments[SMALL_TEAM[0]])

    existing = set(Person.objects.filter(personnel_number__startswith="D").values_list("personnel_number", flat=True))
    people = []
    # Regular employees spread over the teams; the small team gets exactly SMALL_TEAM_SIZE.
    slots = [small] * SMALL_TEAM_SIZE + [teams[i % len(teams)] for i in range(max(0, employees - SMALL_TEAM_SIZE))]
    unusable = make_password(None)
    this_year = 2026
    for index, unit in enumerate(slots, 1):
        number = f"D{index:06d}"
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        titles = JOB_TITLES.get(
            unit.name.rsplit(" ", 1)[0] if unit.name[-1].isdigit() else unit.name, JOB_TITLES["default"]
        )
        birth_year = rng.randint(1962, 2002)
        person = Person(
            username=number.lower(),
            personnel_number=number,
            name=f"{first} {last}",
            email=f"{first}.{last}.{index}@voorbeeld.nl".lower().replace(" ", ""),
            job_title=rng.choice(titles),
            unit=unit,
            birth_year=birth_year,
            in_service_since=rng.randint(max(birth_year + 18, 1985), this_year),
            password=unusable,
        )
        if number not in existing:
            people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    log(f"{len(people)} people added, {len(existing)} already there")

    # Every unit gets a manager from its own members (departments: from their first team).
    for unit in [small, *teams]:
        if unit.manager_id is None:
            unit.manager = unit.members.order_by("personnel_number").first()
            unit.save(update_fields=["manager"])
    for name, unit in departments.items():
        if unit.manager_id is None and name != SMALL_TEAM[0]:
            unit.manager = Person.objects.filter(unit__parent=unit).order_by("personnel_number").first()
            unit.save(update_fields=["manager"])
    if root.manager_id is None:
        root.manager = Person.objects.filter(unit__parent__parent=root).order_by("personnel_number").first()
        root.save(update_fields=["manager"])

    _demo_logins(root, departments, teams)
    demo_seeded.send(sender=Person, employees=employees, seed=seed, log=log)
    return root


def _demo_logins(root, departments, teams):
    password = make_password(DEMO_PASSWORD)
    team_jeugd = Unit.objects.get(name="Team Jeugd", parent=departments["Sociaal Domein"])
    team_hr = Unit.objects.get(name="Team HR", parent=departments["Bedrijfsvoering"])
    placement = {
        "medewerker": (team_jeugd, "Beleidsadviseur jeugd"),
        "leidinggevende": (departments["Sociaal Domein"], "Afdelingsmanager Sociaal Domein"),
        "hr": (team_hr, "HR-adviseur"),
        "beheerder": (departments["Bedrijfsvoering"], "Functioneel beheerder"),
    }
    for index, (username, name, _role) in enumerate(DEMO_LOGINS, 1):
        unit, title = placement[username]
        person, created = Person.objects.get_or_create(
            username=username,
            defaults={
                "name": name,
                "personnel_number": f"X{index:05d}",
                "email": f"{username}@voorbeeld.nl",
                "job_title": title,
                "unit": unit,
                "birth_year": 1980 + index,
                "in_service_since": 2010 + index,
            },
        )
        person.password = password
        person.is_active = True
        if username == "beheerder":
            person.is_staff = person.is_superuser = True
        person.save()
        if username == "hr":
            person.groups.add(Group.objects.get(name=settings.HR_GROUP))
        if username == "beheerder":
            person.groups.add(Group.objects.get(name=settings.ADMIN_GROUP))
    Unit.objects.filter(pk=departments["Sociaal Domein"].pk).update(
        manager=Person.objects.get(username="leidinggevende")
    )


def demo_login_lines():
    return [f"  {username:15} / {DEMO_PASSWORD}   {role}" for username, _name, role in DEMO_LOGINS]

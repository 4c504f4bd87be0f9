# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Demo learning for `seed_demo`: a catalogue of 22 activities over every learning form and all five
frameworks, two learning lines, a few target levels, and a development plan for `medewerker`.

Connected to organisation.demo.demo_seeded (after the demo rounds: assessments connects first).
Safe to run again: known codes are left as they are; the plan is made once. The texts are our
own, written for this portal in plain Dutch; the providers are made up.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from assessments.models import Assessment, Rating
from competencies.models import Competency, Framework
from organisation.models import Person, Unit

from . import plans
from .models import (
    Activity,
    ActivityCompetency,
    LearningForm,
    LearningLine,
    LearningLineStep,
    Plan,
    Target,
    TargetScope,
)

EMPLOYEE = "medewerker"
C21, BAV, DIS, SOFT, VK3 = (
    "21e-eeuwse-vaardigheden-gemeenten",
    "bewust-ambtelijk-vakmanschap",
    "competenties-disruptieve-technologie",
    "soft-skills-ambtenaar-toekomst",
    "vakmanschap-3-0",
)
F = LearningForm

# code, form, hours, cost, provider, (title nl, title en), (description nl, description en), [(framework, code, from, to)]
ACTIVITIES = [
    (
        "data-lezen",
        F.ONLINE,
        "3",
        "0",
        "Leerplein Gemeente",
        ("Cijfers lezen zonder stress", "Reading figures without stress"),
        (
            "Je leert een tabel en een grafiek lezen en zelf een eerste vraag aan de cijfers te stellen. Met oefeningen uit het werk van een gemeente.",
            "Learn to read a table and a chart and ask your first question of the figures, with exercises from municipal work.",
        ),
        [(C21, "C21-DATA", 1, 3)],
    ),
    (
        "dashboard-maken",
        F.CLASSROOM,
        "12",
        "450",
        "Leerplein Gemeente",
        ("Zelf een dashboard maken", "Build your own dashboard"),
        (
            "In twee dagen maak je een dashboard voor je eigen team. Je kiest de cijfers die ertoe doen en je legt ze uit aan collega's.",
            "In two days you build a dashboard for your own team, choose the figures that matter and explain them to colleagues.",
        ),
        [(C21, "C21-DATA", 2, 4)],
    ),
    (
        "digitaal-samenwerken",
        F.MICROLEARNING,
        "1",
        "0",
        "Leerplein Gemeente",
        ("Slim samenwerken in gedeelde documenten", "Working together in shared documents"),
        (
            "Vijf korte filmpjes van vijf minuten: samen in één document werken, reageren en versies terugvinden.",
            "Five short videos of five minutes: working in one document together, commenting and finding versions.",
        ),
        [(C21, "C21-DIGITAAL", 1, 3)],
    ),
    (
        "digitale-dienst",
        F.BLENDED,
        "16",
        "600",
        "Academie Publieke Dienst",
        ("Digitale dienstverlening ontwerpen", "Designing digital services"),
        (
            "Online lessen en twee werkdagen samen. Je verbetert een echt formulier van je gemeente met inwoners erbij.",
            "Online lessons and two workshop days. You improve a real form of your municipality together with residents.",
        ),
        [(C21, "C21-DIGITAAL", 2, 4), (C21, "C21-EXPERIMENT", 2, 3)],
    ),
    (
        "klein-experiment",
        F.WORKPLACE,
        "8",
        "0",
        "",
        ("Een klein experiment in je eigen werk", "A small experiment in your own work"),
        (
            "Kies één ding in je werk dat beter kan. Probeer twee weken iets nieuws, houd bij wat er gebeurt en bespreek het met je team.",
            "Choose one thing in your work that could be better. Try something new for two weeks, note what happens and discuss it with your team.",
        ),
        [(C21, "C21-EXPERIMENT", 1, 3), (SOFT, "SOFT-CREATIVE", 1, 3)],
    ),
    (
        "onderhandelen-basis",
        F.CLASSROOM,
        "7",
        "395",
        "Academie Publieke Dienst",
        ("Onderhandelen met partners", "Negotiating with partners"),
        (
            "Een dag oefenen met een trainingsacteur: je belang helder krijgen, luisteren naar de ander en samen een oplossing vinden.",
            "A day of practice with a training actor: getting your interest clear, listening to the other side and finding a solution together.",
        ),
        [(C21, "C21-ONDERHANDELEN", 1, 3), (DIS, "DIS-OVERTUIGING", 2, 3)],
    ),
    (
        "regie-voeren",
        F.COACHING,
        "6",
        "300",
        "Netwerk Intervisie",
        ("Intervisie: de regie houden", "Peer review: staying in charge"),
        (
            "Vier bijeenkomsten met collega's uit andere gemeenten. Je brengt een lastige situatie in en je krijgt vragen die je verder helpen.",
            "Four meetings with colleagues from other municipalities. You bring in a difficult situation and get questions that help you on.",
        ),
        [(C21, "C21-ONDERHANDELEN", 2, 4), (C21, "C21-LEIDERSCHAP", 2, 4)],
    ),
    (
        "wendbaar-werken",
        F.ONLINE,
        "2",
        "0",
        "Leerplein Gemeente",
        ("Werken in kleine stappen", "Working in small steps"),
        (
            "Je leert een groot probleem op te knippen in kleine stappen en na elke stap te kijken wat werkt.",
            "Learn to cut a big problem into small steps and look at what works after each step.",
        ),
        [(C21, "C21-FLEXIBEL", 1, 3), (SOFT, "SOFT-FLEX", 1, 3)],
    ),
    (
        "eigen-regie",
        F.MICROLEARNING,
        "1",
        "0",
        "Leerplein Gemeente",
        ("Persoonlijk leiderschap in tien minuten per week", "Personal leadership in ten minutes a week"),
        (
            "Elke week een korte opdracht: wat wil ik, wat doe ik zelf en waar vraag ik hulp?",
            "A short assignment every week: what do I want, what do I do myself and where do I ask for help?",
        ),
        [(C21, "C21-LEIDERSCHAP", 1, 3), (DIS, "DIS-EIGENAARSCHAP", 1, 3)],
    ),
    (
        "rol-als-ambtenaar",
        F.CLASSROOM,
        "4",
        "250",
        "Academie Publieke Dienst",
        ("Je rol als ambtenaar tussen politiek en inwoner", "Your role between politics and residents"),
        (
            "Een middag over je rol: wat vraagt het bestuur, wat vraagt de inwoner, en hoe blijf je daarin professioneel?",
            "An afternoon about your role: what the council asks, what residents ask, and how you stay professional.",
        ),
        [(BAV, "BAV-PROFESSIONAL", 1, 3), (BAV, "BAV-SOCIETAL", 1, 3)],
    ),
    (
        "vertragen",
        F.WORKPLACE,
        "4",
        "0",
        "",
        ("Bewust vertragen bij een besluit", "Slowing down on purpose before a decision"),
        (
            "Neem bij je volgende advies een kwartier om te vragen: wie merkt dit, en wie zit er niet aan tafel? Schrijf je antwoord op.",
            "Before your next advice, take fifteen minutes to ask: who will notice this, and who is not at the table? Write your answer down.",
        ),
        [(BAV, "BAV-SLOWDOWN", 1, 3), (BAV, "BAV-OBSERVE", 1, 3), (BAV, "BAV-INCLUSIVE", 2, 4)],
    ),
    (
        "tegenspraak",
        F.COACHING,
        "3",
        "0",
        "",
        ("Tegenspraak oefenen met een maatje", "Practising dissent with a buddy"),
        (
            "Spreek met een collega af dat jullie elkaars plannen kritisch bevragen. Drie gesprekken van een uur, met een vaste vragenlijst.",
            "Agree with a colleague to question each other's plans. Three talks of an hour, with a fixed list of questions.",
        ),
        [(BAV, "BAV-DISSENT", 1, 3), (BAV, "BAV-LISTEN", 2, 4), (DIS, "DIS-FEEDBACK", 2, 4)],
    ),
    (
        "leren-leren",
        F.ONLINE,
        "2",
        "0",
        "Leerplein Gemeente",
        ("Blijven leren in je werk", "Keep learning in your work"),
        (
            "Je maakt een eigen leerplan voor een half jaar en kiest hoe je leert: lezen, kijken, doen of vragen.",
            "You make your own learning plan for half a year and choose how you learn: reading, watching, doing or asking.",
        ),
        [(BAV, "BAV-GROWTH", 1, 3)],
    ),
    (
        "helder-schrijven",
        F.BLENDED,
        "10",
        "350",
        "Schrijfhuis Overheid",
        ("Helder schrijven op B1", "Writing clearly at B1 level"),
        (
            "Online oefeningen en een terugkomdag. Je herschrijft een eigen brief zodat elke inwoner hem begrijpt.",
            "Online exercises and a return day. You rewrite one of your own letters so that every resident understands it.",
        ),
        [(SOFT, "SOFT-LANGUAGE", 1, 4), (DIS, "DIS-COMMUNICATIE", 1, 3)],
    ),
    (
        "luisteren-balie",
        F.CLASSROOM,
        "7",
        "395",
        "Academie Publieke Dienst",
        ("Doorvragen aan de balie", "Asking further at the counter"),
        (
            "Oefenen met een trainingsacteur: de vraag achter de vraag vinden, ook als iemand boos is.",
            "Practice with a training actor: finding the question behind the question, also when someone is angry.",
        ),
        [(SOFT, "SOFT-EMPATHY", 1, 3), (VK3, "VK3-EMPATHIE", 1, 3)],
    ),
    (
        "integer-handelen",
        F.MICROLEARNING,
        "1",
        "0",
        "Leerplein Gemeente",
        ("Dilemma's over integriteit", "Integrity dilemmas"),
        (
            "Acht korte dilemma's uit het werk van een gemeente. Je kiest, en je ziet waarom collega's anders kozen.",
            "Eight short dilemmas from municipal work. You choose, and you see why colleagues chose differently.",
        ),
        [(SOFT, "SOFT-INTEGRITY", 1, 4)],
    ),
    (
        "resultaat-afspreken",
        F.WORKPLACE,
        "3",
        "0",
        "",
        ("Samen een resultaat afspreken", "Agreeing on a result together"),
        (
            "Spreek bij je volgende opdracht vooraf met de opdrachtgever af wat het resultaat is en hoe jullie het zien. Kijk na afloop samen terug.",
            "At the start of your next assignment, agree with the client what the result is and how you will see it. Look back together afterwards.",
        ),
        [(VK3, "VK3-RESULT", 1, 3), (DIS, "DIS-EIGENAARSCHAP", 2, 4)],
    ),
    (
        "vakinhoud-bijhouden",
        F.ONLINE,
        "4",
        "0",
        "Leerplein Gemeente",
        ("Je vak bijhouden in een uur per week", "Keeping up with your field in an hour a week"),
        (
            "Je kiest drie bronnen voor je vakgebied en maakt elke week een korte samenvatting voor je team.",
            "Choose three sources for your field and write a short summary for your team every week.",
        ),
        [(VK3, "VK3-INHOUD", 1, 3)],
    ),
    (
        "invloed-zonder-macht",
        F.CLASSROOM,
        "14",
        "700",
        "Academie Publieke Dienst",
        ("Invloed zonder macht", "Influence without authority"),
        (
            "Twee dagen over begrijpen en beïnvloeden: wat drijft de ander, en hoe sluit je daarop aan?",
            "Two days about understanding and influencing: what drives the other person, and how do you connect to it?",
        ),
        [(VK3, "VK3-INVLOED", 2, 4), (DIS, "DIS-OVERTUIGING", 2, 4)],
    ),
    (
        "open-werken",
        F.MICROLEARNING,
        "1",
        "0",
        "Leerplein Gemeente",
        ("Open werken: laat zien wat je doet", "Working in the open: show what you do"),
        (
            "Korte lessen over transparant werken: wat mag openbaar, hoe leg je keuzes uit en hoe ga je om met vragen?",
            "Short lessons on working transparently: what can be public, how you explain choices and how you handle questions.",
        ),
        [(VK3, "VK3-OPEN", 1, 3)],
    ),
    (
        "netwerk-kaart",
        F.WORKPLACE,
        "2",
        "0",
        "",
        ("Je netwerk in kaart brengen", "Mapping your network"),
        (
            "Teken op één A4 met wie je werkt en met wie je nog niet werkt. Kies twee mensen om deze maand te spreken.",
            "Draw on one page who you work with and who you do not work with yet. Choose two people to talk to this month.",
        ),
        [(VK3, "VK3-NETWERK", 1, 3), (DIS, "DIS-NETWERKEN", 1, 3)],
    ),
    (
        "dialoog-voeren",
        F.COACHING,
        "6",
        "450",
        "Netwerk Intervisie",
        ("Coaching: het goede gesprek", "Coaching: the good conversation"),
        (
            "Drie gesprekken met een coach over een gesprek dat je lastig vindt: met een inwoner, een partner of in je team.",
            "Three talks with a coach about a conversation you find hard: with a resident, a partner or in your team.",
        ),
        [(VK3, "VK3-DIALOOG", 2, 4), (DIS, "DIS-CONFLICT", 2, 4), (DIS, "DIS-ZELFVERTROUWEN", 1, 3)],
    ),
    (
        "feedback-geven",
        F.ONLINE,
        "2",
        "0",
        "Leerplein Gemeente",
        ("Feedback geven en vragen", "Giving and asking for feedback"),
        (
            "Je leert feedback te geven die iemand verder helpt, en om feedback te vragen zonder dat het eng wordt.",
            "Learn to give feedback that helps someone on, and to ask for feedback without it becoming scary.",
        ),
        [(DIS, "DIS-FEEDBACK", 1, 3), (DIS, "DIS-EIGENHEID", 1, 3), (DIS, "DIS-LEIDERSCHAP", 1, 3)],
    ),
]

# code, (title nl, title en), (description nl, description en), (framework, competency, from, to), [activity codes]
LINES = [
    (
        "leerlijn-data",
        ("Leerlijn: werken met data", "Learning line: working with data"),
        (
            "Van cijfers lezen naar zelf een dashboard maken, in drie stappen.",
            "From reading figures to building your own dashboard, in three steps.",
        ),
        (C21, "C21-DATA", 1, 3),
        ["data-lezen", "klein-experiment", "dashboard-maken"],
    ),
    (
        "leerlijn-gesprek",
        ("Leerlijn: het goede gesprek", "Learning line: the good conversation"),
        (
            "Van doorvragen aan de balie naar een lastig gesprek met vertrouwen voeren.",
            "From asking further at the counter to holding a hard conversation with confidence.",
        ),
        (VK3, "VK3-DIALOOG", 1, 3),
        ["luisteren-balie", "feedback-geven", "dialoog-voeren"],
    ),
]


def seed_learning(sender=None, *, log=print, **kwargs):
    """`demo_seeded` receiver: catalogue, lines, targets and the demo employee's plan (idempotent)."""
    competencies = {
        (c.framework.slug, c.code): c
        for c in Competency.objects.filter(framework__in=Framework.objects.current()).select_related("framework")
    }
    if not competencies:
        log("No frameworks loaded: demo learning skipped")
        return
    with transaction.atomic():
        added = _catalogue(competencies)
        _lines(competencies)
        _targets(competencies)
        made = _plan()
    log(f"Learning catalogue: {added} activities added; {'a plan made' if made else 'plan already there'}")


def _catalogue(competencies):
    known = set(Activity.objects.values_list("code", flat=True))
    added = 0
    for code, form, hours, cost, provider, titles, descriptions, links in ACTIVITIES:
        if code in known:
            continue
        activity = Activity.objects.create(
            code=code,
            form=form,
            duration_hours=Decimal(hours),
            cost=Decimal(cost),
            provider=provider,
            title_nl=titles[0],
            title_en=titles[1],
            description_nl=descriptions[0],
            description_en=descriptions[1],
        )
        ActivityCompetency.objects.bulk_create(
            [
                ActivityCompetency(activity=activity, competency=competencies[slug, c], level_from=low, level_to=high)
                for slug, c, low, high in links
                if (slug, c) in competencies
            ]
        )
        added += 1
    return added


def _lines(competencies):
    activities = dict(Activity.objects.values_list("code", "pk"))
    for code, titles, descriptions, (slug, c, low, high), steps in LINES:
        if LearningLine.objects.filter(code=code).exists() or (slug, c) not in competencies:
            continue
        line = LearningLine.objects.create(
            code=code,
            title_nl=titles[0],
            title_en=titles[1],
            description_nl=descriptions[0],
            description_en=descriptions[1],
            competency=competencies[slug, c],
            level_from=low,
            level_to=high,
        )
        LearningLineStep.objects.bulk_create(
            [LearningLineStep(line=line, activity_id=activities[step], position=n) for n, step in enumerate(steps, 1)]
        )


def _targets(competencies):
    """The organisation asks level 3 for data and dialogue by the end of 2027; policy advisers on youth level 4."""
    if Target.objects.exists():
        return
    root = Unit.objects.filter(parent=None).order_by("pk").first()
    valid_from = datetime.date(2026, 1, 1)
    due = datetime.date(2027, 12, 31)
    for key in [(C21, "C21-DATA"), (VK3, "VK3-DIALOOG"), (SOFT, "SOFT-LANGUAGE")]:
        if key in competencies:
            Target.objects.create(
                competency=competencies[key],
                scope=TargetScope.ORGANISATION,
                level=3,
                due_on=due,
                valid_from=valid_from,
            )
    if (C21, "C21-DATA") in competencies:
        Target.objects.create(
            competency=competencies[C21, "C21-DATA"],
            scope=TargetScope.JOB_TITLE,
            job_title="Beleidsadviseur jeugd",
            level=4,
            due_on=due,
            valid_from=valid_from,
        )
    if root is not None and (VK3, "VK3-OPEN") in competencies:
        Target.objects.create(
            competency=competencies[VK3, "VK3-OPEN"],
            scope=TargetScope.UNIT,
            unit=root,
            level=3,
            due_on=due,
            valid_from=valid_from,
        )


def _plan():
    """Two goals for `medewerker` from their submitted round, each with a suggestion they chose or can choose."""
    person = Person.objects.filter(username=EMPLOYEE).first()
    assessment = plans.latest_assessment(person) if person else None
    if assessment is None or Plan.objects.filter(person=person).exists():
        return False
    plan, _created = plans.start_plan(person, assessment)
    chosen = _goal_competencies(assessment)
    for index, competency in enumerate(chosen):
        goal = plans.add_goal(plan, competency)
        found = plans.suggestions(goal)
        if index == 0 and found.activities:
            plans.add_action(goal, activity=found.activities[0])
        else:
            plans.add_action(goal, title="Een collega vragen die dit goed kan om mee te kijken")
    return True


def _goal_competencies(assessment: Assessment):
    """The two competencies with the biggest gap that the demo catalogue has suggestions for (else any gap)."""
    ratings = (
        Rating.objects.filter(assessment=assessment, not_applicable=False, current_level__lt=5)
        .select_related("competency__framework")
        .order_by("competency__position")
    )
    rated = sorted(ratings, key=lambda r: -((r.desired_level or 0) - (r.current_level or 0)))

    def suggestions(rating):
        if not rating.current_level or (rating.desired_level or 0) <= rating.current_level:
            return 0
        return ActivityCompetency.objects.matching(rating.competency, rating.current_level).count()

    # Prefer gaps with two or more matching activities: one is chosen, the rest stay suggestions.
    counted = [(rating, suggestions(rating)) for rating in rated]
    with_suggestions = [r.competency for r, n in counted if n >= 2] + [r.competency for r, n in counted if n == 1]
    fallback = [r.competency for r in rated if r.competency not in with_suggestions]
    return (with_suggestions + fallback)[:2]

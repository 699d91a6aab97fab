"""Random draws and the suspects of `bihuan gencases`: names in the published 张某某 style,
birth dates, valid 公民身份号码 of the demo area, addresses, the sentence each is heading for,
the prosecutor's recommendation and the court's result.
"""

import bisect
import random
from collections.abc import Sequence
from datetime import date, timedelta

from bihuan.cases.choices import Gender, Penalty, RecommendationKind, Verdict
from bihuan.exchange import gen_data as data
from bihuan.exchange.gen_text import CRIMINAL_DETENTION, ymd
from bihuan.lib import idnumber

MALE, FEMALE = Gender.MALE.label, Gender.FEMALE.label
LIFE = Penalty.LIFE.label
FIXED_TERM = Penalty.FIXED_TERM.label
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


class Weighted:
    """A fixed weighted choice."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cum.append(total)
        self.total = total


class Draws:
    """Seeded draws. `randint` and `choice` of `random.Random` cost several times more than
    scaling one `random()`, which is what these do; the sequence depends on the seed alone."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def chance(self, p: float) -> bool:
        return self.random() < p

    def int(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + int(self.random() * (high - low + 1))

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=low + int(self.random() * (high - low + 1)))

    def choice(self, items: Sequence):
        return items[int(self.random() * len(items))]

    def pick(self, table: Weighted):
        return table.items[bisect.bisect(table.cum, self.random() * table.total)]


class Person:
    """A suspect across the stages of one matter; measures are [kind, body, start, end, place]."""

    __slots__ = (
        "seq", "name", "gender", "birth", "id_number", "ethnicity", "education", "occupation", "employer",
        "household", "address", "minor", "prior", "charges", "measures", "penalty", "term", "plea",
        "probation", "fine", "approved",
    )  # fmt: skip


SURNAMES = Weighted(list(zip(data.SURNAMES, data.SURNAME_WEIGHTS, strict=True)))
ETHNICITIES = Weighted(data.ETHNICITIES)
EDUCATIONS = Weighted(data.EDUCATIONS)
MINOR_EDUCATIONS = Weighted(data.MINOR_EDUCATIONS)
OCCUPATIONS = Weighted(data.OCCUPATIONS)
MINOR_OCCUPATIONS = Weighted(data.MINOR_OCCUPATIONS)
REGIONS = Weighted([(r, r[3]) for r in data.REGIONS])
AGES = Weighted(data.ADULT_AGES)


def plan_sentence(draw: Draws, profile: data.ChargeProfile) -> Person:
    """A suspect with the sentence they are heading for, which decides procedure and recommendation."""
    person = Person()
    if draw.chance(profile.life):
        person.penalty, person.term = LIFE, 0
    elif draw.chance(profile.juyi):
        person.penalty, person.term = CRIMINAL_DETENTION, draw.int(1, 6)
    else:
        low, high = profile.term
        # Most sentences sit near the bottom of the range.
        person.penalty, person.term = FIXED_TERM, low + int((high - low) * draw.random() ** 2)
    person.probation = person.penalty != LIFE and person.term <= 36 and draw.chance(profile.probation)
    person.fine = None
    if profile.fine:
        low, high = profile.fine
        step = 1000 if high <= 100000 else 10000
        person.fine = f"{draw.int(low // step, high // step) * step}.00"
    person.plea = draw.chance(profile.plea)
    person.approved = None
    return person


def identify(draw: Draws, person: Person, seq: int, profile, offence: date, home: tuple, taken: set) -> None:
    """Give a planned suspect a name, birth date, ID number, address and history."""
    person.seq = seq
    name = draw.pick(SURNAMES) + ("某某" if draw.chance(0.92) else "某")
    while name in taken:
        name = draw.pick(SURNAMES) + "某某"
    taken.add(name)
    person.name = name
    person.gender = MALE if draw.chance(profile.male) else FEMALE
    person.minor = draw.chance(profile.minor)
    if person.minor:
        # 14 to 17 at the offence: 14 years are at most 5114 days, 18 years at least 6574.
        person.birth = offence - draw.days(5114, 6573)
        person.education = draw.pick(MINOR_EDUCATIONS)
        person.occupation = draw.pick(MINOR_OCCUPATIONS)
    else:
        age = draw.pick(AGES)
        # 18 years hold at most 5 leap days, so the lower bound is always an adult.
        person.birth = offence - draw.days(age * 365 + age // 4 + 2, age * 365 + age // 4 + 362)
        person.education = draw.pick(EDUCATIONS)
        person.occupation = draw.pick(OCCUPATIONS)
    region, prefix, streets, _ = draw.pick(REGIONS)
    gender_code = Gender.MALE.value if person.gender == MALE else Gender.FEMALE.value
    person.id_number = idnumber.make(region, person.birth, draw.int(0, 999), gender_code)
    person.household = f"{prefix}{draw.choice(streets)}{draw.int(1, 300)}号"
    if region in data.DEMO_REGIONS and draw.chance(0.7):
        person.address = person.household
    else:
        home_prefix, home_streets = home
        flat = f"{draw.int(1, 30)}号楼{draw.int(1, 6)}单元{draw.int(1, 6)}0{draw.int(1, 4)}室"
        person.address = f"{home_prefix}{draw.choice(home_streets)}{draw.int(1, 200)}号{flat}"
    person.ethnicity = draw.pick(ETHNICITIES)
    person.employer = "威海某某有限公司" if person.occupation == "公司职员" and draw.chance(0.5) else ""
    if profile.name in data.SUPERVISION_CHARGES:
        person.education, person.occupation, person.employer = "大学本科", "公务员", "威海市某局科长"
    person.prior = ""
    if not person.minor and draw.chance(0.1):
        year = max(person.birth.year + 19, offence.year - draw.int(2, 10))
        if year < offence.year:
            person.prior = draw.choice(data.PRIOR_RECORDS).format(year=year)
    person.charges = [profile.name]
    if profile.extra and draw.chance(0.05):
        person.charges += profile.extra


def facts(draw: Draws, profile, people: list[Person], offence: date, scene: str) -> str:
    """The 经依法审查查明 paragraph (also the case summary) from the charge's template."""
    low, high = profile.amount or (1000, 10000)
    amount = draw.int(low, high)
    names = {p.name for p in people}
    victim = draw.pick(SURNAMES) + "某某"
    while victim in names:
        victim = draw.pick(SURNAMES) + "某某"
    values = {
        "when": f"{ymd(offence)}{draw.int(0, 23)}时许",
        "since": f"{offence.year}年{offence.month}月",
        "who": "、".join(p.name for p in people),
        "place": scene,
        "victim": victim,
        "amount": amount,
        "gain": max(100, amount * draw.int(2, 30) // 100),
        "plate": f"鲁K{draw.choice(PLATE_LETTERS)}{draw.int(10000, 99999)}号",
        "bac": f"{80.5 + draw.random() * 180:.1f}",
        "grams": f"{0.2 + draw.random() * 9.6:.1f}",
        "count": draw.int(30, 8000),
    }
    return profile.fact.format_map(values)


def recommend(draw: Draws, person: Person) -> dict | None:
    """CPL 176: a plea brings a recommendation, mostly 确定刑 (Rule 275); without a plea one
    is made about half of the time (Rule 364)."""
    if not person.plea and draw.chance(0.5):
        return None
    life = person.penalty == LIFE
    fixed = draw.chance(0.96 if person.plea else 0.4)
    term_max = person.term
    if not fixed and not life:
        # A range stays within the bracket of the likely sentence (拘役 at most 6 months; 3 years).
        cap = 6 if person.penalty == CRIMINAL_DETENTION else 36 if person.term <= 36 else person.term + 12
        term_max = min(cap, person.term + draw.int(1, 12))
        fixed = term_max == person.term
    return {
        "kind": (RecommendationKind.FIXED if fixed else RecommendationKind.RANGE).label,
        "penalty": person.penalty,
        "term_min": None if life else person.term,
        "term_max": None if life else term_max,
        "probation": person.probation,
        "fine": person.fine,
    }


def court_result(draw: Draws, person: Person, recommendation: dict | None, judged: date) -> dict:
    if draw.chance(0.002):
        return {
            "verdict": Verdict.NOT_GUILTY.label,
            "judgment_date": judged.isoformat(),
            "penalty": "",
            "term": None,
            "probation": False,
            "fine": None,
            "adopted": False if recommendation else None,
        }
    life = person.penalty == LIFE
    term = None if life else person.term
    adopted = None
    if recommendation:
        if not life and recommendation["term_max"] != recommendation["term_min"]:
            term = draw.int(recommendation["term_min"], recommendation["term_max"])
        adopted = draw.chance(0.955)
        if not life and (not adopted or draw.chance(0.005)):
            # A rejected recommendation gets another term; so do a few adopted ones (planted).
            term = max(1, term + draw.choice((-3, -2, -1, 1, 2)))
            if person.penalty == CRIMINAL_DETENTION:
                term = min(term, 6)
    return {
        "verdict": Verdict.GUILTY.label,
        "judgment_date": judged.isoformat(),
        "penalty": person.penalty,
        "term": term,
        "probation": person.probation,
        "fine": person.fine,
        "adopted": adopted,
    }

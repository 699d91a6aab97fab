"""Synthetic exchange-format cases for the demo procuratorates (`bihuan gencases`).

Records stream one matter at a time: memory holds only the per-organisation number counters,
so a million cases take as much memory as a thousand. The same seed gives the same records;
nothing depends on today: the two years of received dates end at `start` (default
`DEFAULT_START`), and the cases still running on that day are open at a stage.

A matter starts either with an arrest review (审查逮捕, suspects detained), followed in part of
the matters by its prosecution review (审查起诉), or directly with a prosecution review; the
stages share the 统一受案号. Periods follow domain-rules §7.2: arrest review 7 days (CPL 91),
prosecution review 1 month (CPL 172) or 10/15 days under 速裁 (Rule 273), each 退回补充侦查
at most 1 month and at most twice, the review restarting on re-receipt (CPL 175), and 15 days
of extension.

Planted problems, for the patrol engine to find (rates roughly):
- a case closed after its statutory period (≈ 2 % of cases: an arrest review past 7 days, a
  prosecution review past its due date);
- a minor's case under 速裁 although Rule 438 forbids it (≈ 3 % of the minors' cases that
  would otherwise qualify);
- a court result marked as adopting the recommendation with a different term (≈ 0.5 % of
  judged defendants with a recommendation);
- an 起诉书 whose text disagrees with the card (≈ 1 % of 起诉书): the first defendant's birth
  date, the recommended terms, or the 移送起诉 date.
"""

import bisect
import json
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from importlib import resources

from bihuan.cases.choices import (
    BUSINESS_ABBREVIATION,
    CaseType,
    LinkKind,
    MeasureKind,
    Outcome,
    Procedure,
    RiskLevel,
    Stage,
    Track,
)
from bihuan.documents.models import DocumentKind
from bihuan.exchange import gen_data as data
from bihuan.exchange.gen_org import Org, city_floor
from bihuan.exchange.gen_people import (
    LIFE,
    Draws,
    Person,
    Weighted,
    court_result,
    facts,
    identify,
    plan_sentence,
    recommend,
)
from bihuan.exchange.gen_text import (
    CUSTODIAL,
    Defendant,
    Indictment,
    cn_int,
    custody_now,
    indictment_text,
    measure_sentence,
    recommendation_clause,
)
from bihuan.lib.periods import add_months
from bihuan.orgs.demo import CRIMINAL, DEMO_ORGS

FORMAT = "bihuan.case/1"
DEFAULT_START = date(2026, 11, 1)
SPAN_DAYS = 730
DAY = timedelta(days=1)

DETENTION, ARREST, BAIL = MeasureKind.DETENTION.label, MeasureKind.ARREST.label, MeasureKind.BAIL.label
RESIDENCE, LIUZHI = MeasureKind.RESIDENCE.label, MeasureKind.LIUZHI.label
FAST, SIMPLIFIED, ORDINARY = Procedure.FAST.label, Procedure.SIMPLIFIED.label, Procedure.ORDINARY.label
SIMPLE, COMPLEX = Track.SIMPLE.label, Track.COMPLEX.label
PROSECUTE = Outcome.PROSECUTE.label
NP_DISCRETIONARY, NP_EVIDENCE = Outcome.NP_DISCRETIONARY.label, Outcome.NP_EVIDENCE.label
NP_CONDITIONAL = Outcome.NP_CONDITIONAL.label
APPROVED, REFUSED = Outcome.ARREST_APPROVED.label, Outcome.ARREST_REFUSED.label
NP_KINDS = Weighted(
    [
        (NP_DISCRETIONARY, 0.70),
        (NP_EVIDENCE, 0.20),
        (Outcome.NP_STATUTORY.label, 0.06),
        (NP_CONDITIONAL, 0.04),  # minors only (CPL 282); others get 相对不起诉
    ]
)
RELEASED_BY = frozenset(NP_KINDS.items) | {Outcome.OTHER.label}
RECEIVED, ASSIGNED, REVIEWING = Stage.RECEIVED.label, Stage.ASSIGNED.label, Stage.REVIEWING.label
CONCLUDED, ARCHIVED, RETURNED = Stage.CONCLUDED.label, Stage.ARCHIVED.label, Stage.RETURNED.label
SUPPLEMENTARY, APPEAL = LinkKind.SUPPLEMENTARY_INVESTIGATION.label, LinkKind.APPEAL.label
INDICTMENT = DocumentKind.INDICTMENT.label
LOW, MEDIUM, HIGH = RiskLevel.LOW.label, RiskLevel.MEDIUM.label, RiskLevel.HIGH.label


@cache
def charge_articles() -> dict[str, str]:
    """The article of each charge name, from the shipped charge catalogue."""
    raw = resources.files("bihuan.cases").joinpath("data/charges.json").read_text(encoding="utf-8")
    return {c["name"]: c["article"] for c in json.loads(raw)}


class Matter:
    """What the stages of one matter share."""

    __slots__ = ("profile", "org", "agency", "supervision", "people", "facts", "tags", "serious")

    def __init__(self, profile, org, agency, supervision, people, facts, tags, serious) -> None:
        self.profile, self.org, self.agency, self.supervision = profile, org, agency, supervision
        self.people, self.facts, self.tags, self.serious = people, facts, tags, serious


class Generator:
    """Builds matters one after another; see the module docstring."""

    def __init__(self, seed: int, start: date) -> None:
        self.draw = Draws(seed)
        self.start = start
        self.first_day = start - timedelta(days=SPAN_DAYS)
        self.orgs = {d.code: Org(d) for d in DEMO_ORGS if d.code in data.COURTS}
        self.city = next(d.code for d in DEMO_ORGS if d.level == "city")
        self.counties = Weighted(data.COUNTY_WEIGHTS)
        self.charges = Weighted([(c, c.weight) for c in data.CHARGES])
        self.city_floor = city_floor(data.CHARGES, data.CITY_SHARE)
        self.articles = charge_articles()
        self.counters: dict[tuple, int] = {}

    def records(self, count: int) -> Iterator[dict]:
        emitted = 0
        while emitted < count:
            # Received dates advance with the stream, so case numbers follow them within a year.
            anchor = self.first_day + timedelta(days=emitted * SPAN_DAYS // count)
            for record in self._matter(anchor):
                yield record
                emitted += 1
                if emitted == count:
                    return

    #
    # Numbers
    #

    def _next(self, key: tuple) -> int:
        self.counters[key] = value = self.counters.get(key, 0) + 1
        return value

    def _dept_case_no(self, org: Org, case_type: CaseType, year: int) -> str:
        business = BUSINESS_ABBREVIATION[case_type]
        return f"{org.short}检{business}受[{year}]{org.code}{self._next((org.code, business, year)):06d}号"

    def _unified_case_no(self, org: Org, year: int) -> str:
        return f"{org.code}{year}{self._next((org.code, 'tysah', year)):07d}"

    #
    # Matters
    #

    def _matter(self, anchor: date) -> list[dict]:
        draw = self.draw
        profile = draw.pick(self.charges)
        size = 1 + bisect.bisect(_cumulative(profile.group), draw.random())
        people = [plan_sentence(draw, profile) for _ in range(size)]
        serious = any(p.penalty == LIFE or p.term >= 120 for p in people)
        city = serious or draw.chance(max(profile.city, self.city_floor))
        org = self.orgs[self.city if city else draw.pick(self.counties)]
        supervision = profile.name in data.SUPERVISION_CHARGES
        agency = data.SUPERVISION_AGENCY if supervision else draw.choice(org.agencies)
        custody = draw.chance(profile.custody)
        if custody:
            detained = anchor - timedelta(days=_police_days(draw))
            offence = detained - draw.days(*profile.lag)
        else:
            first = anchor - (draw.days(20, 90) if profile.lag[1] < 5 else draw.days(10, 120))
            offence = first - draw.days(*profile.lag)
        taken: set[str] = set()
        for seq, person in enumerate(people, 1):
            identify(draw, person, seq, profile, offence, org.home, taken)
        tags = {tag for tag, share in profile.tags if draw.chance(share)}
        if any(p.minor for p in people):
            tags.add(data.MINOR_TAG)
        if draw.chance(0.003):
            tags.add(data.SENSITIVE)
        text = facts(draw, profile, people, offence, draw.choice(org.scenes))
        matter = Matter(profile, org, agency, supervision, people, text, sorted(tags), serious)
        unified = self._unified_case_no(org, anchor.year)
        if not custody:
            for person in people:
                person.measures = self._measures_before(matter, first, anchor)
            return [self._prosecution_review(matter, anchor, unified)]

        close = anchor + (draw.days(2, 7) if not draw.chance(0.02) else draw.days(8, 10))
        approved = draw.chance(0.75)
        for person in people:
            person.approved = approved and (person.seq == 1 or draw.chance(0.9))
            person.measures = [[DETENTION, agency, detained, close, org.centre]]
            if person.approved:
                person.measures.append([ARREST, org.name, close, None, org.centre])
            else:
                person.measures.append([BAIL, agency, close, None, ""])
        received = close + (draw.days(25, 60) if approved else draw.days(30, 150))
        if received > self.start or not draw.chance(0.45 if approved else 0.15):
            return [self._arrest_review(matter, unified, anchor, close, approved)]
        for person in people:
            last = person.measures[-1]
            if last[0] == BAIL:
                last[3] = received - DAY
                person.measures.append([BAIL, org.name, received, None, ""])
        # The later stage settles the measures that both cards show, so it is built first.
        prosecution = self._prosecution_review(matter, received, unified)
        return [self._arrest_review(matter, unified, anchor, close, approved), prosecution]

    def _measures_before(self, matter: Matter, first: date, received: date) -> list[list]:
        """The measures a suspect is under when a case is transferred for prosecution."""
        draw = self.draw
        org, agency = matter.org, matter.agency
        if matter.supervision:
            # CPL 170: 留置 ends, the procuratorate detains first, then decides on arrest.
            held = received + draw.days(3, 7)
            return [
                [LIUZHI, agency, first, received - DAY, ""],
                [DETENTION, org.name, received, held, org.centre],
                [ARREST, org.name, held, None, org.centre],
            ]
        share = draw.random()
        detained = first + draw.days(3, 7)
        arrestable = matter.profile.custody > 0
        if share < 0.8 or (not arrestable and share < 0.9):
            return [[BAIL, agency, first, received - DAY, ""], [BAIL, org.name, received, None, ""]]
        if share < 0.9 or not arrestable:
            return [
                [DETENTION, agency, first, detained, org.centre],
                [BAIL, agency, detained, received - DAY, ""],
                [BAIL, org.name, received, None, ""],
            ]
        if share < 0.97:
            return [[DETENTION, agency, first, detained, org.centre], [ARREST, org.name, detained, None, org.centre]]
        return [[RESIDENCE, agency, first, received - DAY, ""], [RESIDENCE, org.name, received, None, ""]]

    #
    # Stages
    #

    def _assign(self, org: Org, fast: bool):
        return self.draw.choice(org.fast if fast and self.draw.chance(0.85) else org.ordinary)

    def _open_stage(self, received: date, restarted: date, close: date) -> str:
        waited = (self.start - received).days
        if waited <= 1:
            return RECEIVED
        if waited <= 3:
            return ASSIGNED
        progress = (self.start - restarted).days / max(1, (close - restarted).days)
        if progress < 0.7:
            return REVIEWING
        if progress < 0.82:
            return Stage.PROPOSED.label
        return Stage.DEPT_REVIEW.label if progress < 0.92 else Stage.APPROVAL.label

    def _closed_stage(self, close: date) -> str:
        return ARCHIVED if (self.start - close).days > 180 and self.draw.chance(0.7) else CONCLUDED

    def _arrest_review(self, matter: Matter, unified: str, received: date, close: date, approved: bool) -> dict:
        draw = self.draw
        org = matter.org
        concluded = close <= self.start
        stage = self._closed_stage(close) if concluded else self._open_stage(received, received, close)
        prosecutor = None if stage == RECEIVED else self._assign(org, False)
        cutoff = close if concluded else self.start
        suspects = []
        for person in matter.people:
            outcome = (APPROVED if person.approved else REFUSED) if concluded else ""
            suspects.append(self._suspect(person, cutoff, outcome, None, None, None))
        links = []
        if concluded and not approved and draw.chance(0.04):
            asked = close + draw.days(1, 5)
            if asked <= self.start:
                answered = asked + draw.days(2, 7)  # Rule 290: decided within 7 days
                if answered > self.start:
                    answered = None
                links.append(
                    _link(LinkKind.NO_ARREST_RECONSIDERATION.label, 1, asked, answered, org.chief, "公安机关要求复议")
                )
        track = "" if prosecutor is None else (SIMPLE if draw.chance(0.6) else COMPLEX)
        outcome = (APPROVED if approved else REFUSED) if concluded else ""
        return self._record(
            matter, CaseType.ARREST_REVIEW, unified, prosecutor, received, ORDINARY, track, matter.serious,
            stage, outcome, close if concluded else None, suspects, links, [],
        )  # fmt: skip

    def _procedure(self, matter: Matter) -> str:
        """速裁 needs a plea from everyone and a likely sentence of at most 3 years, and is barred
        for minors (Rule 437–438); 简易 needs the facts admitted (CPL 214)."""
        draw = self.draw
        people = matter.people
        if matter.serious or matter.supervision:
            return ORDINARY
        pleas = all(p.plea for p in people)
        if pleas and all(p.term <= 36 for p in people) and (not any(p.minor for p in people) or draw.chance(0.03)):
            share = draw.random()
            if share < data.FAST_SHARE:
                return FAST
            return SIMPLIFIED if share < data.FAST_SHARE + 0.36 else ORDINARY
        if pleas or draw.chance(0.25):
            return SIMPLIFIED if draw.chance(0.55) else ORDINARY
        return ORDINARY

    def _review_dates(self, people: list[Person], received: date, procedure: str):
        """Returns, extension and closing date of a prosecution review, before truncation at `start`.
        Only ordinary-procedure or several-suspect cases are extended as 重大、复杂."""
        draw = self.draw
        late = draw.chance(0.02)
        if procedure == FAST:
            limit = 15 if any(p.term > 12 for p in people) else 10
            close = received + (draw.days(limit + 1, limit + 5) if late else draw.days(3, limit))
            return [], None, received, close
        restarted = received
        returns: list[tuple[date, date]] = []
        times = 0
        if draw.chance(data.RETURN_SHARE):
            times = 2 if draw.chance(0.18) else 1
        for _ in range(times):
            returned = restarted + draw.days(10, 28)
            back = min(returned + draw.days(10, 31), add_months(returned, 1))
            returns.append((returned, back))
            restarted = back
        due = add_months(restarted, 1)
        extension = None
        if (procedure == ORDINARY or len(people) > 1) and draw.chance(data.EXTENSION_SHARE):
            extension = (due + DAY, due + timedelta(days=15))
            due = extension[1]
        if late:
            close = due + draw.days(1, 10)
        elif extension:
            close = extension[0] + draw.days(0, 14)
        else:
            close = restarted + draw.days(8, (due - restarted).days)
        return returns, extension, restarted, close

    def _prosecution_review(self, matter: Matter, received: date, unified: str) -> dict:
        draw = self.draw
        org, people, start = matter.org, matter.people, self.start
        procedure = self._procedure(matter)
        fast = procedure == FAST
        returns, extension, restarted, close = self._review_dates(people, received, procedure)
        concluded = close <= start
        outcome = self._outcome(matter, len(returns)) if concluded else ""
        stage = self._closed_stage(close) if concluded else self._open_stage(received, restarted, close)
        links = []
        away = False
        for seq, (returned, back) in enumerate(returns, 1):
            if returned > start:
                break
            away = back > start
            links.append(_link(SUPPLEMENTARY, seq, returned, None if away else back, org.head, "事实不清、证据不足"))
            if away:
                stage = RETURNED
                break
        if extension and extension[0] <= start and not away:
            links.append(_link(LinkKind.EXTENSION.label, 1, extension[0], extension[1], org.chief, "案件重大、复杂"))
        prosecutor = None if stage == RECEIVED else self._assign(org, fast)
        cutoff = close if concluded else start

        judged = None
        if outcome == PROSECUTE:
            wait = draw.days(5, 15) if fast else draw.days(15, 45) if procedure == SIMPLIFIED else draw.days(30, 100)
            if close + wait <= start and draw.chance(0.9):
                judged = close + wait
        suspects = []
        defendants = []
        for person in people:
            person_outcome = outcome
            if outcome == PROSECUTE and person.seq > 1 and draw.chance(0.1):
                person_outcome = NP_DISCRETIONARY
            signed = None
            if person.plea:
                signed = close - draw.days(0, min(7, (close - restarted).days))
                if signed > start:
                    signed = None
            recommendation = court = None
            if person_outcome == PROSECUTE:
                recommendation = recommend(draw, person)
                defendants.append((person, recommendation, signed is not None))
                if judged:
                    court = court_result(draw, person, recommendation, judged)
            self._settle_measures(person, received, close, concluded, person_outcome, signed, court)
            suspects.append(self._suspect(person, cutoff, person_outcome, signed, recommendation, court))
            if court and judged + timedelta(days=10) <= start and draw.chance(0.06):
                appealed = judged + draw.days(1, 10)
                appeals = sum(link["kind"] == APPEAL for link in links)
                links.append(_link(APPEAL, appeals + 1, appealed, None, "", "被告人不服一审判决", person.seq))
        if outcome in NP_KINDS.items and close + timedelta(days=7) <= start and draw.chance(0.01):
            complained = close + draw.days(1, 7)
            links.append(_link(LinkKind.NP_COMPLAINT.label, 1, complained, None, "", "被害人不服不起诉决定"))
        documents = []
        if defendants:
            documents.append(self._indictment(matter, received, returns, extension, close, prosecutor, defendants))
        if fast or (procedure == SIMPLIFIED and all(p.plea for p in people)):
            track = SIMPLE if draw.chance(0.92) else COMPLEX
        else:
            track = COMPLEX if draw.chance(0.75) else SIMPLE
        if extension:
            track = COMPLEX
        if prosecutor is None:
            track = ""
        major = matter.serious or extension is not None or (track == COMPLEX and draw.chance(0.2))
        return self._record(
            matter, CaseType.PROSECUTION_REVIEW, unified, prosecutor, received, procedure, track, major, stage,
            outcome, close if concluded else None, suspects, links, documents,
        )  # fmt: skip

    def _outcome(self, matter: Matter, returns: int) -> str:
        draw = self.draw
        if returns == 2 and draw.chance(0.3):
            return NP_EVIDENCE  # CPL 175(4): evidence still insufficient after two returns
        share = draw.random() / (4 if matter.serious else 1)
        if share < 0.80:
            return PROSECUTE
        if share < 0.95:
            kind = draw.pick(NP_KINDS)
            if kind == NP_CONDITIONAL and not any(p.minor for p in matter.people):
                return NP_DISCRETIONARY
            return kind
        return Outcome.TRANSFERRED.label if share < 0.97 else Outcome.OTHER.label

    def _settle_measures(self, person: Person, received, close, concluded, outcome, signed, court) -> None:
        """End the running measure as the case goes: custody reviewed after a plea, release on
        不起诉, the end of bail or of custody on a suspended sentence at judgment."""
        last = person.measures[-1]
        if last[3] is not None or last[2] > close:
            return
        begin = max(received, last[2])
        span = (close - begin).days
        if last[0] == ARREST and signed and span >= 6 and self.draw.chance(0.1):
            # Rule 270: custody is reviewed after a plea; the suspect is released on bail.
            changed = begin + self.draw.days(2, span - 2)
            last[3] = changed
            last = [BAIL, last[1], changed, None, ""]
            person.measures.append(last)
        if not concluded:
            return
        if outcome in RELEASED_BY:
            last[3] = close
        elif court and (court["probation"] or last[0] not in CUSTODIAL):
            last[3] = date.fromisoformat(court["judgment_date"])

    def _suspect(self, person: Person, cutoff: date, outcome: str, signed, recommendation, court) -> dict:
        start = self.start
        measures = [
            {
                "kind": kind,
                "deciding_body": body,
                "start_date": begin.isoformat(),
                "end_date": None if end is None or end > start else end.isoformat(),
                "place": place,
            }
            for kind, body, begin, end, place in person.measures
            if begin <= cutoff
        ]
        charges = [{"name": person.charges[0], "main": True}]
        charges += [{"name": name, "main": False} for name in sorted(person.charges[1:])]
        return {
            "seq": person.seq,
            "name": person.name,
            "former_name": "",
            "alias": "",
            "gender": person.gender,
            "birth_date": person.birth.isoformat(),
            "id_number": person.id_number,
            "ethnicity": person.ethnicity,
            "education": person.education,
            "occupation": person.occupation,
            "employer": person.employer,
            "household_address": person.household,
            "address": person.address,
            "minor": person.minor,
            "prior_record": person.prior,
            "charges": charges,
            "outcome": outcome,
            "plea": signed is not None,
            "plea_signed_date": signed.isoformat() if signed else None,
            "sentencing_recommendation": recommendation,
            "court_result": court,
            "measures": measures,
        }

    def _indictment(self, matter: Matter, received, returns, extension, close, prosecutor, defendants) -> dict:
        draw = self.draw
        org = matter.org
        number = f"{org.short}检刑诉〔{close.year}〕{self._next((org.code, 'qss', close.year))}号"
        plant = draw.choice(("birth", "term", "received")) if draw.chance(0.01) else ""
        printed = []
        for person, recommendation, plea in defendants:
            birth = person.birth
            if plant == "birth" and person is defendants[0][0]:
                birth -= draw.days(1, 40)
            printed.append(
                Defendant(
                    person.name, person.gender, birth, person.id_number, person.ethnicity, person.education,
                    person.occupation, person.household, person.address, person.prior,
                    measure_sentence(person.measures, matter.profile.name, org.name, matter.supervision, close),
                    custody_now(person.measures, close), plea,
                    recommendation_clause(person.name, recommendation, 2 if plant == "term" else 0),
                )
            )  # fmt: skip
        text = indictment_text(
            Indictment(
                org.name, number, matter.agency, matter.supervision, matter.profile.name,
                self.articles[matter.profile.name],
                received - draw.days(1, 5) if plant == "received" else received,
                received + draw.days(1, 3), extension, tuple(returns), matter.facts, matter.profile.conduct,
                "{victim}" in matter.profile.fact, tuple(printed),
                data.MIDDLE_COURT if matter.serious else org.court, prosecutor.full_name,
                org.assistants.get(prosecutor.team, ""), close,
            )
        )  # fmt: skip
        return {"kind": INDICTMENT, "number": number, "title": "起诉书", "signed_date": close.isoformat(), "text": text}

    def _record(
        self, matter: Matter, case_type: CaseType, unified, prosecutor, received: date, procedure, track, major,
        stage, outcome, closed, suspects, links, documents,
    ) -> dict:  # fmt: skip
        org = matter.org
        people = matter.people
        who = f"{people[0].name}等{cn_int(len(people))}人" if len(people) > 1 else people[0].name
        if matter.serious or not data.HIGH_RISK_TAGS.isdisjoint(matter.tags):
            risk = HIGH
        elif self.draw.chance(0.45 if any(m[0] in CUSTODIAL for p in people for m in p.measures) else 0.08):
            risk = MEDIUM
        else:
            risk = LOW
        links.sort(key=_link_order)
        return {
            "format": FORMAT,
            "dept_case_no": self._dept_case_no(org, case_type, received.year),
            "unified_case_no": unified,
            "name": f"{who}{data.CASE_LABELS.get(matter.profile.name, matter.profile.name[:-1])}案",
            "case_type": case_type.label,
            "org_code": org.code,
            "department": CRIMINAL,
            "team": prosecutor.team if prosecutor else None,
            "prosecutor": prosecutor.username if prosecutor else None,
            "source_agency": matter.agency,
            "charge": matter.profile.name,
            "received_date": received.isoformat(),
            "procedure": procedure,
            "track": track,
            "risk_level": risk,
            "major_complex": major,
            "tags": matter.tags,
            "stage": stage,
            "outcome": outcome,
            "closed_date": closed.isoformat() if closed else None,
            "summary": matter.facts,
            "suspects": suspects,
            "links": links,
            "documents": documents,
        }


@cache
def _cumulative(weights: tuple[float, ...]) -> list[float]:
    total = sum(weights)
    running, out = 0.0, []
    for weight in weights[:-1]:
        running += weight
        out.append(running / total)
    return out


def _police_days(draw: Draws) -> int:
    """Days from 刑事拘留 to the request for arrest (CPL 91: 3, up to 7, for gangs up to 30)."""
    share = draw.random()
    if share < 0.7:
        return draw.int(1, 3)
    return draw.int(4, 7) if share < 0.95 else draw.int(8, 30)


def _link(kind: str, seq: int, start: date, end: date | None, approver: str, note: str, suspect=None) -> dict:
    return {
        "kind": kind,
        "seq": seq,
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
        "approver": approver,
        "note": note,
        "suspect_seq": suspect,
    }


def _link_order(link: dict) -> tuple:
    return link["start_date"], link["kind"], link["seq"]


def generate_records(count: int, seed: int, *, start: date | None = None) -> Iterator[dict]:
    """Yield `count` exchange-format records in canonical key order, for the demo procuratorates,
    received over the two years before `start` (default `DEFAULT_START`)."""
    return Generator(seed, start or DEFAULT_START).records(count)


_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(record: dict) -> str:
    """One line of the exchange file (the canonical `json.dumps` form, with one shared encoder)."""
    return _encoder.encode(record)

#!/usr/bin/env python3
"""Recompute one month's scorecards from the raw records of a Jixiao SQLite database.

An independent check of the Rust engine: this script reads only the raw tables (calls, surveys,
qa_reviews, findings, employees, teams, memberships, business_types, department_rules,
kpi_thresholds) and
applies the definitions of docs/KPIS.md with Python's decimal module. It shares no code with
Jixiao. Besides the scored KPIs it recomputes the library KPIs it can (AHT, ASA, service level,
transfer rate, FCR, CSAT, QA) with their numerators and denominators, and, with --compare, the
center's saved queue measures (offered, abandoned, short abandons, answered within the service
level, first-contact resolution) behind the overview's tiles. Active findings (fairness
workflows) count as the library KPIs complaints_upheld and journey_findings, in the team of the
finding's date; a scheme item of weight 0 with a deduction-per-event rule takes its points off
the total (docs/KPIS.md, "Deductions").

    python3 scripts/recompute.py jixiao.db 2026-09            # one JSON line per segment
    python3 scripts/recompute.py jixiao.db 2026-09 --compare  # also diff against card_json

With --compare, every difference from the stored scorecards is printed to stderr and the exit
status is 1 if there is any. Standard library only, so CI needs nothing installed.
"""

import argparse
import bisect
import calendar
import datetime
import decimal
import json
import pathlib
import sqlite3
import sys
from collections import defaultdict
from decimal import Decimal

# Scaled integers, as the SQLite schema stores them (see migrations/sqlite/0001_init.sql).
COEFFICIENT_SCALE = 4
MONEY_SCALE = 2
QA_SCALE = 2

HANDLED_OUTCOMES = ("answered", "transferred")
# The documented defaults, used when the database has no kpi_thresholds row.
DEFAULT_THRESHOLDS = {"service_level_secs": 20, "short_abandon_secs": 5, "repeat_window_days": 7}
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

decimal.getcontext().prec = 60


def round2(v):
    """Half away from zero (四舍五入) to two decimals."""
    return v.quantize(CENT, rounding=decimal.ROUND_HALF_UP)


def unscale(v, scale):
    return Decimal(v).scaleb(-scale)


def period_bounds(period):
    year, month = (int(x) for x in period.split("-"))
    days = calendar.monthrange(year, month)[1]
    first = datetime.date(year, month, 1)
    return first, datetime.date(year, month, days), days


class Segment:
    """Summed numerators and denominators of one employee in one team."""

    def __init__(self):
        self.days = 0
        self.handled_by_type = defaultdict(int)
        self.handle_secs = 0
        self.transferred = 0
        self.wait_answered = 0
        self.within_threshold = 0
        self.resolved = 0
        self.repeats = 0
        self.answers = 0
        self.top2 = 0
        self.reviews = 0
        self.qa_sum = Decimal(0)
        self.complaints_upheld = 0
        self.journey_findings = 0


def load_memberships(db, first, last):
    rows = db.execute(
        "SELECT employee_id, team_id, valid_from, valid_to FROM memberships"
    ).fetchall()
    by_employee = defaultdict(list)
    for employee_id, team_id, valid_from, valid_to in rows:
        start = datetime.date.fromisoformat(valid_from)
        end = datetime.date.fromisoformat(valid_to) if valid_to else None
        by_employee[employee_id].append((team_id, start, end))
    segments = defaultdict(Segment)
    for employee_id, spans in by_employee.items():
        for team_id, start, end in spans:
            lo, hi = max(start, first), min(end or last, last)
            if hi >= lo:
                segments[(employee_id, team_id)].days += (hi - lo).days + 1
    return by_employee, segments


def teams_on(by_employee, employee_id, date_text):
    """Every team whose membership covers the date (valid_from and valid_to inclusive)."""
    date = datetime.date.fromisoformat(date_text)
    return [
        team
        for team, start, end in by_employee.get(employee_id, ())
        if start <= date and (end is None or date <= end)
    ]


def thresholds(db):
    """The kpi_thresholds row as a dict, else the documented defaults."""
    try:
        row = db.execute(
            "SELECT service_level_secs, short_abandon_secs, repeat_window_days "
            "FROM kpi_thresholds WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # a database from before the table existed
        row = None
    return dict(zip(DEFAULT_THRESHOLDS, row)) if row else dict(DEFAULT_THRESHOLDS)


def stamp(text):
    return datetime.datetime.fromisoformat(text)


def repeat_finder(db, window_days):
    """A function telling whether a contact of `customer` at `started` (text) is followed, within
    the window (end included), by any later contact of the same customer, of any outcome and
    in any period: a repeat, so not resolved at first contact."""
    times = defaultdict(list)
    for customer, started in db.execute(
            "SELECT customer_id, started_at FROM calls "
            "WHERE customer_id IS NOT NULL AND customer_id <> ''"):
        times[customer].append(stamp(started))
    for v in times.values():
        v.sort()
    window = datetime.timedelta(days=window_days)

    def repeated(customer, started):
        t = stamp(started)
        later = times[customer][bisect.bisect_right(times[customer], t):]
        return bool(later) and later[0] <= t + window
    return repeated


def tally(db, period, first, last, by_employee, segments):
    """Adds every record dated in the period to the segment of the team on its date."""
    warn_mismatched_period(db, period, first, last)
    span = (first.isoformat(), last.isoformat())
    th = thresholds(db)
    threshold = th["service_level_secs"]
    repeated = repeat_finder(db, th["repeat_window_days"])
    calls = db.execute(
        "SELECT employee_id, date, business_type, outcome, wait_secs, talk_secs, hold_secs, "
        "acw_secs, customer_id, started_at FROM calls "
        "WHERE date BETWEEN ? AND ? AND employee_id IS NOT NULL",
        span,
    )
    for employee_id, date, btype, outcome, wait, talk, hold, acw, customer, started in calls:
        if outcome not in HANDLED_OUTCOMES:
            continue
        repeat = repeated(customer, started) if customer else None
        for team in teams_on(by_employee, employee_id, date):
            s = segments[(employee_id, team)]
            s.handled_by_type[btype] += 1
            s.handle_secs += talk + hold + acw
            s.transferred += 1 if outcome == "transferred" else 0
            s.wait_answered += wait
            s.within_threshold += 1 if wait <= threshold else 0
            if repeat is not None:
                s.repeats += 1 if repeat else 0
                s.resolved += 0 if repeat else 1
    surveys = db.execute(
        "SELECT employee_id, date, score FROM surveys WHERE date BETWEEN ? AND ?", span
    )
    for employee_id, date, score in surveys:
        for team in teams_on(by_employee, employee_id, date):
            s = segments[(employee_id, team)]
            s.answers += 1
            s.top2 += 1 if score >= 4 else 0
    reviews = db.execute(
        "SELECT employee_id, date, score, critical_failure FROM qa_reviews "
        "WHERE date BETWEEN ? AND ?",
        span,
    )
    for employee_id, date, score, critical in reviews:
        for team in teams_on(by_employee, employee_id, date):
            s = segments[(employee_id, team)]
            s.reviews += 1
            s.qa_sum += Decimal(0) if critical else unscale(score, QA_SCALE)
    tally_findings(db, period, by_employee, segments)


def tally_findings(db, period, by_employee, segments):
    """Active findings counted in the period (their `period` column, the survey or decision
    day's month), in the team the employee belonged to on the finding's date."""
    try:
        rows = db.execute(
            "SELECT employee_id, date, origin FROM findings "
            "WHERE period = ? AND status = 'active'", (period,)).fetchall()
    except sqlite3.OperationalError:  # a database from before the fairness workflows
        rows = []
    for employee_id, date, origin in rows:
        for team in teams_on(by_employee, employee_id, date):
            s = segments[(employee_id, team)]
            if origin == "complaint":
                s.complaints_upheld += 1
            elif origin == "survey":
                s.journey_findings += 1


def warn_mismatched_period(db, period, first, last):
    for table in ("calls", "surveys", "qa_reviews"):
        (n,) = db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE (period = ?) <> (date BETWEEN ? AND ?)",
            (period, first.isoformat(), last.isoformat()),
        ).fetchone()
        if n:
            print(f"warning: {n} {table} rows whose period column disagrees with their date",
                  file=sys.stderr)


def ratio(num, den, scale=Decimal(1)):
    return None if den == 0 else round2(Decimal(num) * scale / Decimal(den))


def kpi_values(s, coefficients):
    handled = sum(s.handled_by_type.values())
    points = sum(
        (n * coefficients.get(t, Decimal(0)) for t, n in s.handled_by_type.items()),
        Decimal(0),
    )
    return {
        # Numerator and denominator of every KPI, as the explanation page and the roll-ups use them.
        "fractions": {
            "handled": (Decimal(handled), Decimal(1)),
            "points": (points, Decimal(1)),
            "aht": (Decimal(s.handle_secs), Decimal(handled)),
            "csat": (Decimal(s.top2), Decimal(s.answers)),
            "qa": (s.qa_sum, Decimal(s.reviews)),
        },
        # The points lines: handled and points per business type.
        "lines": {
            t: (n, n * coefficients.get(t, Decimal(0)))
            for t, n in s.handled_by_type.items() if n
        },
        "handled": Decimal(handled),
        "points": points,
        "aht": ratio(s.handle_secs, handled),
        "csat": ratio(s.top2, s.answers, HUNDRED),
        "qa": ratio(s.qa_sum, s.reviews),
        "library": library_values(s, handled),
    }


def library_values(s, handled):
    """The library KPIs this script recomputes: code -> (numerator, denominator, value).

    Service level is a queue KPI: no agent is offered calls (an abandoned call has no agent),
    so on a card its denominator, offered minus short abandons, is 0 and it has no data."""
    fractions = {
        "aht": (s.handle_secs, handled, Decimal(1)),
        "asa": (s.wait_answered, handled, Decimal(1)),
        "service_level": (s.within_threshold, 0, HUNDRED),
        "transfer_rate": (s.transferred, handled, HUNDRED),
        "fcr": (s.resolved, s.resolved + s.repeats, HUNDRED),
        "csat": (s.top2, s.answers, HUNDRED),
        "qa": (s.qa_sum, s.reviews, Decimal(1)),
        # Counts: the value is the count itself, over a denominator of 1.
        "complaints_upheld": (s.complaints_upheld, 1, Decimal(1)),
        "journey_findings": (s.journey_findings, 1, Decimal(1)),
    }
    return {code: (Decimal(n), Decimal(d), ratio(n, d, k))
            for code, (n, d, k) in fractions.items()}


def linear_score(value, floor, target):
    span = target - floor
    if span == 0:
        return HUNDRED if value >= target else Decimal(0)
    frac = min(max((value - floor) / span, Decimal(0)), Decimal(1))
    return round2(frac * HUNDRED)


def deduction(rule, events):
    """Points a deduction-per-event rule takes for `events`: points x events, at most the cap
    (and never more than 100)."""
    most = min(Decimal(rule["cap"]) if rule.get("cap") is not None else HUNDRED, HUNDRED)
    return round2(min(Decimal(rule["points"]) * max(events, Decimal(0)), most))


def item_code(item):
    """A scheme item (or stored KPI result) is named by its library KPI, else its `kpi`."""
    return item.get("library_kpi") or item["kpi"]


def score_card(s, scheme, unit_price, coefficients, period_days):
    values = kpi_values(s, coefficients)
    days = min(s.days, period_days)
    kpis = {}
    for item in scheme["items"]:
        code = item_code(item)
        floor, target = Decimal(item["floor"]), Decimal(item["target"])
        rule = item.get("scoring")
        if item.get("library_kpi"):
            value = values["library"][code][2]
        else:
            value = values[item["kpi"]]
        weight = Decimal(item["weight"])
        score = deducted = None
        if rule is None:
            if item["prorate"] and days < period_days:
                # Prorated bounds are rounded to 2 dp, as the engine does.
                f = Decimal(days) / Decimal(period_days)
                floor, target = round2(floor * f), round2(target * f)
            score = None if value is None else linear_score(value, floor, target)
        elif rule["kind"] == "deduction_per_event":
            if value is not None and weight == 0:
                deducted = deduction(rule, value)  # off the total, weighs nothing
            elif value is not None:
                score = round2(max(HUNDRED - deduction(rule, value), Decimal(0)))
        else:
            raise NotImplementedError(f"{code}: scoring rule {rule['kind']} is not recomputed")
        kpis[code] = {
            "value": value,
            "floor": floor,
            "target": target,
            "weight": weight,
            "score": score,
            "deducted": deducted,
        }
    with_data = sum((k["weight"] for k in kpis.values() if k["score"] is not None), Decimal(0))
    total = grade = None
    for k in kpis.values():
        k["effective_weight"] = (
            round2(k["weight"] * HUNDRED / with_data) if k["score"] is not None else None
        )
    if with_data:
        weighted = sum(
            (k["score"] * k["weight"] for k in kpis.values() if k["score"] is not None),
            Decimal(0),
        )
        deducted = sum((k["deducted"] for k in kpis.values() if k["deducted"] is not None),
                       Decimal(0))
        total = max(round2(weighted / with_data) - deducted, Decimal(0))
        bands = scheme["grades"]
        grade = next((b["grade"] for b in bands if total >= Decimal(b["min_score"])),
                     bands[-1]["grade"])
    return {
        "days": days,
        "handled": values["handled"],
        "points": values["points"],
        "aht": values["aht"],
        "csat": values["csat"],
        "qa": values["qa"],
        "total": total,
        "grade": grade,
        "rank": None,
        "pay": round2(values["points"] * unit_price),
        "kpis": kpis,
        "library": values["library"],
        "fractions": values["fractions"],
        "lines": values["lines"],
    }


def rank_in_teams(cards):
    """Competition ranking (1, 2, 2, 4) by total within each team; no total, no rank."""
    by_team = defaultdict(list)
    for key, card in cards.items():
        if card["total"] is not None:
            by_team[key[1]].append(card)
    for members in by_team.values():
        members.sort(key=lambda c: c["total"], reverse=True)
        for pos, card in enumerate(members):
            same = pos > 0 and card["total"] == members[pos - 1]["total"]
            card["rank"] = members[pos - 1]["rank"] if same else pos + 1


def recompute(db, period):
    first, last, period_days = period_bounds(period)
    by_employee, segments = load_memberships(db, first, last)
    tally(db, period, first, last, by_employee, segments)
    coefficients = {
        code: unscale(c, COEFFICIENT_SCALE)
        for code, c in db.execute("SELECT code, coefficient FROM business_types")
    }
    rules = {
        dep: (json.loads(scheme), unscale(price, MONEY_SCALE))
        for dep, scheme, price in db.execute(
            "SELECT department_id, scheme_json, unit_price FROM department_rules")
    }
    # A position's scheme within the department wins over the department's (migration 0020);
    # a position without its own unit price keeps the department's.
    positions = {
        (dep, pos): (json.loads(scheme), None if price is None else unscale(price, MONEY_SCALE))
        for dep, pos, scheme, price in db.execute(
            "SELECT department_id, position, scheme_json, unit_price FROM position_rules")
    }
    teams = {tid: (code, dep) for tid, code, dep in
             db.execute("SELECT id, code, department_id FROM teams")}
    employees = {eid: (no, pos.strip()) for eid, no, pos in
                 db.execute("SELECT id, employee_no, position FROM employees")}
    cards = {}
    for (employee_id, team_id), s in segments.items():
        team_code, dep = teams[team_id]
        if s.days == 0 or dep not in rules or employee_id not in employees:
            continue
        scheme, price = rules[dep]
        employee_no, position = employees[employee_id]
        if (dep, position) in positions:
            scheme, own_price = positions[(dep, position)]
            price = price if own_price is None else own_price
        cards[(employee_no, team_code)] = score_card(
            s, scheme, price, coefficients, period_days)
    rank_in_teams(cards)
    return cards


def text(v):
    return None if v is None else str(v)


def json_line(key, card):
    row = {"employee_no": key[0], "team": key[1], "days": card["days"]}
    for field in ("handled", "points", "aht", "csat", "qa", "total", "grade", "rank", "pay"):
        v = card[field]
        row[field] = v if field in ("grade", "rank") else text(v)
    row["handled"] = int(card["handled"])
    for code in ("asa", "service_level", "transfer_rate", "fcr", "complaints_upheld",
                 "journey_findings"):
        row[code] = text(card["library"][code][2])
    return json.dumps(row, ensure_ascii=False)


def stored_cards(db, period):
    rows = db.execute(
        "SELECT s.employee_no, t.code, s.card_json FROM scorecards s "
        "JOIN teams t ON t.id = s.team_id WHERE s.period = ?",
        (period,),
    )
    return {(no, team): json.loads(card) for no, team, card in rows}


def dec(v):
    return None if v is None else Decimal(str(v))


def differences(key, mine, stored):
    """Every number of the recomputed card that the stored card does not have."""
    out = []

    def check(field, ours, theirs):
        if ours != theirs:
            out.append(f"{key[0]}/{key[1]} {field}: stored {theirs}, recomputed {ours}")

    check("days", mine["days"], stored["days"])
    check("handled", mine["handled"], dec(stored["handled"]))
    check("points", mine["points"], dec(stored["points"]))
    check("total", mine["total"], dec(stored.get("total")))
    check("grade", mine["grade"], stored.get("grade"))
    check("rank", mine["rank"], stored.get("rank_in_team"))
    check("pay", mine["pay"], dec(stored["variable_pay"]))
    theirs = {item_code(k): k for k in stored["kpis"]}
    check("kpis", sorted(mine["kpis"]), sorted(theirs))
    for code, k in mine["kpis"].items():
        if code not in theirs:
            continue
        t = theirs[code]
        check(f"{code}.value", k["value"], dec(t["value"]["value"]))
        for f in ("floor", "target", "weight", "score", "effective_weight", "deducted"):
            check(f"{code}.{f}", k[f], dec(t.get(f)))
    # Numerators and denominators: every library KPI on newer cards, the scored ones on older.
    measured = {m["kpi"]: m["value"] for m in stored.get("measures", [])} or {
        code: t["value"] for code, t in theirs.items() if not t.get("library_kpi")}
    for code, value in measured.items():
        num, den = mine["fractions"][code]
        check(f"{code}.numerator", num, dec(value["numerator"]))
        check(f"{code}.denominator", den, dec(value["denominator"]))
    lines = {ln["business_type"]: (Decimal(ln["handled"]), dec(ln["points"]))
             for ln in stored.get("points_lines", []) if ln["handled"]}
    check("points_lines", mine["lines"], lines)
    # Library KPIs, with their parts; cards stored before the library have none to compare.
    library = {v["kpi"]: v for v in stored.get("library", [])}
    if library:
        for code, (num, den, value) in mine["library"].items():
            if code not in library:
                out.append(f"{key[0]}/{key[1]} library.{code}: not stored")
                continue
            v = library[code]
            check(f"library.{code}.numerator", num, dec(v["numerator"]))
            check(f"library.{code}.denominator", den, dec(v["denominator"]))
            check(f"library.{code}.value", value, dec(v.get("value")))
    return out


def center_measures(db, period):
    """The center's queue measures of the period, from every call, with or without an agent."""
    th = thresholds(db)
    repeated = repeat_finder(db, th["repeat_window_days"])
    m = defaultdict(int)
    for outcome, wait, customer, started in db.execute(
            "SELECT outcome, wait_secs, customer_id, started_at FROM calls WHERE period = ?",
            (period,)):
        if outcome in HANDLED_OUTCOMES + ("abandoned",):
            m["offered"] += 1
        if outcome == "abandoned":
            m["abandoned"] += 1
            m["short_abandoned"] += 1 if wait < th["short_abandon_secs"] else 0
        if outcome in HANDLED_OUTCOMES:
            m["answered"] += 1
            m["wait_secs_answered"] += wait
            m["answered_within_threshold"] += 1 if wait <= th["service_level_secs"] else 0
            if customer:
                key = "repeat_contacts" if repeated(customer, started) else "first_contact_resolved"
                m[key] += 1
    return m


def center_differences(db, period):
    """Differences between the recomputed center measures and those saved with the cards."""
    try:
        row = db.execute("SELECT totals_json FROM period_center_totals WHERE period = ?",
                         (period,)).fetchone()
    except sqlite3.OperationalError:  # a database from before the table existed
        row = None
    if row is None:
        return []
    saved = json.loads(row[0])
    ours = center_measures(db, period)
    return [f"center {name}: recomputed {ours[name]}, saved {saved.get(name)}"
            for name in sorted(ours)
            if Decimal(ours[name]) != Decimal(str(saved.get(name, 0)))]


def compare(db, period, cards):
    stored = stored_cards(db, period)
    problems = center_differences(db, period)
    for key in sorted(set(stored) - set(cards)):
        problems.append(f"{key[0]}/{key[1]}: stored but not recomputed")
    for key in sorted(set(cards) - set(stored)):
        problems.append(f"{key[0]}/{key[1]}: recomputed but not stored")
    for key in sorted(set(cards) & set(stored)):
        problems.extend(differences(key, cards[key], stored[key]))
    for p in problems:
        print(f"MISMATCH {p}", file=sys.stderr)
    print(f"compared {len(stored)} stored scorecards of {period} with {len(cards)} recomputed: "
          f"{len(problems)} mismatches", file=sys.stderr)
    return not problems and bool(stored)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("database", help="path of a Jixiao SQLite database file")
    ap.add_argument("period", help="the month, YYYY-MM")
    ap.add_argument("--compare", action="store_true",
                    help="diff against the stored scorecards; exit 1 on any mismatch")
    args = ap.parse_args()
    db = sqlite3.connect(pathlib.Path(args.database).resolve().as_uri() + "?mode=ro", uri=True)
    cards = recompute(db, args.period)
    for key in sorted(cards):
        print(json_line(key, cards[key]))
    if args.compare and not compare(db, args.period, cards):
        sys.exit(1)


if __name__ == "__main__":
    main()

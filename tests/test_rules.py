"""Week arithmetic of the Poortwachter timeline: day 1 is the first day of week 1."""

from __future__ import annotations

from datetime import date, timedelta

from pipeline.checks import law as rules
from pipeline.model import Calendar

FIRST = date(2025, 1, 6)


def test_first_day_is_week_one_and_day_seven_still_is():
    assert Calendar(FIRST).week_of(FIRST) == 1
    assert Calendar(FIRST).week_of(FIRST + timedelta(days=6)) == 1
    assert Calendar(FIRST).week_of(FIRST + timedelta(days=7)) == 2


def test_days_before_the_first_sick_day_fall_before_week_one():
    assert Calendar(FIRST).week_of(FIRST - timedelta(days=1)) == 0


def test_by_week_n_means_by_its_last_day():
    deadline = Calendar(FIRST).end_of_week(rules.WEEK_PLAN_VAN_AANPAK)
    assert deadline == date(2025, 3, 2)
    assert Calendar(FIRST).week_of(deadline) == 8
    assert Calendar(FIRST).week_of(deadline + timedelta(days=1)) == 9
    assert Calendar(FIRST).start_of_week(9) == deadline + timedelta(days=1)


def test_week_count_across_a_leap_day():
    first = date(2024, 2, 26)
    assert Calendar(first).week_of(date(2024, 3, 3)) == 1  # 29 February is inside week 1
    assert Calendar(first).week_of(date(2024, 3, 4)) == 2
    assert Calendar(first).end_of_week(104) == date(2026, 2, 22)


# --- the rules module: every rule has its key, severity and source ----------------------------------

import re  # noqa: E402

from pipeline import model as m  # noqa: E402
from pipeline.checks import timeline  # noqa: E402
from pipeline.errors import Severity  # noqa: E402

from .conftest import ROOT  # noqa: E402

SOURCE = re.compile(r"seeds? \d{3}|Regeling procesgang art\. \d|[Bb]eoordelingskader|contract versie 2|domain brief")


def test_every_rule_has_a_contract_key_a_severity_and_a_source():
    assert len(timeline.RULES) >= 25
    for rule in timeline.RULES:
        assert isinstance(rule.key, m.RuleKey), rule.name
        assert rule.severity in (Severity.WARNING, Severity.NOTE), rule.name
        assert SOURCE.search(rule.source), f"{rule.name}: '{rule.source}' names no seed, article or Beoordelingskader"
    names = [r.name for r in timeline.RULES]
    assert len(names) == len(set(names))


def test_the_sanction_grounds_of_the_issue_each_have_a_rule():
    keys = {r.key for r in timeline.RULES}
    assert {m.RuleKey.TWEEDE_SPOOR, m.RuleKey.SOLLICITATIES_PER_WEEK, m.RuleKey.SOLLICITATIE_ZOEKPROFIEL,
            m.RuleKey.AFSPRAAK, m.RuleKey.ADVIES, m.RuleKey.WERKHERVATTING, m.RuleKey.COACH_CONTACT,
            m.RuleKey.WIA_AANVRAAG} <= keys


def test_the_user_documentation_explains_every_rule_key_the_check_uses():
    text = (ROOT / "docs" / "werkmap.md").read_text(encoding="utf-8")
    section = text.split("## De termijncontrole", 1)[1].split("\n## ", 1)[0]
    for key in {r.key for r in timeline.RULES}:
        assert f"`{key.value}`" in section, f"{key.value} ontbreekt in 'De termijncontrole' van docs/werkmap.md"

"""The Poortwachter rules in one place: the law's deadlines and thresholds, each with its source.

Weeks count from the eerste ziektedag: day 1 is the first day of week 1, so week N runs from
day 7*(N-1)+1 to day 7*N, and "by week N" means by the last day of week N; the arithmetic is the
case's own (`model.Calendar`, which also leaves out the fit days of relapses). Seed numbers refer to
`shared/seeds/` (domain brief); where seeds disagree the stricter rule is taken.
"""

from __future__ import annotations

from datetime import date

# Probleemanalyse by the company doctor: by week 6 (seeds 003, 004).
WEEK_PROBLEEMANALYSE = 6
# Plan van aanpak: by week 8 (seeds 000, 003) ...
WEEK_PLAN_VAN_AANPAK = 8
# ... and within 2 weeks after the probleemanalyse (Regeling procesgang art. 4).
WEEKS_PLAN_AFTER_PROBLEEMANALYSE = 2
# Evaluation / contact with the company doctor at least every 6 weeks (seeds 002, 004).
WEEKS_BETWEEN_EVALUATIONS = 6
# Sickness reported to UWV in week 42 (seeds 003, 004): at the latest on the first working day
# after the 42nd week of sickness (domain brief, relapses).
WEEK_UWV_NOTIFICATION = 42
# Eerstejaarsevaluatie around week 52 (seeds 003, 004); UWV expects it in weeks 46-52.
WEEK_EERSTEJAARSEVALUATIE_FROM = 46
WEEK_EERSTEJAARSEVALUATIE = 52
# Tweede spoor within 6 weeks after the eerstejaarsevaluatie, so by week 58 (seeds 001, 003, 004).
WEEKS_TWEEDE_SPOOR_AFTER_EJE = 6
WEEK_TWEEDE_SPOOR = 58
# Eindevaluatie in weeks 87-91 (seeds 003, 004).
WEEK_EINDEVALUATIE_FROM = 87
WEEK_EINDEVALUATIE = 91
# Actueel oordeel of the company doctor by week 91 (seed 004).
WEEK_ACTUEEL_OORDEEL = 91
# WIA application with the RIV: week 91 (seed 002) or week 93 at the latest (seed 004);
# we take the stricter, week 91.
WEEK_WIA_APPLICATION = 91
# End of the waiting period (all seeds).
WEEK_WAITING_PERIOD_END = 104

# ... and earlier as soon as it is clear that return to own work is not realistic: "zodra dit aan
# de orde is, moet direct gestart worden" (seed 004). The contract (version 2) makes that within
# 6 weeks after `Datum besluit tweede spoor`, as after the eerstejaarsevaluatie.
WEEKS_TWEEDE_SPOOR_AFTER_DECISION = 6

# Coach contact every 2-3 weeks (seed 000), sessions every 2-4 weeks (seed 004): stricter, 3.
WEEKS_COACH_CONTACT = 3

# Advice of the bedrijfsarts, arbeidsdeskundige or UWV acted on within about 6 weeks, and the
# plan van aanpak adjusted after new advice (Regeling procesgang art. 4; domain brief, ground 3).
WEEKS_ADVICE_FOLLOW_UP = 6
# Work on an arbeidstherapeutische basis (without wage value) as a rule no longer than 6 weeks
# (UWV, Beleidsregels beoordelingskader poortwachter; domain brief, ground 4).
WEEKS_ARBEIDSTHERAPEUTISCH = 6
# Hours that did not rise for this long while below the contract hours: stagnation, for which
# UWV expects a deskundigenoordeel to be asked (domain brief, ground 5; contract version 2).
WEEKS_STAGNATION = 12

# At least half of the tweede spoor's applications on a function of the zoekprofiel: UWV checks
# that applications are "on suitable work" (domain brief; contract version 2).
APPLICATIONS_ON_PROFILE_MIN_SHARE = 0.5
# The same employer and function more than this often: a repeat, not a new application.
APPLICATION_REPEATS_MAX = 2

# Suitable work: new wage at most 30 % below the old wage (seed 001).
SUITABLE_WORK_MAX_WAGE_LOSS = 0.30
# WIA applies below 65 % of the old wage, i.e. a loss of at least 35 % (seed 000).
WIA_EARNING_THRESHOLD = 0.65

# Both views (werkgever and werknemer) belong in a plan van aanpak or bijstelling made from
# this date on (Regeling procesgang, since 1 July 2023).
VIEWS_REQUIRED_FROM = date(2023, 7, 1)

"""Dates as a sentence states them, at that precision and no finer: "12 March 2021" a day, "maart 2021" a month,
"2021" a year, "on 11 November" a day in a year left unsaid (the forms the build reads: YYYY-MM-DD, YYYY-MM, YYYY,
--MM-DD)."""

from __future__ import annotations

import datetime
import re

ENGLISH = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
DUTCH = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS = {name: number for names in (ENGLISH, DUTCH) for number, name in enumerate(names, start=1)}
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
YEAR = r"(19[5-9]\d|20[0-4]\d)"
DAY_MONTH_YEAR = re.compile(rf"(?i)\b(\d{{1,2}}) ({MONTH}) {YEAR}\b")
MONTH_DAY_YEAR = re.compile(rf"(?i)\b({MONTH}) (\d{{1,2}}),? {YEAR}\b")
MONTH_YEAR = re.compile(rf"(?i)\b({MONTH}) {YEAR}\b")
ONLY_YEAR = re.compile(rf"\b{YEAR}\b")
# a day without a year only in English, as the build checks it against the quote ("11 November", "November 11")
DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(name.title() for name in ENGLISH)})\b")


def stated_date(sentence: str) -> str | None:
    """The first date the sentence states, as precisely as it states it, or None."""
    if match := DAY_MONTH_YEAR.search(sentence):
        return _day(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    if match := MONTH_DAY_YEAR.search(sentence):
        return _day(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
    if match := MONTH_YEAR.search(sentence):
        return f"{match[2]}-{MONTHS[match[1].lower()]:02d}"
    if match := ONLY_YEAR.search(sentence):
        return match[1]
    if match := DAY_MONTH.search(sentence):
        month, day = MONTHS[match[2].lower()], int(match[1])
        return f"--{month:02d}-{day:02d}" if _exists(2000, month, day) else None  # 2000 has a 29 February
    return None


def _day(year: int, month: int, day: int) -> str:
    """The day, or its month when the day does not exist ("31 February 2020" is a slip; its month is not)."""
    return f"{year}-{month:02d}-{day:02d}" if _exists(year, month, day) else f"{year}-{month:02d}"


def _exists(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True

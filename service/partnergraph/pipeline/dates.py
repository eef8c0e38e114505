"""Dates at the precision the text gives them: xsd:date, gYearMonth, gYear or gMonthDay, nothing invented."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_FORMS = (
    ("date", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("gYearMonth", re.compile(r"^(\d{4})-(\d{2})$")),
    ("gYear", re.compile(r"^(\d{4})$")),
    ("gMonthDay", re.compile(r"^--(\d{2})-(\d{2})$")),
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DURATION = re.compile(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+D)?$")


@dataclass(frozen=True)
class PartialDate:
    """An ISO 8601 lexical form with its XSD datatype name."""

    lexical: str
    datatype: str

    @property
    def year(self) -> str | None:
        return None if self.datatype == "gMonthDay" else self.lexical[:4]

    def spoken_forms(self) -> list[str]:
        """Ways the text may write this date, used to check a quote supports it."""
        if self.datatype == "gMonthDay":
            month, day = int(self.lexical[2:4]), int(self.lexical[5:7])
            return [f"{day} {_MONTHS[month - 1]}", f"{_MONTHS[month - 1]} {day}"]
        return [self.lexical[:4]]


def parse_date(value: object) -> PartialDate:
    """Parse YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD; raise ValueError naming the accepted forms."""
    if isinstance(value, datetime.date):
        value = value.isoformat()
    text = str(value).strip()
    for datatype, pattern in _FORMS:
        match = pattern.match(text)
        if not match:
            continue
        parts = [int(group) for group in match.groups()]
        try:
            if datatype == "date":
                datetime.date(*parts)
            elif datatype == "gYearMonth":
                datetime.date(parts[0], parts[1], 1)
            elif datatype == "gMonthDay":
                datetime.date(2000, parts[0], parts[1])  # a leap year admits --02-29
        except ValueError as error:
            raise ValueError(f"{text!r} is not a date: {error}") from None
        return PartialDate(text, datatype)
    raise ValueError(f"{text!r} is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD")


def parse_duration(value: object) -> str:
    """Check an ISO 8601 duration in years, months and days (e.g. P5Y) and return it."""
    text = str(value).strip()
    if not _DURATION.match(text):
        raise ValueError(f"{text!r} is not a duration: write e.g. P5Y, P18M or P2Y6M")
    return text

"""Quarters. A report for a quarter computes its figures as of the quarter's end: the first instant of the
next
quarter in Europe/Stockholm. Everything stamped before that instant counts; nothing after it does."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    def __post_init__(self):
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1–4")

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, value: str) -> Quarter:
        """ "2026-3" or "2026-Q3" → Quarter(2026, 3); ValueError otherwise."""
        year, _sep, quarter = value.strip().upper().replace("Q", "").partition("-")
        return cls(int(year), int(quarter))

    @property
    def key(self) -> str:
        return f"{self.year}-{self.quarter}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * (self.quarter - 1) + 1, 1)

    @property
    def end(self) -> datetime.date:
        """The quarter's last day."""
        return self.next().start - datetime.timedelta(days=1)

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    def ends_at(self) -> datetime.datetime:
        """The exclusive end: the first instant of the next quarter (local time)."""
        return self.next().starts_at()

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)

    def last(self, count: int) -> list[Quarter]:
        """The `count` quarters ending with this one, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.insert(0, quarters[0].previous())
        return quarters

    @property
    def label(self) -> str:
        return _("Kvartal %(q)s %(y)s") % {"q": self.quarter, "y": self.year}

    @property
    def short_label(self) -> str:
        return f"Q{self.quarter} {self.year}"

    def __str__(self):
        return self.label

"""An organisation's desk hours: when its consultants answer ("mon-fri 10:00-18:00; sat 11:00-15:00").

NGO staff type the hours in the workspace in Russian or English day names; they
are stored in the English form and read in the organisation's time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    **{day: index for index, day in enumerate(DAYS)},
    **{day: index for index, day in enumerate(("пн", "вт", "ср", "чт", "пт", "сб", "вс"))},
}
DEFAULT_TIMEZONE = "Europe/Moscow"
_DAY = "|".join(sorted(DAY_NAMES, key=len, reverse=True))
_PART = re.compile(rf"^\s*({_DAY})(?:\s*-\s*({_DAY}))?\s+(\d{{1,2}}):(\d{{2}})\s*-\s*(\d{{1,2}}):(\d{{2}})\s*$",
                   re.IGNORECASE)


class HoursError(ValueError):
    """Hours that cannot be read; the message quotes the part at fault."""


@dataclass(frozen=True)
class DeskHours:
    """Opening times per weekday (0 = Monday) in one time zone."""

    spans: Dict[int, Tuple[Tuple[time, time], ...]]
    zone: str = DEFAULT_TIMEZONE

    @classmethod
    def parse(cls, text: Optional[str], zone: Optional[str] = None) -> "DeskHours":
        """Reads "mon-fri 10:00-18:00; sat 11:00-15:00"; raises HoursError naming the part it cannot read."""
        spans: Dict[int, List[Tuple[time, time]]] = {}
        for part in re.split(r"[;\n]", text or ""):
            if not part.strip():
                continue
            match = _PART.match(part.lower().replace("–", "-").replace("—", "-"))
            if not match:
                raise HoursError(part.strip())
            first = DAY_NAMES[match.group(1)]
            last = DAY_NAMES[match.group(2)] if match.group(2) else first
            try:
                opens = time(int(match.group(3)), int(match.group(4)))
                closes = time(int(match.group(5)), int(match.group(6))) if match.group(5) != "24" else time.max
            except ValueError:
                raise HoursError(part.strip()) from None
            if closes <= opens:
                raise HoursError(part.strip())
            day = first
            while True:
                spans.setdefault(day, []).append((opens, closes))
                if day == last:
                    break
                day = (day + 1) % 7
        zone = zone or DEFAULT_TIMEZONE
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise HoursError(zone) from None
        return cls({day: tuple(sorted(times)) for day, times in spans.items()}, zone)

    def __bool__(self) -> bool:
        return bool(self.spans)

    def normalised(self) -> str:
        """The hours as stored: English day names, one part per weekday and span."""
        return "; ".join(f"{DAYS[day]} {opens:%H:%M}-{'24:00' if closes == time.max else f'{closes:%H:%M}'}"
                         for day in sorted(self.spans) for opens, closes in self.spans[day])

    def local(self, moment: datetime) -> datetime:
        """A moment (aware, or naive UTC) in the desk's time zone."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(ZoneInfo(self.zone))

    def is_open(self, moment: datetime) -> bool:
        """Whether a consultant answers at that moment."""
        here = self.local(moment)
        return any(opens <= here.time() < closes for opens, closes in self.spans.get(here.weekday(), ()))

    def closes_at(self, moment: datetime) -> Optional[datetime]:
        """When the span open at that moment ends (None: closed now)."""
        here = self.local(moment)
        for opens, closes in self.spans.get(here.weekday(), ()):
            if opens <= here.time() < closes:
                return here.replace(hour=closes.hour, minute=closes.minute, second=closes.second,
                                    microsecond=closes.microsecond)
        return None

    def next_opening(self, moment: datetime) -> Optional[datetime]:
        """The next moment the desk opens, in its time zone (None: it never does)."""
        here = self.local(moment)
        for ahead in range(8):
            day = (here + timedelta(days=ahead)).date()
            for opens, _ in self.spans.get(day.weekday(), ()):
                start = datetime.combine(day, opens, tzinfo=here.tzinfo)
                if start > here:
                    return start
        return None

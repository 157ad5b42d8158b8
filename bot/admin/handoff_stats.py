"""The live desk's figures for the dashboard: requests, the share a person answered, the wait for that answer."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import List, Optional, Sequence

from bot.handoff.desk import Desk, waiting_seconds

DAYS = 30


@dataclass(frozen=True)
class HandoffStats:
    """Handoffs requested in a period, how many a consultant answered, and the wait to that first answer."""

    requested: int
    answered: int
    p50: Optional[float]
    p95: Optional[float]

    @property
    def answered_share(self) -> float:
        return self.answered / self.requested if self.requested else 0.0


def percentile(values: Sequence[float], share: float) -> Optional[float]:
    """The nearest-rank percentile (the smallest value at least `share` of the values do not exceed)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def handoff_stats(desk: Desk, now: Optional[float] = None, days: int = DAYS) -> HandoffStats:
    """The figures of the last `days` days."""
    rows = desk.all_since((time.time() if now is None else now) - days * 86400)
    waits: List[float] = waiting_seconds(rows)
    return HandoffStats(len(rows), len(waits), percentile(waits, 0.5), percentile(waits, 0.95))

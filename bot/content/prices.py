"""Regional patent prices, added to the patent answers for the person's region."""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, Optional

import yaml

from bot import messages
from bot.content.render import money
from bot.i18n import translate
from bot.registry import CITIES
from bot.settings import get_settings

NO_PATENT_SCOPES = ("eaeu",)
"""EAEU citizens work without a patent: their answers get no price."""


@lru_cache(maxsize=1)
def patent_prices() -> Dict[str, object]:
    """Returns the price table (content/patent_prices.yml): year, topics and prices by city."""
    data = yaml.safe_load((get_settings().content_dir / "patent_prices.yml").read_text(encoding="utf-8"))
    unknown = set(data["prices"]) - set(CITIES)
    if unknown:
        raise ValueError(f"patent_prices.yml: not contract cities: {sorted(unknown)}")
    return data


def patent_price_line(topic: str, scope: str, city: Optional[str], language: str,
                      script: Optional[str] = None) -> Optional[str]:
    """The price for the person's region, or every known region's when the city is unknown; None if it does not apply."""
    table = patent_prices()
    if topic not in table["topics"] or scope in NO_PATENT_SCOPES:
        return None
    prices = table["prices"]
    if city in prices:
        return translate(messages.PATENT_PRICE_HERE, language, script, city=translate(CITIES[city], language, script),
                         year=table["year"], price=money(prices[city], language, script))
    listed = ", ".join(f"{translate(CITIES[c], language, script)} {money(p, language, script)}"
                       for c, p in prices.items())
    return translate(messages.PATENT_PRICES, language, script, year=table["year"], prices=listed)

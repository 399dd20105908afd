"""PRODUCT rules: a lexicon of traded goods and sectors, longest phrase first."""
from __future__ import annotations

import re

from trade_events.data.labelling.base import alternation, labelling_function, spans_of

PRODUCTS = (
    # minerals and metals
    "rare earth magnets", "rare earth minerals", "rare earth elements", "rare earths", "rare earth",
    "critical minerals", "critical mineral", "rare minerals", "rare earth materials", "minerals", "mineral", "steel", "specialty steel", "stainless steel", "aluminium", "aluminum",
    "copper", "zinc", "nickel", "silver", "uranium", "coal", "iron ore", "lithium",
    "gallium", "germanium", "graphite", "cobalt", "titanium",
    # technology and industry
    "semiconductors", "semiconductor", "microchips", "chips", "computer chips", "jet engines", "computers",
    "personal computers", "technology", "technologies", "advanced technology", "advanced technologies",
    "critical technologies", "high technology", "electronics", "consumer electronics", "electronic goods", "telecommunications equipment",
    "machine tools", "machinery", "aircraft", "aerospace", "satellites", "supercomputers", "batteries",
    "solar panels", "electric vehicles", "electric vehicle", "automobiles", "automobile", "autos", "cars", "trucks", "motorcycles", "vehicles",
    "automotive", "auto parts", "car parts", "televisions", "color televisions", "video recorders",
    "pharmaceuticals", "chemicals", "fertilizer", "fertilizers", "plastics", "textiles", "textile", "apparel",
    "clothing", "footwear", "shoes", "leather", "lumber", "softwood lumber", "timber", "wood products",
    "paper", "pulp", "cement", "glass", "oil", "crude oil", "petroleum", "petroleum products", "natural gas",
    "shipbuilding", "tobacco", "cigarettes", "drones", "defense", "defence",
    # farm and food
    "soybeans", "soybean", "soymeal", "wheat", "corn", "maize", "rice", "grain", "grains", "barley", "sorghum",
    "sugar", "beef", "pork", "poultry", "chicken", "meat", "dairy", "milk", "butter", "cheese", "citrus",
    "oranges", "fruit", "vegetables", "wine", "beer", "spirits", "pasta", "coffee", "cocoa", "tea", "cotton",
    "wool", "fish", "seafood", "corn gluten feed", "oilseeds", "vegetable oils", "palm oil", "tropical products",
    "farm products", "agricultural products", "farm goods", "agricultural goods",
    "livestock", "feed grains", "peanuts", "tomatoes", "almonds", "walnuts", "flowers",
)
_PRODUCT_RE = re.compile(rf"(?<![\w-])(?:{alternation(PRODUCTS)})(?![\w-])", re.I)
_NOT_PRODUCT = re.compile(r"\b(?:oil\s+(?:prices?|exporters?|producers?|companies|company|ministers?)|"
                          r"food\s+prices?|chips?\s+(?:away|in))\b", re.I)


@labelling_function("PRODUCT", priority=11)
def product_lexicon(text: str):
    """Goods and sectors (``rare earth magnets``, ``semiconductors``, ``soybeans``, ``steel``)."""
    blocked = [m.span() for m in _NOT_PRODUCT.finditer(text)]
    return [(s, e) for s, e in spans_of(_PRODUCT_RE, text)
            if not any(bs <= s < be for bs, be in blocked) and _lower_or_sentence_case(text[s:e])]


def _lower_or_sentence_case(surface: str) -> bool:
    """Skip proper names (``Steel`` in ``Korea Steel Corp``): products are lower-case or sentence-case words."""
    return surface.islower() or (surface[0].isupper() and surface[1:].islower())

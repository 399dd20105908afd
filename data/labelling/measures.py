"""MEASURE rules: the head phrase that names a trade-policy instrument, kind modifiers included.

Action words (``cuts``, ``increases``, ``truce``) stay out; talks and agreements are no instrument.
"""
from __future__ import annotations

import re

from trade_events.data.labelling.base import labelling_function, spans_of

_KIND = r"(?:anti-?dumping|countervailing|retaliatory|punitive|reciprocal|protective|compensatory|" \
        r"safeguard|emergency|Section\s+\d{3}|voluntary|penalty)"
_HEAD = (r"(?:tariffs?|dut(?:y|ies)|levies|levy|quotas?|surcharges?|sanctions?|embargo(?:es)?|bans?|"
         r"controls?|curbs?|restrictions?|restraints?|regulations?|licen[cs]es?|licensing(?:\s+requirements?)?|subsid(?:y|ies)|"
         r"credits?|barriers?|taxe?s?|measures?|investigations?|inquir(?:y|ies)|probes?|limits?|ceilings?|"
         r"retaliation|actions?)")
_STANDALONE = r"(?:tariffs?|dut(?:y|ies)|levies|levy|quotas?|surcharges?|sanctions|embargo(?:es)?)"
#: Heads that name an instrument only with a modifier (``export controls`` yes, ``controls`` no).
_NEEDS_MODIFIER = {"regulations", "regulation", "controls", "control", "curbs", "curb", "restrictions", "restriction", "restraints", "restraint",
                   "licences", "licenses", "licence", "license", "licensing", "subsidies", "subsidy", "credits",
                   "credit", "barriers", "barrier", "taxes", "tax", "measures", "measure", "investigations",
                   "investigation", "inquiry", "inquiries", "probe", "probes", "limits", "limit", "ceiling",
                   "ceilings", "actions", "action", "ban", "bans"}
_MODIFIED_RE = re.compile(
    rf"(?<![\w-])(?P<m>(?:{_KIND}\s+)?(?:(?:import|export|trade|customs|visa|investment|technology|chip)\s+)?"
    rf"(?:{_KIND}\s+)?{_HEAD})(?![\w-])", re.I)
_FIXED_RE = re.compile(
    r"(?<![\w-])(?:voluntary\s+export\s+restraints?|orderly\s+marketing\s+agreements?|export\s+enhancement\s+program|"
    r"visa\s+revocations?|visa\s+restrictions?|entity\s+list|blacklist|dumping\s+(?:inquiry|investigation|duties|margins?)|"
    r"most[- ]favou?red[- ]nation\s+status|import\s+ban|export\s+ban|trade\s+ban|embargo(?:es)?|"
    r"retaliation|retaliatory\s+(?:measures?|action|steps)|non-tariff\s+barriers|local[- ]content\s+rules?)(?![\w-])",
    re.I)
#: Bare ``restrictions``/``controls``/``curbs`` name an instrument when what they restrict follows.
_BARE_ON_RE = re.compile(
    r"(?<![\w-])(?:restrictions|controls|curbs|limits|safeguards|ban|bans|embargo)(?=\s+on\s+(?:the\s+)?(?:its\s+|their\s+)?"
    r"(?:exports?|imports?|sales|shipments|[a-z]+\s+(?:exports?|imports?|sales)|technology|technologies|"
    r"semiconductors?|chips|minerals|rare\s+earths?|critical\s+\w+|steel|cars|autos|goods\b))", re.I)
_NOT_MEASURE = re.compile(r"\bin\s+retaliation\s+(?:for|against)\b|\btrade\s+actions?\b(?=\s+plan)|"
                          r"\bGeneral\s+Agreement\s+on\s+Tariffs\s+and\s+Trade\b", re.I)


@labelling_function("MEASURE", priority=12)
def instrument_phrase(text: str):
    """``tariffs``, ``export controls``, ``anti-dumping duties``, ``import quotas`` (bare heads only when unambiguous)."""
    out = []
    for m in _MODIFIED_RE.finditer(text):
        phrase = m.group("m")
        words = phrase.lower().split()
        if len(words) == 1 and not re.fullmatch(_STANDALONE, words[0], re.I):
            continue
        if words[-1] in _NEEDS_MODIFIER and len(words) == 1:
            continue
        if words[-1] in ("measures", "measure", "actions", "action", "credits", "credit", "taxes", "tax",
                         "limits", "limit") and not re.match(rf"{_KIND}|export|import", phrase, re.I):
            continue
        if words[0] == "trade" and words[-1] in _NEEDS_MODIFIER and len(words) == 2 and \
                words[-1] not in ("barriers", "restrictions", "sanctions"):
            continue
        out.append(m.span("m"))
    return out


@labelling_function("MEASURE", priority=13)
def named_instrument(text: str):
    """Fixed names: ``voluntary export restraints``, ``visa revocations``, ``retaliation`` (the noun)."""
    return spans_of(_FIXED_RE, text)


@labelling_function("MEASURE", priority=11)
def restriction_on_goods(text: str):
    """``restrictions on the export of critical minerals``, ``controls on rare minerals``: the head alone."""
    return spans_of(_BARE_ON_RE, text)


@labelling_function(None, priority=14)
def not_an_instrument(text: str):
    """The idiom ``in retaliation for`` names no instrument."""
    return spans_of(_NOT_MEASURE, text)

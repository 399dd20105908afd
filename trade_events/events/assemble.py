"""Assemble trade-event records from spans (rules' or model's), sentence by sentence.

Each MEASURE span heads a candidate event. Its clause (from the previous measure to the next) gives
the action verb, the implementer (an ACTOR modifying the measure, ``by X``, or the clause's subject),
the affected parties (ACTORs after ``on``/``to``/``from``/``against``), rates (``from X to Y``), the
date and the products. Intentions, forecasts and hypotheticals yield no record, as EVENTS.md asks.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from trade_events.events.normalize import measure_type, normalize_actor, normalize_date, normalize_rate
from trade_events.events.records import Evidence, Party, TradeEvent
from trade_events.spans import Span
from trade_events.text import split_sentences

#: Verb stems per action, checked in this order (a threat word beats the verb it governs).
ACTION_VERBS: tuple[tuple[str, str], ...] = (
    ("threaten", r"threat\w*|warn\w*|vow\w*|menac\w*"),
    ("suspend", r"suspend\w*|paus\w*|halt\w*|freez\w*|froze\w*|postpon\w*|delay\w*"),
    ("lift", r"lift\w*|remov\w*|eliminat\w*|scrap\w*|eas(?:e|ed|es|ing)|relax\w*|grant\w*|approv\w*|waiv\w*|"
             r"abolish\w*|rescind\w*|withdr[ae]w\w*|end(?:ed|s|ing)?|dropp\w*|revers\w*|loosen\w*|exempt\w*"),
    ("cut", r"cut\w*|reduc\w*|lower\w*|slash\w*|roll\w*\s+back|trimm?\w*|decreas\w*|shrink\w*|halv\w*"),
    ("raise", r"rais\w*|increas\w*|hik\w*|doubl\w*|tripl\w*|escalat\w*|tighten\w*|expand\w*|boost\w*|steepen\w*"),
    ("keep", r"keep\w*|kept|maintain\w*|retain\w*|remain\w*|extend\w*|unchanged|renew\w*|continu\w*"),
    ("impose", r"impos\w*|introduc\w*|slapp?\w*|levy|levied|levies|implement\w*|adopt\w*|appl(?:y|ied|ies)|"
               r"plac\w*|announc\w*|restrict\w*|enact\w*|put|puts|open\w*|launch\w*|initiat\w*|retaliat\w*|"
               r"instat\w*|invok\w*|set|sets|takes?\s+effect|took\s+effect|start\w*|began|begin\w*|"
               r"order\w*|requir\w*|blacklist\w*|ban(?:s|ned|ning)?|bar(?:s|red)|block\w*|curb\w*|limit\w*"),
)
_VERB_RE = [(a, re.compile(rf"\b(?:{p})\b", re.I)) for a, p in ACTION_VERBS]
#: Words that make a clause an intention, option, forecast or hypothetical (no record).
_IRREALIS = re.compile(
    r"\b(?:could|would|might|may|should|intends?\s+to|intend(?:ed|ing)\s+to|plans?\s+to|planning\s+to|"
    r"consider\w*|expect\w*\s+to|expects?|aim(?:s|ed|ing)?\s+(?:to|at)|seek\w*\s+to|hop(?:e|es|ed|ing)\s+to|"
    r"if|unless|whether|propos\w*|call(?:s|ed)?\s+for|urg\w*|want\w*\s+to|likely\s+to|possible|potential\w*|"
    r"demand\w*|ask\w*|pressur\w*|negotiat\w*|discuss\w*|talks?\s+(?:on|about)|address|resolv\w*)\b", re.I)
_PREP_BEFORE = re.compile(r"\b(?:on|to|from|against|for|of|with|between|into|toward|towards|over)\s+(?:the\s+)?$", re.I)
_AFFECTED_PREP = re.compile(r"\b(?:on|to|against|from|for|toward|towards|targeting|hit(?:ting)?|"
                            r"imports?\s+from|exports?\s+to)\s+(?:the\s+|all\s+|some\s+|other\s+)?$", re.I)
_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_FROM_TO = re.compile(r"\bfrom\s+$", re.I)


@dataclass
class _Candidate:
    measure: Span
    region: tuple[int, int]


def assemble_events(doc_id: str, text: str, spans: list[Span], doc_date: dt.date | None = None) -> list[TradeEvent]:
    """Event records for one document from its spans; duplicates of one action in a document merged."""
    events: list[TradeEvent] = []
    for s_start, s_end in split_sentences(text):
        sent = [s for s in spans if s_start <= s.start and s.end <= s_end]
        events += _sentence_events(doc_id, text, (s_start, s_end), sent, doc_date)
    return dedupe(events)


def _sentence_events(doc_id: str, text: str, bounds: tuple[int, int], spans: list[Span],
                     doc_date: dt.date | None) -> list[TradeEvent]:
    measures = [s for s in spans if s.label == "MEASURE"]
    if not measures:
        return []
    s_start, s_end = bounds
    actors = [s for s in spans if s.label == "ACTOR"]
    candidates = []
    for i, m in enumerate(measures):
        left = s_start if i == 0 else _region_start(text, measures[i], actors, measures[i - 1].end)
        right = s_end if i == len(measures) - 1 else _region_start(text, measures[i + 1], actors, m.end)
        candidates.append(_Candidate(m, (left, right)))
    out: list[TradeEvent] = []
    prev_action: tuple[str, int] | None = None
    for c in candidates:
        found = _action(text, c)
        if found is None and prev_action is not None and _coordinated(text, prev_action[1], c.region[0]):
            found = prev_action
        if found is None:
            continue
        action, verb_pos = found
        prev_action = found
        if action != "threaten" and _irrealis(text, c, verb_pos, s_start):
            continue
        out += _build(doc_id, text, bounds, c, action, verb_pos, spans, doc_date)
    return out


def _region_start(text: str, measure: Span, actors: list[Span], floor: int) -> int:
    """A measure's clause starts at its pre-modifying ACTOR (``Chinese tariffs``) if any."""
    start = measure.start
    for a in sorted(actors, key=lambda a: -a.start):
        if floor <= a.end <= start and re.fullmatch(r"(?:['’]s)?\s*(?:[\w-]+\s+){0,2}", text[a.end:start]):
            start = a.start
    return max(start, floor)


def _action(text: str, c: _Candidate) -> tuple[str, int] | None:
    """The action verb governing the measure: passive or participle after it, else the nearest before it."""
    left_text = text[c.region[0]:c.measure.start]
    right_text = text[c.measure.end:c.region[1]]
    passive = re.match(r"^(?:(?!\b(?:and|but|while)\b)[^;])*?\b(?:were|was|been|being|be|are|is|had|has|have)\s+"
                       r"(?:\w+ly\s+)?(?:\w+\s+)?", right_text, re.I)
    if passive:
        after = right_text[passive.end():]
        for action, rx in _VERB_RE:
            m = rx.match(after)
            if m:
                return action, c.measure.end + passive.end()
    best: tuple[str, int] | None = None
    for action, rx in _VERB_RE:
        for m in rx.finditer(left_text):
            pos = c.region[0] + m.start()
            if best is None or pos > best[1] or (pos == best[1] and action == "threaten"):
                best = (action, pos)
    if best is not None:
        return best
    for action, rx in _VERB_RE:  # a participle right after the measure: "tariffs imposed by China"
        m = rx.match(right_text.lstrip())
        if m and action != "keep":
            return action, c.measure.end
    return None


def _coordinated(text: str, prev_end: int, start: int) -> bool:
    """Two measures share a verb when only a coordination separates them (``… and Chinese tariffs``)."""
    between = text[prev_end:start]
    return ";" not in between and re.search(r"\b(?:and|as\s+well\s+as)\s*$|,\s*$", between.strip() + " ") is not None \
        and not re.search(r"\b(?:while|but|whereas|although)\b", between)


def _irrealis(text: str, c: _Candidate, verb_pos: int, s_start: int) -> bool:
    """The verb sits in an intention, option, forecast or hypothetical (looked at just before it)."""
    lo = max(s_start, min(verb_pos, c.measure.start) - 60)
    window = text[lo:max(verb_pos, c.measure.start)]
    window = re.split(r"[;,]\s+(?:while|but|and)\b|\bwhich\b|\bthat\b", window)[-1]
    return _IRREALIS.search(window) is not None


def _build(doc_id: str, text: str, bounds: tuple[int, int], c: _Candidate, action: str, verb_pos: int,
           spans: list[Span], doc_date: dt.date | None) -> list[TradeEvent]:
    s_start, s_end = bounds
    sentence = text[s_start:s_end]
    lo, hi = c.region
    in_region = [s for s in spans if lo <= s.start and s.end <= hi]
    implementers = _implementers(text, c, verb_pos, in_region, spans, s_start)
    impl_ids = {(a.start, a.end) for a in implementers}
    affected = []
    for a in in_region:
        if a.label == "ACTOR" and (a.start, a.end) not in impl_ids and _AFFECTED_PREP.search(text[max(lo, a.start - 40):a.start]):
            p = normalize_actor(a.text, sentence)
            if p.iso3 not in {x.iso3 for x in affected} or p.iso3 is None:
                affected.append(p)
    rate, previous, rate_spans = _rates(text, c, action, verb_pos, in_region)
    dates = [s for s in in_region if s.label == "DATE"] or [s for s in spans if s.label == "DATE"]
    date_span = min(dates, key=lambda d: abs(d.start - verb_pos)) if dates else None
    products = [s.text for s in in_region if s.label == "PRODUCT"]
    mtype = measure_type(c.measure.text, text[lo:hi])
    used = [c.measure, *implementers, *rate_spans] + ([date_span] if date_span else [])
    confidence = min(s.score for s in used)
    evidence = Evidence(s_start, s_end, sentence)
    date = normalize_date(date_span.text, doc_date) if date_span else None
    out = []
    for impl in implementers or [None]:
        party = normalize_actor(impl.text, sentence) if impl else None
        hit = [p for p in affected if party is None or p.iso3 != party.iso3 or p.iso3 is None]
        out.append(TradeEvent(doc_id, action, mtype, party, hit, rate, previous, date, products, evidence, confidence))
    return out


def _implementers(text: str, c: _Candidate, verb_pos: int, region: list[Span], spans: list[Span],
                  s_start: int) -> list[Span]:
    """Who acts: ``by X`` after the measure, an ACTOR modifying it, else the subject before the verb."""
    actors = [s for s in region if s.label == "ACTOR"]
    after = [a for a in actors if a.start >= c.measure.end and _BY.search(text[c.measure.end:a.start][-12:])]
    if after:
        return after[:1]
    mod = [a for a in actors if a.end <= c.measure.start and
           re.fullmatch(r"(?:['’]s)?\s*(?:[\w-]+\s+){0,2}", text[a.end:c.measure.start])
           and not _PREP_BEFORE.search(text[max(s_start, a.start - 12):a.start])]
    if mod:
        return mod[-1:]
    subject_zone = [a for a in spans if a.label == "ACTOR" and s_start <= a.start and a.end <= min(verb_pos, c.measure.start)
                    and not _PREP_BEFORE.search(text[max(s_start, a.start - 15):a.start])]
    if not subject_zone:
        return []
    last = subject_zone[-1]
    group = [last]  # "the U.S. and China cut tariffs": one record per implementer
    for a in reversed(subject_zone[:-1]):
        if re.fullmatch(r"\s*(?:and|,)\s*(?:the\s+)?", text[a.end:group[0].start]):
            group.insert(0, a)
        else:
            break
    return group


def _rates(text: str, c: _Candidate, action: str, verb_pos: int, region: list[Span]):
    """``rate`` and ``previous_rate``: ``from X to Y``; a lifted duty keeps only its previous rate."""
    rates = [s for s in region if s.label == "RATE"]
    if not rates:
        return None, None, []
    rate_span = prev_span = None
    for i, r in enumerate(rates):
        if _FROM_TO.search(text[max(0, r.start - 6):r.start]) and i + 1 < len(rates):
            prev_span, rate_span = r, rates[i + 1]
            break
    if rate_span is None:
        pct = [r for r in rates if normalize_rate(r.text).unit == "percent"] or rates
        if len(pct) >= 2 and action in ("cut", "raise"):
            after = [r for r in pct if r.start > verb_pos]
            rate_span = after[0] if after else pct[-1]
            prev_span = next((r for r in pct if r is not rate_span), None)
        else:
            rate_span = pct[0]
    if action == "lift":
        prev_span, rate_span = prev_span or rate_span, None
    used = [r for r in (rate_span, prev_span) if r is not None]
    return (normalize_rate(rate_span.text) if rate_span else None,
            normalize_rate(prev_span.text) if prev_span else None, used)


def _filled(e: TradeEvent) -> int:
    return sum(x is not None and x != [] for x in (e.implementer, e.rate, e.previous_rate, e.date, e.affected, e.products))


def dedupe(events: list[TradeEvent]) -> list[TradeEvent]:
    """One record per action per document: same type, action, implementer and rate → keep the fullest."""
    best: dict[tuple, TradeEvent] = {}
    order: list[tuple] = []
    for e in events:
        key = (e.doc_id, e.measure_type, e.action, e.implementer.iso3 if e.implementer else None,
               e.rate.value if e.rate else None)
        if key not in best:
            order.append(key)
            best[key] = e
        elif _filled(e) > _filled(best[key]):
            best[key] = e
    return [best[k] for k in order]


__all__ = ["ACTION_VERBS", "Party", "assemble_events", "dedupe"]

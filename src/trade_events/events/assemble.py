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
from trade_events.events.records import Evidence, TradeEvent
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
                            r"imports?\s+from|exports?\s+to)\s+(?:(?!(?:and|or|but)\b)[\w-]+\s+){0,3}$", re.I)
_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_FROM_TO = re.compile(r"\bfrom\s+$", re.I)


@dataclass
class _Candidate:
    measure: Span
    region: tuple[int, int]


@dataclass
class RuleDecision:
    """What the rules decided for one MEASURE span: its action (``None``: no record) and the spans they
    gave each role. The learned event extractor reads these as features."""

    measure: Span
    action: str | None = None
    roles: dict[str, list[Span]] | None = None


def assemble_events(doc_id: str, text: str, spans: list[Span], doc_date: dt.date | None = None,
                    trace: list[RuleDecision] | None = None) -> list[TradeEvent]:
    """Event records for one document from its spans; duplicates of one action in a document merged.
    ``trace``, when given, receives one ``RuleDecision`` per MEASURE span."""
    events: list[TradeEvent] = []
    for s_start, s_end in split_sentences(text):
        sent = [s for s in spans if s_start <= s.start and s.end <= s_end]
        events += _sentence_events(doc_id, text, (s_start, s_end), sent, doc_date, trace)
    return dedupe(events)


def _sentence_events(doc_id: str, text: str, bounds: tuple[int, int], spans: list[Span],
                     doc_date: dt.date | None, trace: list[RuleDecision] | None = None) -> list[TradeEvent]:
    measures = [s for s in spans if s.label == "MEASURE"]
    verbal = _verbal_export_restrictions(doc_id, text, bounds, spans, doc_date)
    if not measures:
        return verbal
    s_start, s_end = bounds
    modifiers = [s for s in spans if s.label in ("ACTOR", "RATE")]
    candidates = []
    for i, m in enumerate(measures):
        left = s_start if i == 0 else _region_start(text, measures[i], modifiers, measures[i - 1].end)
        right = s_end if i == len(measures) - 1 else _region_start(text, measures[i + 1], modifiers, m.end)
        left, right = _clause_limits(text, m.start, m.end, left, right)
        candidates.append(_Candidate(m, (left, right)))
    out: list[TradeEvent] = []
    prev_action: tuple[str, int] | None = None
    for c in candidates:
        found = _action(text, c)
        if found is None and prev_action is not None and _coordinated(text, prev_action[1], c.region[0]):
            found = prev_action
        decision = RuleDecision(c.measure)
        if trace is not None:
            trace.append(decision)
        if found is None:
            continue
        action, verb_pos = found
        prev_action = found
        if action != "threaten" and _irrealis(text, verb_pos, c.measure.start, s_start):
            continue
        decision.action, decision.roles = action, {}
        out += _build(doc_id, text, bounds, c, action, verb_pos, spans, doc_date, decision.roles)
        out += _embedded_events(doc_id, text, bounds, c, spans, doc_date)
    return out + verbal


#: What may stand between a pre-modifier and its measure: a possessive and adjectives, no function words.
_MODIFIER_GAP = re.compile(r"(?:['’]s)?\s*(?:(?!(?:and|or|to|from|on|of|for|in|by|with|at)\b)[\w-]+\s+){0,2}", re.I)


def _region_start(text: str, measure: Span, modifiers: list[Span], floor: int) -> int:
    """A measure's clause starts at its pre-modifying ACTOR or RATE (``Chinese tariffs``, ``the 125% tariffs``)."""
    start = measure.start
    for a in sorted(modifiers, key=lambda a: -a.start):
        if a.end > start:
            continue
        if a.end < floor or not _MODIFIER_GAP.fullmatch(text[a.end:start]):
            break
        start = a.start
    return max(start, floor)


#: Where a new clause with its own subject begins inside a sentence.
_CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but|although|though|prompting|as|which|and\s+then)\b|"
                           r"\s+—\s+|,\s+(?=(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s+(?:has|had|have|was|were|is|"
                           r"retaliat\w*|respond\w*|announc\w*|impos\w*|said|says)\b)")


def _clause_limits(text: str, start: int, end: int, left: int, right: int) -> tuple[int, int]:
    """Shrink the region ``[left, right)`` around ``text[start:end]`` to its own clause
    (``…, China retaliated by …`` starts another)."""
    for m in _CLAUSE_BREAK.finditer(text, left, start):
        left = max(left, m.end())
    pos = end
    while (m := _CLAUSE_BREAK.search(text, pos, right)) is not None:
        close = re.match(r",\s+(?:which|who)\b[^,;]{0,80},\s+(?=[a-z])", text[m.start():right])
        if close:  # a parenthetical ", which has hit the U.S., remains …": skip it, the clause goes on
            pos = m.start() + close.end()
            continue
        right = m.start()
        break
    return left, right


def _action(text: str, c: _Candidate) -> tuple[str, int] | None:
    """The action verb governing the measure: passive or participle after it, else the nearest before it."""
    left_text = text[c.region[0]:c.measure.start]
    right_text = text[c.measure.end:c.region[1]]
    for aux in re.finditer(r"\b(?:were|was|been|being|be|are|is|remains?|remained)\s+(?:\w+ly\s+)?", right_text, re.I):
        if re.search(r"\b(?:and|but|while)\b", right_text[:aux.start()]):
            break
        for action, rx in _VERB_RE:
            if rx.match(right_text, aux.end()) or (action == "keep" and aux.group().lower().startswith("remain")):
                return action, c.measure.end + aux.start()
    best: tuple[str, int] | None = None
    for action, rx in _VERB_RE:
        for m in rx.finditer(left_text):
            pos = c.region[0] + m.start()
            if best is None or pos > best[1] or (pos == best[1] and action == "threaten"):
                best = (action, pos)
    if best is not None:
        threat = list(_VERB_RE[0][1].finditer(left_text))
        if threat and best[0] != "threaten" and re.fullmatch(
                r"\s+(?:to|that\s+it\s+would|it\s+would|with)\s+", text[c.region[0] + threat[-1].end():best[1]]):
            return "threaten", c.region[0] + threat[-1].start()  # "threatened to impose": a threat
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


_FACTIVE_TO = re.compile(r"\b(?:decision|decided|decides|move[ds]?|voted|began|begun|started|continued|went|chose|"
                         r"opted|prompt\w*|forc\w*|le[ad]\w*|caus\w*|pushed|got|persuad\w*|convinc\w*)\b")


def _irrealis(text: str, verb_pos: int, anchor: int, s_start: int) -> bool:
    """The verb sits in an intention, option, forecast or hypothetical (looked at just before it).

    A purpose infinitive (``meeting to ease``) is an intention; ``decision to raise`` or
    ``prompting the U.S. to suspend`` report something that happened.
    """
    lo = max(s_start, min(verb_pos, anchor) - 60)
    window = text[lo:max(verb_pos, anchor)]
    window = re.split(r"[;,]\s+(?:while|but|and)\b|\bwhich\b|\bthat\b", window)[-1]
    if _IRREALIS.search(window):
        return True
    before_verb = text[max(s_start, verb_pos - 50):verb_pos]
    infinitive = re.search(r"\bto\s+(?:\w+ly\s+)?$", before_verb)
    if infinitive:
        head = before_verb[:infinitive.start()]
        return _FACTIVE_TO.search(" ".join(head.split()[-4:])) is None
    return False


_VERBAL_EXPORT = re.compile(
    r"\b(?P<verb>restrict(?:ed|s|ing)?|suspend(?:ed|s|ing)?|halt(?:ed|s|ing)?|curb(?:ed|s|bing)?|"
    r"ban(?:ned|s|ning)?|block(?:ed|s|ing)?|stopp(?:ed|ing)|stops?|limit(?:ed|s|ing)?)\s+"
    r"(?:the\s+|its\s+|their\s+|some\s+|certain\s+|all\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?P<obj>exports?|sales|shipments)\b(?:\s+of\b)?", re.I)


def _verbal_export_restrictions(doc_id: str, text: str, bounds: tuple[int, int], spans: list[Span],
                                doc_date: dt.date | None) -> list[TradeEvent]:
    """Export restrictions stated as verbs (``restricting exports of key technologies``,
    ``suspended certain technology sales to China``): ``impose`` ``export_control`` records."""
    s_start, s_end = bounds
    out = []
    measures = [x for x in spans if x.label == "MEASURE"]
    for m in _VERBAL_EXPORT.finditer(text, s_start, s_end):
        verb_pos = m.start("verb")
        if any(x.start < m.end() + 12 and m.start() < x.end for x in measures):
            continue  # "suspended export controls": the MEASURE span carries this event
        if _irrealis(text, verb_pos, verb_pos, s_start):
            continue
        lo, hi = _clause_limits(text, verb_pos, m.end(), s_start, s_end)
        subject = [a for a in spans if a.label == "ACTOR" and lo <= a.start and a.end <= verb_pos
                   and not _PREP_BEFORE.search(text[max(s_start, a.start - 15):a.start])]
        impl = subject[-1] if subject else None
        after = [a for a in spans if a.label == "ACTOR" and m.end() <= a.start and a.end <= hi]
        hit = [normalize_actor(a.text, text[s_start:s_end]) for a in after
               if re.search(r"\bto\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", text[m.end():a.start])]
        before_obj = [p for p in spans if p.label == "PRODUCT" and m.start() <= p.start and p.end <= m.end()]
        products = [p.text for p in before_obj] + [p.text for p in spans if p.label == "PRODUCT" and m.end() <= p.start
                                                   and p.end <= hi]
        dates = [d for d in spans if d.label == "DATE" and lo <= d.start and d.end <= hi]
        used = ([impl] if impl else []) + dates[:1]
        party = normalize_actor(impl.text, text[s_start:s_end]) if impl else None
        out.append(TradeEvent(doc_id, "impose", "export_control", party,
                              [h for h in hit if party is None or h.iso3 != party.iso3], None, None,
                              normalize_date(dates[0].text, doc_date) if dates else None, products,
                              Evidence(s_start, s_end, text[s_start:s_end]),
                              min((x.score for x in used), default=0.5)))
    return out


_EMBEDDED = re.compile(r"^\s+(?:that|which)\s+(?:the\s+)?(?P<actor>[^,;]{1,60}?)\s+(?:had|has|have)\s+"
                       r"(?P<verb>\w+)\s+(?:\w+\s+){0,2}?to\s+$")


def _embedded_events(doc_id: str, text: str, bounds: tuple[int, int], c: _Candidate, spans: list[Span],
                     doc_date: dt.date | None) -> list[TradeEvent]:
    """Actions reported inside a measure's noun phrase: ``tariffs that the U.S. had increased to 145%``
    and ``the 125% tariffs imposed by China`` (a relative or participle clause)."""
    s_start, s_end = bounds
    sentence = text[s_start:s_end]
    lo, hi = c.region
    out = []
    rates = [r for r in spans if r.label == "RATE" and lo <= r.start and r.end <= hi]
    actors = [a for a in spans if a.label == "ACTOR" and lo <= a.start and a.end <= hi]
    for r in rates:
        if r.start <= c.measure.end:
            continue
        m = _EMBEDDED.match(text[c.measure.end:r.start])
        if not m:
            continue
        action = next((a for a, rx in _VERB_RE if rx.fullmatch(m.group("verb"))), None)
        impl = next((a for a in actors if c.measure.end < a.start < r.start), None)
        if action and impl:
            out.append(TradeEvent(doc_id, action, measure_type(c.measure.text, text[lo:hi]),
                                  normalize_actor(impl.text, sentence), [], normalize_rate(r.text), None, None, [],
                                  Evidence(s_start, s_end, sentence), min(c.measure.score, impl.score, r.score)))
    pre_rate = [r for r in rates if r.end <= c.measure.start]
    by = re.match(r"^\s+(?:imposed|levied|introduced|set|applied)\s+by\s+(?:the\s+)?$",
                  text[c.measure.end:next((a.start for a in actors if a.start >= c.measure.end), c.measure.end)])
    impl = next((a for a in actors if a.start >= c.measure.end), None)
    if pre_rate and by and impl:
        out.append(TradeEvent(doc_id, "impose", measure_type(c.measure.text, text[lo:hi]),
                              normalize_actor(impl.text, sentence), [], normalize_rate(pre_rate[-1].text), None, None,
                              [], Evidence(s_start, s_end, sentence), min(c.measure.score, impl.score, pre_rate[-1].score)))
    return out


def _build(doc_id: str, text: str, bounds: tuple[int, int], c: _Candidate, action: str, verb_pos: int,
           spans: list[Span], doc_date: dt.date | None, roles: dict[str, list[Span]] | None = None) -> list[TradeEvent]:
    s_start, s_end = bounds
    sentence = text[s_start:s_end]
    lo, hi = c.region
    in_region = [s for s in spans if lo <= s.start and s.end <= hi]
    implementers = _implementers(text, c, verb_pos, in_region, spans, s_start)
    impl_ids = {(a.start, a.end) for a in implementers}
    affected = []
    affected_spans = []
    for a in in_region:
        if a.label == "ACTOR" and (a.start, a.end) not in impl_ids and _AFFECTED_PREP.search(text[max(lo, a.start - 40):a.start]):
            affected_spans.append(a)
            p = normalize_actor(a.text, sentence)
            if p.iso3 not in {x.iso3 for x in affected} or p.iso3 is None:
                affected.append(p)
    rate, previous, rate_spans, (rate_span, prev_span) = _rates(text, c, action, verb_pos, in_region)
    dates = [s for s in in_region if s.label == "DATE"] or [s for s in spans if s.label == "DATE"]
    date_span = min(dates, key=lambda d: abs(d.start - verb_pos)) if dates else None
    products = [s.text for s in in_region if s.label == "PRODUCT"]
    mtype = measure_type(c.measure.text, text[lo:hi])
    if action == "lift" and mtype == "export_licence":
        mtype = "export_control"  # licences granted ease an export control (EVENTS.md: lift on the measure eased)
    used = [c.measure, *implementers, *rate_spans] + ([date_span] if date_span else [])
    confidence = min(s.score for s in used)
    evidence = Evidence(s_start, s_end, sentence)
    date = normalize_date(date_span.text, doc_date) if date_span else None
    if roles is not None:
        roles.update({"implementer": implementers, "affected": affected_spans,
                      "rate": [rate_span] if rate_span else [], "previous_rate": [prev_span] if prev_span else [],
                      "date": [date_span] if date_span else [],
                      "product": [s for s in in_region if s.label == "PRODUCT"]})
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
    rel = [a for a in actors if a.start >= c.measure.end and
           re.fullmatch(r"\s+(?:that|which)\s+(?:the\s+)?", text[c.measure.end:a.start])]
    if rel:
        return rel[:1]
    before = min(verb_pos, c.measure.start)
    subject_zone = [a for a in spans if a.label == "ACTOR" and s_start <= a.start and a.end <= before
                    and not _PREP_BEFORE.search(text[max(s_start, a.start - 15):a.start])]
    window = max(s_start, before - 40)
    pronoun = re.search(r"\b(?:it|they)\s+(?:\w+\s+){0,2}$", text[window:before])
    if pronoun:  # "China …, as a spokesperson said it had approved licences": the nearest actor before
        antecedents = [a for a in spans if a.label == "ACTOR" and s_start <= a.start and a.end <= window + pronoun.start()]
        return antecedents[-1:] if antecedents else []
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
        return None, None, [], (None, None)
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
            normalize_rate(prev_span.text) if prev_span else None, used, (rate_span, prev_span))


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


__all__ = ["ACTION_VERBS", "RuleDecision", "assemble_events", "dedupe"]

"""Event records from the learned heads' predictions (``trade_events.model.event_heads``).

Per measure mention the heads give an action (or ``none``), a measure type and a role per nearby span;
this module turns them into EVENTS.md records: one per implementer, and per implementer one per rate
(both sides acting in one phrase, several rates, the bounds of a range), then merges repeats of one
action within the document exactly as the rules assembler does.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import replace

import numpy as np

from trade_events.events.assemble import dedupe
from trade_events.events.normalize import normalize_actor, normalize_date, normalize_rate
from trade_events.events.records import ACTIONS, MEASURE_TYPES, Evidence, Party, Rate, TradeEvent
from trade_events.spans import Span

#: Roles a span can play in the record of a measure (``none``: not part of it); the heads' output order.
ROLES: tuple[str, ...] = ("none", "implementer", "affected", "rate", "previous_rate", "date", "product")
#: The heads' action classes: ``none`` (the mention carries no record: a talk about tariffs, an intention)
#: then the EVENTS.md actions.
HEAD_ACTIONS: tuple[str, ...] = ("none",) + ACTIONS
#: A measure whose role head names no rate takes the RATE span it rates likeliest as its rate when that
#: probability reaches this (4-fold cross-validation on the hand-labelled Reuters stories: heads-alone event
#: F1 26.7 → 29.1; a rate the gold does not have costs no match, a missing one loses it).
RATE_FALLBACK = 0.05
#: Actor mentions in a story's first this-many characters (the lead) count three times towards its acting
#: country (cross-validated as above: 29.1 → 31.4).
LEAD_CHARS, LEAD_WEIGHT = 300, 3
#: ``U.S. dlrs`` names a currency, not a party.
_CURRENCY_AFTER = re.compile(r"\W*(dlrs?|dollars?)\b", re.I)


def records_from_predictions(doc_id: str, text: str, predictions, doc_date: dt.date | None = None,
                             threshold: float = 0.5, spans: list[Span] | None = None,
                             rule_records: "list[TradeEvent] | tuple" = ()) -> list[TradeEvent]:
    """EVENTS.md records of one document from ``MeasurePrediction``s; a measure whose ``none`` probability
    is at least ``1 - threshold`` gives none. With the document's ``spans``, records (and ``rule_records``,
    the rules assembler's, when given) are consolidated over the whole story (``consolidate``)."""
    events: list[TradeEvent] = []
    for p in predictions:
        p_record = 1.0 - float(p.action_probs[0])
        if p_record < threshold:
            continue
        action = HEAD_ACTIONS[1 + int(np.argmax(p.action_probs[1:]))]
        mtype = MEASURE_TYPES[int(np.argmax(p.type_probs))]
        roles: dict[str, list[tuple[Span, float]]] = {r: [] for r in ROLES[1:]}
        for cand, probs in zip(p.context.candidates, p.role_probs):
            k = int(np.argmax(probs))
            if k:
                roles[ROLES[k]].append((cand, float(probs[k])))
        s0, s1 = p.context.sentence
        sentence = text[s0:s1]
        context = text[min(s0, p.context.candidates[0].start if p.context.candidates else s0):s1]
        if not roles["rate"]:
            best = _likeliest(p, "RATE", "rate")
            if best is not None and best[1] >= RATE_FALLBACK and all(best[0] != c for c, _ in roles["previous_rate"]):
                roles["rate"].append(best)
        implementers = _distinct_parties(roles["implementer"], context)
        implementer_isos = {party.iso3 for _, party, _ in implementers if party.iso3}
        affected = [party for _, party, _ in _distinct_parties(roles["affected"], context)
                    if party.iso3 is None or party.iso3 not in implementer_isos]
        rates = sorted(roles["rate"], key=lambda x: x[0].start)
        previous = sorted(roles["previous_rate"], key=lambda x: x[0].start)
        dates = sorted(roles["date"], key=lambda x: -x[1])
        date = normalize_date(dates[0][0].text, doc_date) if dates else None
        products = [c.text for c, _ in sorted(roles["product"], key=lambda x: x[0].start)]
        evidence = Evidence(s0, s1, sentence)
        for impl, rate, prev in _pairs(implementers, rates, previous):
            used = [p.context.measure.score, p_record] + [x[-1] for x in (impl, rate, prev) if x is not None]
            events.append(TradeEvent(
                doc_id, action, mtype, impl[1] if impl else None,
                [a for a in affected if impl is None or a.iso3 is None or a.iso3 != impl[1].iso3],
                _rate(rate, rates), _rate(prev, previous), date, products, evidence, min(used)))
    return consolidate(events + list(rule_records), text, spans) if spans is not None else dedupe(events)


def _likeliest(p, label: str, role: str) -> tuple[Span, float] | None:
    """The candidate span of ``label`` with the highest probability of ``role`` in measure prediction ``p``."""
    k = ROLES.index(role)
    return max(((c, float(pr[k])) for c, pr in zip(p.context.candidates, p.role_probs) if c.label == label),
               key=lambda x: x[1], default=None)


def consolidate(events: list[TradeEvent], text: str, spans: list[Span]) -> list[TradeEvent]:
    """One story, one record per action (EVENTS.md's first convention): a record with no implementer is dropped
    where another of the same measure type and action names one, and a record with no rate where one of the
    same type, action and implementer has a rate (both restatements); a remaining record with no implementer
    takes the story's acting country (``main_country``). Measured on the hand-labelled Reuters training
    stories in 4-fold cross-validation: event F1 22.3 → 25.1 (implementer fill), 26.0 → 26.7 (rate-less repeats).
    Sanctions an implementer also imposes as tariffs are those tariffs (``instrument_types``)."""
    named = {(e.measure_type, e.action) for e in events if e.implementer is not None and e.implementer.iso3}
    kept = [e for e in events if e.implementer is not None and e.implementer.iso3
            or (e.measure_type, e.action) not in named]
    main = main_country(text, spans)
    if main is not None:
        kept = [replace(e, implementer=Party(e.implementer.text if e.implementer else "", main))
                if e.implementer is None or e.implementer.iso3 is None else e for e in kept]
    kept = dedupe(instrument_types(kept))
    rated = {_key(e) for e in kept if e.rate is not None}
    return [e for e in kept if e.rate is not None or _key(e) not in rated]


def instrument_types(events: list[TradeEvent]) -> list[TradeEvent]:
    """EVENTS.md: a measure the text calls ``sanctions`` and also names as an instrument takes the
    instrument's type in every record of the document. Read per implementer: its ``sanction`` records
    become ``import_tariff`` where it also has tariff records (shipped path, 4-fold cross-validation on
    the Reuters training stories: 28 → 29 matched records; no change on the seeds)."""
    tariffs = {e.implementer.iso3 for e in events if e.measure_type == "import_tariff" and e.implementer}
    return [replace(e, measure_type="import_tariff") if e.measure_type == "sanction" and e.implementer
            and e.implementer.iso3 in tariffs else e for e in events]


def _key(e: TradeEvent) -> tuple:
    return e.measure_type, e.action, e.implementer.iso3 if e.implementer else None


def main_country(text: str, spans: list[Span]) -> str | None:
    """The story's most-mentioned country, mentions in the lead counting ``LEAD_WEIGHT`` times (in wire copy
    the lead names who acts); ``None`` when no actor is a country."""
    counts: Counter = Counter()
    for s in spans:
        if s.label == "ACTOR" and not _CURRENCY_AFTER.match(text, s.end):
            counts[normalize_actor(s.text, text).iso3] += LEAD_WEIGHT if s.start < LEAD_CHARS else 1
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else None


def _distinct_parties(found: list[tuple[Span, float]], context: str) -> list[tuple[Span, Party, float]]:
    """Parties in text order, one per country (the likeliest mention kept; non-country parties all kept)."""
    best: dict[object, tuple[Span, Party, float]] = {}
    for span, prob in found:
        party = normalize_actor(span.text, context)
        key = party.iso3 or ("span", span.start)
        if key not in best or prob > best[key][2]:
            best[key] = (span, party, prob)
    return sorted(best.values(), key=lambda x: x[0].start)


def _pairs(implementers, rates, previous):
    """``(implementer, rate, previous_rate)`` triples: every implementer with its own rates.

    Equal counts pair in text order (``the U.S. cut its tariff to 30% and China to 10%``); a single rate is
    shared (``both sides cut tariffs to 10%``); otherwise each rate goes to the nearest implementer before
    it. A previous rate pairs with the rate at the same position, or is shared when there is one."""
    impls = list(implementers) or [None]
    if len(impls) > 1 and len(rates) == len(impls):
        own = {i: [rates[i]] for i in range(len(impls))}
    elif len(impls) == 1 or len(rates) <= 1:
        own = {i: list(rates) for i in range(len(impls))}
    else:
        own = {i: [] for i in range(len(impls))}
        for r in rates:
            before = [i for i, x in enumerate(impls) if x[0].start < r[0].start]
            own[before[-1] if before else 0].append(r)
    out = []
    for i, impl in enumerate(impls):
        mine = own[i] or [None]
        for r in mine:
            if r is not None and len(previous) == len(rates) and len(rates) > 1:
                prev = previous[rates.index(r)]
            else:
                prev = previous[0] if previous else None
            out.append((impl, r, prev))
    return out


def _rate(found: tuple[Span, float] | None, siblings: list[tuple[Span, float]]) -> Rate | None:
    """The normalized rate; the bare left end of a range (``between 10 and 40 pct``) takes its partner's unit."""
    if found is None:
        return None
    rate = normalize_rate(found[0].text)
    if rate.unit is None:
        later = [normalize_rate(s.text) for s, _ in siblings if s.start > found[0].start]
        unit = next((r.unit for r in later if r.unit), None)
        if unit:
            rate = replace(rate, unit=unit)
    return rate

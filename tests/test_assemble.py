"""Event assembly on hand-written sentences (rules' spans), one per action, and the noise that yields none."""
import datetime as dt

import pytest

from trade_events.data.labelling import label_text
from trade_events.events.assemble import assemble_events
from trade_events.model.rules import RulesExtractor

REF = dt.date(2025, 6, 9)


def events(text, ref=REF):
    return assemble_events("doc", text, label_text(text), ref)


def summary(e):
    return (e.action, e.measure_type, e.implementer.iso3 if e.implementer else None,
            sorted(a.iso3 for a in e.affected), e.rate.value if e.rate else None,
            e.previous_rate.value if e.previous_rate else None)


@pytest.mark.parametrize("text,expected", [
    ("The United States imposed tariffs on Chinese steel in April.", ("impose", "import_tariff", "USA", ["CHN"], None, None)),
    ("Japan raised tariffs on U.S. beef to 50 pct.", ("raise", "import_tariff", "JPN", ["USA"], 50.0, None)),
    ("Beijing suspended export controls on rare earth magnets last week.", ("suspend", "export_control", "CHN", [], None, None)),
    ("The EC lifted its ban on imports of British beef.", ("lift", "import_ban", "EUU", ["GBR"], None, None)),
    ("Washington threatened to impose 100 pct tariffs on Japanese electronic goods.", ("threaten", "import_tariff", "USA", ["JPN"], 100.0, None)),
    ("Canada kept its quotas on Japanese cars unchanged.", ("keep", "import_quota", "CAN", ["JPN"], None, None)),
])
def test_each_action(text, expected):
    evs = events(text)
    assert [summary(e) for e in evs] == [expected]


def test_a_cut_from_x_to_y_and_two_events_in_one_sentence():
    text = ("The truce reduced U.S. tariffs on Chinese goods from 145% to 30% and Chinese tariffs on U.S. imports "
            "from 125% to 10% on May 12.")
    got = [summary(e) for e in events(text)]
    assert got == [("cut", "import_tariff", "USA", ["CHN"], 30.0, 145.0), ("cut", "import_tariff", "CHN", ["USA"], 10.0, 125.0)]
    assert {e.date.value for e in events(text)} == {"2025-05-12"}


def test_a_lifted_duty_keeps_its_previous_rate_only():
    [e] = events("Japan removed the 20 pct duty on U.S. citrus.")
    assert e.action == "lift" and e.rate is None and e.previous_rate.value == 20.0


def test_licences_granted_are_a_lift_of_the_export_control():
    [e] = events("China has granted export licences to three U.S. automakers.")
    assert (e.action, e.measure_type, e.implementer.iso3, [a.iso3 for a in e.affected]) == ("lift", "export_control", "CHN", ["USA"])


def test_export_restriction_stated_as_a_verb():
    [e] = events("China retaliated by restricting exports of rare earth magnets to the United States.")
    assert (e.action, e.measure_type, e.implementer.iso3) == ("impose", "export_control", "CHN")
    assert [a.iso3 for a in e.affected] == ["USA"] and e.products == ["rare earth magnets"]


@pytest.mark.parametrize("text", [
    "The U.S. is considering easing export controls on chips.",
    "Officials intend to cut tariffs on steel.",
    "Both sides are meeting to ease trade restrictions.",
    "Tariffs could rise to 50% if talks fail.",
    "The negotiations focus on resolving disputes over tariffs and export controls.",
])
def test_intentions_forecasts_and_mere_mentions_yield_no_event(text):
    assert events(text) == []


def test_same_action_twice_in_a_document_is_one_record():
    text = "Japan raised tariffs on U.S. beef to 50 pct. Tokyo raised the tariffs on U.S. beef to 50 pct in April."
    [e] = events(text)
    assert e.date.value == "2025-04"  # the fuller statement is kept


def test_sidebar_headlines_yield_no_event(seeds):
    doc = next(d for d in seeds if d.id.startswith("002"))
    sidebar = doc.text.index("U.S. Intelligence Briefly")
    evs = RulesExtractor().extract(doc.text, doc.date, doc.id)
    assert evs and all(e.evidence.end <= sidebar for e in evs)
    assert RulesExtractor().extract(doc.text[sidebar:], doc.date) == []


def test_records_serialise_to_the_events_md_schema():
    [e] = events("Japan raised tariffs on U.S. beef to 50 pct in April.")
    d = e.to_dict()
    assert list(d) == ["doc_id", "action", "measure_type", "mast_chapter", "implementer", "affected", "rate",
                       "previous_rate", "date", "products", "evidence", "confidence"]
    assert d["mast_chapter"] == "TARIFF" and d["rate"] == {"text": "50 pct", "value": 50.0, "unit": "percent"}
    assert d["date"] == {"text": "April", "value": "2025-04", "precision": "month"}
    text = "Japan raised tariffs on U.S. beef to 50 pct in April."
    assert text[d["evidence"]["start"]:d["evidence"]["end"]] == d["evidence"]["text"]

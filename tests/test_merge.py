"""Merging repeated reports: each rule on hand-written records."""
import random

from trade_events.events.merge import date_interval, dates_compatible, merge_events, merged_confidence
from trade_events.events.records import EventDate, Evidence, Party, Rate, TradeEvent

USA, CHN = Party("U.S.", "USA"), Party("China", "CHN")


def ev(doc, action="cut", mtype="import_tariff", impl=USA, rate=None, prev=None, date=None, products=(),
       affected=(CHN,), conf=0.8, start=0):
    return TradeEvent(doc, action, mtype, impl, list(affected), Rate(f"{rate}%", rate, "percent") if rate else None,
                      Rate(f"{prev}%", prev, "percent") if prev else None,
                      EventDate(date or "", date, _prec(date)) if date else None, list(products),
                      Evidence(start, start + 10, "x" * 10), conf)


def _prec(v):
    return "day" if len(v) == 10 else "week" if "W" in v else "month" if len(v) == 7 else "year"


def test_date_intervals_and_containment():
    assert date_interval(EventDate("", "2025-W23", "week")) == (date_interval(EventDate("", "2025-06-02", "day"))[0],
                                                                date_interval(EventDate("", "2025-06-08", "day"))[0])
    month, day, other = EventDate("May", "2025-05", "month"), EventDate("May 12", "2025-05-12", "day"), \
        EventDate("June 1", "2025-06-01", "day")
    assert dates_compatible(month, day) and dates_compatible(day, month)
    assert not dates_compatible(month, other)
    assert dates_compatible(EventDate("last week", "2025-W23", "week"), EventDate("", "2025-06-05", "day"))
    assert dates_compatible(None, day)


def test_reports_of_one_action_merge_with_the_most_precise_date_and_union_of_parties():
    a = ev("d1", rate=30, prev=145, date="2025-05", affected=(CHN,))
    b = ev("d2", rate=30, prev=145, date="2025-05-12", affected=(Party("Chinese", "CHN"), Party("EU", "EUU")))
    c = ev("d3", rate=30, date=None)
    [m] = merge_events([a, b, c])
    assert m.n_reports == 3 and {s.doc_id for s in m.sources} == {"d1", "d2", "d3"}
    assert m.date.value == "2025-05-12"
    assert {p.iso3 for p in m.affected} == {"CHN", "EUU"}
    assert not m.has_conflicts


def test_incompatible_dates_or_rates_do_not_merge():
    assert len(merge_events([ev("d1", date="2025-05-12"), ev("d2", date="2025-06-01")])) == 2
    assert len(merge_events([ev("d1", rate=30), ev("d2", rate=10)])) == 2


def test_different_implementers_never_merge():
    assert len(merge_events([ev("d1", impl=USA, rate=10), ev("d2", impl=CHN, rate=10)])) == 2
    assert len(merge_events([ev("d1", impl=None), ev("d2", impl=USA)])) == 2


def test_products_must_overlap_when_both_name_some():
    assert len(merge_events([ev("d1", products=["steel"]), ev("d2", products=["soybeans"])])) == 2
    assert len(merge_events([ev("d1", products=["steel"]), ev("d2", products=["Steel", "aluminium"])])) == 1
    assert len(merge_events([ev("d1", products=["steel"]), ev("d2")])) == 1


def test_a_previous_rate_conflict_is_kept_and_flagged():
    [m] = merge_events([ev("d1", rate=30, prev=145), ev("d2", rate=30, prev=125), ev("d3", rate=30, prev=145)])
    assert m.has_conflicts and m.previous_rate.value == 145
    assert m.conflicts["previous_rate"] == [{"value": 125, "doc_ids": ["d2"]}, {"value": 145, "doc_ids": ["d1", "d3"]}]


def test_a_date_conflict_through_a_coarse_report_is_flagged():
    [m] = merge_events([ev("d1", date="2025-05"), ev("d2", date="2025-05-12"), ev("d3", date="2025-05-14")])
    assert m.has_conflicts and {c["value"] for c in m.conflicts["date"]} == {"2025-05", "2025-05-12", "2025-05-14"}


def test_merging_is_idempotent_and_order_independent():
    records = [ev("d1", rate=30, prev=145, date="2025-05"), ev("d2", rate=30, date="2025-05-12"),
               ev("d3", action="impose", mtype="export_control", impl=CHN, affected=(USA,)),
               ev("d4", action="impose", mtype="export_control", impl=CHN, date="2025-04"),
               ev("d5", rate=10, impl=CHN, affected=(USA,))]
    once = merge_events(records)
    assert [m.to_dict() for m in merge_events(once)] == [m.to_dict() for m in once]
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        assert [m.to_dict() for m in merge_events(shuffled)] == [m.to_dict() for m in once]


def test_merged_confidence_is_noisy_or():
    assert merged_confidence([0.5, 0.5]) == 0.75
    assert merged_confidence([0.9]) == 0.9

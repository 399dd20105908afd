"""Normalization of span text into EVENTS.md values: actors, rates, dates, measure types."""
import datetime as dt

import pytest

from trade_events.events.normalize import measure_type, normalize_actor, normalize_date, normalize_rate
from trade_events.events.records import mast_chapter
from trade_events.events.records import MEASURE_TYPES, EventDate, Party, Rate

MONDAY = dt.date(2025, 6, 9)        # the reference article: Monday 2025-06-09, ISO week 24
TUESDAY = dt.date(2025, 6, 10)
REUTERS = dt.date(1987, 3, 26)       # a Thursday
REUTERS_DEC = dt.date(1987, 12, 15)


# ---------------------------------------------------------------------------------------------- actors
@pytest.mark.parametrize("text,iso3", [
    ("U.S.", "USA"), ("US", "USA"), ("America", "USA"), ("United States", "USA"), ("the United States", "USA"),
    ("American", "USA"), ("Washington", "USA"), ("the U.S.'s", "USA"), ("Americans'", "USA"),
    ("Chinese", "CHN"), ("China", "CHN"), ("Beijing", "CHN"), ("China's", "CHN"),
    ("the EC", "EUU"), ("EC", "EUU"), ("European Community", "EUU"), ("the European Union", "EUU"),
    ("Brussels", "EUU"), ("Tokyo", "JPN"), ("Japan", "JPN"), ("Japanese government", "JPN"),
    ("the Japanese government", "JPN"), ("West Germany", "DEU"), ("Canadian", "CAN"), ("Britain", "GBR"),
    ("U.S. Treasury Secretary Scott Bessent", "USA"), ("President Donald Trump", "USA"), ("Trump", "USA"),
    ("Xi", "CHN"), ("Chinese Vice Premier He Lifeng", "CHN"), ("He Lifeng", "CHN"), ("Yeutter", "USA"),
    ("U.S. Trade Representative", "USA"), ("Trump administration", "USA"), ("Reagan administration", "USA"),
    ("White House", "USA"), ("USTR", "USA"), ("MITI", "JPN"), ("Government of India", "IND"),
    ("Russian Federation", "RUS"), ("Viet Nam", "VNM"), ("JPN", "JPN"),
])
def test_actor_iso3_without_context(text, iso3):
    assert normalize_actor(text) == Party(text, iso3)


@pytest.mark.parametrize("text", ["officials", "the company", "he", "IN", "Commerce Department", "Congress",
                                  "the ministry", ""])
def test_actor_unknown_is_none(text):
    assert normalize_actor(text) == Party(text, None)


@pytest.mark.parametrize("text,context,iso3", [
    ("Commerce Department", "The U.S. Commerce Department said it would impose duties.", "USA"),
    ("Commerce Department", "The Commerce Department said it would impose duties.", None),
    ("Commerce Department", "The Commerce Department will levy duties on Chinese steel.", None),
    ("Commerce Department", "Washington's Commerce Department set the duty.", "USA"),
    ("Congress", "Trump asked Congress to back the tariffs.", "USA"),
    ("Senate", "The Senate passed the trade bill, a blow to Japan.", None),
    ("trade ministry", "Japan's trade ministry said it would curb exports.", "JPN"),
    ("Ministry of Commerce", "China's Ministry of Commerce announced controls.", "CHN"),
    ("the ministry", "The ministry said imports from Japan would fall.", None),
])
def test_actor_from_context(text, context, iso3):
    assert normalize_actor(text, context) == Party(text, iso3)


def test_actor_keeps_surface_text():
    assert normalize_actor("  the EC ").text == "  the EC "


# ----------------------------------------------------------------------------------------------- rates
@pytest.mark.parametrize("text,value,unit", [
    ("145%", 145.0, "percent"), ("145 percent", 145.0, "percent"), ("145 per cent", 145.0, "percent"),
    ("145 pct", 145.0, "percent"), ("30 pct", 30.0, "percent"), ("10%", 10.0, "percent"),
    ("2.5 pct", 2.5, "percent"), ("12-1/2 pct", 12.5, "percent"), ("34.5%", 34.5, "percent"),
    ("five pct", 5.0, "percent"), ("zero pct", 0.0, "percent"), ("twenty-five percent", 25.0, "percent"),
    ("twenty five percent", 25.0, "percent"), ("one hundred pct", 100.0, "percent"),
    ("ten pct points", 10.0, "percent"), ("3 percentage points", 3.0, "percent"),
    ("$300 million", 3e8, "usd"), ("300 mln dlrs", 3e8, "usd"), ("US$1.5 billion", 1.5e9, "usd"),
    ("300 million dollars", 3e8, "usd"), ("$1.5 bln", 1.5e9, "usd"), ("1.5 billion U.S. dlrs", 1.5e9, "usd"),
    ("$50", 50.0, "usd"), ("$2.5m", 2.5e6, "usd"), ("8,000 dlrs", 8000.0, "usd"),
    ("300 mln dlrs a year", 3e8, "usd"), ("500 mln stg", 5e8, "gbp"), ("10 billion yen", 1e10, "jpy"),
    ("1.5 mln tonnes", 1.5e6, "tonnes"), ("200,000 tons", 2e5, "tonnes"), ("1.68 mln cars", 1.68e6, "units"),
    ("10", 10.0, None), ("8,000", 8000.0, None), ("2.5", 2.5, None), ("twenty", 20.0, None),
])
def test_rate(text, value, unit):
    rate = normalize_rate(text)
    assert rate == Rate(text, pytest.approx(value), unit)
    assert isinstance(rate.value, float)


@pytest.mark.parametrize("text", ["", "odd", "Section", "a lot", "%", "pct"])
def test_rate_unparseable(text):
    assert normalize_rate(text) == Rate(text, None, None)


# ----------------------------------------------------------------------------------------------- dates
@pytest.mark.parametrize("text,value,precision", [
    ("May 12", "2025-05-12", "day"), ("on May 12", "2025-05-12", "day"), ("Sept. 15", "2025-09-15", "day"),
    ("June 3rd", "2025-06-03", "day"), ("12 May", "2025-05-12", "day"), ("the 15th of May", "2025-05-15", "day"),
    ("April", "2025-04", "month"), ("in April", "2025-04", "month"), ("December", "2025-12", "month"),
    ("last April", "2025-04", "month"), ("next April", "2026-04", "month"), ("last June", "2024-06", "month"),
    ("early August", "2025-08", "month"), ("late May", "2025-05", "month"), ("mid-June", "2025-06", "month"),
    ("the end of May", "2025-05", "month"), ("end-July", "2025-07", "month"), ("May 2024", "2024-05", "month"),
    ("last week", "2025-W23", "week"), ("this week", "2025-W24", "week"), ("next week", "2025-W25", "week"),
    ("last month", "2025-05", "month"), ("this month", "2025-06", "month"), ("next month", "2025-07", "month"),
    ("earlier this month", "2025-06", "month"), ("last quarter", "2025-Q1", "quarter"),
    ("today", "2025-06-09", "day"), ("tonight", "2025-06-09", "day"), ("yesterday", "2025-06-08", "day"),
    ("tomorrow", "2025-06-10", "day"),
    ("Monday", "2025-06-09", "day"), ("Tuesday", "2025-06-03", "day"), ("on Friday", "2025-06-06", "day"),
    ("Sunday", "2025-06-08", "day"), ("last Friday", "2025-06-06", "day"), ("last Monday", "2025-06-02", "day"),
    ("next Tuesday", "2025-06-10", "day"), ("coming Monday", "2025-06-16", "day"),
    ("this Thursday", "2025-06-12", "day"), ("Tuesday, June 10", "2025-06-10", "day"),
    ("earlier this year", "2025", "year"), ("this year", "2025", "year"), ("later this year", "2025", "year"),
    ("last year", "2024", "year"), ("late last year", "2024", "year"), ("next year", "2026", "year"),
    ("early next year", "2026", "year"), ("the end of the year", "2025", "year"),
    ("a year ago", "2024", "year"), ("two years ago", "2023", "year"), ("two weeks ago", "2025-W22", "week"),
    ("three days ago", "2025-06-06", "day"), ("a month ago", "2025-05", "month"),
    ("1987", "1987", "year"), ("in 1987", "1987", "year"), ("fiscal 1987", "1987", "year"),
    ("fiscal year 2026", "2026", "year"), ("the 1980s", "1980/1989", "range"), ("1990s", "1990/1999", "range"),
    ("1986-87", "1986/1987", "range"), ("crop year 1986/87", "1986/1987", "range"),
    ("1985 to 1987", "1985/1987", "range"),
    ("first quarter", "2025-Q1", "quarter"), ("the fourth quarter", "2025-Q4", "quarter"),
    ("first quarter of 1987", "1987-Q1", "quarter"), ("third quarter of next year", "2026-Q3", "quarter"),
    ("first half", "2025-01/2025-06", "range"), ("second half of 1987", "1987-07/1987-12", "range"),
    ("January to May", "2025-01/2025-05", "range"), ("January-May", "2025-01/2025-05", "range"),
    ("November to January", "2024-11/2025-01", "range"), ("June 3 and 4", "2025-06-03/2025-06-04", "range"),
    ("June 3-4", "2025-06-03/2025-06-04", "range"), ("May 12 to June 3", "2025-05-12/2025-06-03", "range"),
    ("December 1986 to February 1987", "1986-12/1987-02", "range"),
    ("last weekend", "2025-06-07/2025-06-08", "range"), ("this summer", "2025-06/2025-08", "range"),
    ("last summer", "2024-06/2024-08", "range"), ("last winter", "2024-12/2025-02", "range"),
    ("March 3, 1987", "1987-03-03", "day"), ("3 March 1987", "1987-03-03", "day"), ("3/15/87", "1987-03-15", "day"),
])
def test_date_against_monday_article(text, value, precision):
    assert normalize_date(text, MONDAY) == EventDate(text, value, precision)


@pytest.mark.parametrize("text,value", [("Tuesday", "2025-06-10"), ("Monday", "2025-06-09"),
                                        ("last Tuesday", "2025-06-03"), ("yesterday", "2025-06-09")])
def test_weekday_rule_on_a_tuesday(text, value):
    assert normalize_date(text, TUESDAY) == EventDate(text, value, "day")


@pytest.mark.parametrize("reference,text,value,precision", [
    (REUTERS, "last year", "1986", "year"), (REUTERS, "this year", "1987", "year"),
    (REUTERS, "first quarter", "1987-Q1", "quarter"), (REUTERS, "January", "1987-01", "month"),
    (REUTERS, "December", "1986-12", "month"), (REUTERS, "March 3", "1987-03-03", "day"),
    (REUTERS, "last week", "1987-W12", "week"), (REUTERS, "Tuesday", "1987-03-24", "day"),
    (REUTERS, "April 1", "1987-04-01", "day"), (REUTERS, "January to February", "1987-01/1987-02", "range"),
    (REUTERS, "a year ago", "1986", "year"), (REUTERS, "fiscal 1988", "1988", "year"),
    (REUTERS_DEC, "January", "1988-01", "month"), (REUTERS_DEC, "November", "1987-11", "month"),
    (REUTERS_DEC, "Jan. 1", "1988-01-01", "day"), (REUTERS_DEC, "June", "1987-06", "month"),
    (dt.date(1988, 1, 4), "Dec. 30", "1987-12-30", "day"),
])
def test_date_against_reuters_articles(reference, text, value, precision):
    assert normalize_date(text, reference) == EventDate(text, value, precision)


@pytest.mark.parametrize("text,value,precision", [
    ("March 3, 1987", "1987-03-03", "day"), ("1987", "1987", "year"), ("fiscal 1987", "1987", "year"),
    ("the 1980s", "1980/1989", "range"), ("first quarter of 1987", "1987-Q1", "quarter"),
    ("April 1987", "1987-04", "month"), ("June 3 and 4, 2025", "2025-06-03/2025-06-04", "range"),
    ("last week", None, None), ("Tuesday", None, None), ("April", None, None), ("May 12", None, None),
    ("first quarter", None, None), ("a year ago", None, None), ("January to May", None, None),
    ("today", None, None),
])
def test_date_without_reference(text, value, precision):
    assert normalize_date(text, None) == EventDate(text, value, precision)


@pytest.mark.parametrize("text", ["", "soon", "a few weeks ago", "recently", "the past", "February 30"])
def test_date_unparseable(text):
    assert normalize_date(text, MONDAY) == EventDate(text, None, None)


def test_date_accepts_datetime_reference():
    assert normalize_date("last week", dt.datetime(2025, 6, 9, 15, 30)).value == "2025-W23"


# -------------------------------------------------------------------------------------------- measures
@pytest.mark.parametrize("measure,context,expected", [
    ("tariffs", "", "import_tariff"), ("tariff", "", "import_tariff"), ("duties", "", "import_tariff"),
    ("levy", "", "import_tariff"), ("surcharge", "", "import_tariff"), ("import taxes", "", "import_tariff"),
    ("reciprocal tariffs", "", "import_tariff"), ("tariffs", "tariffs on Chinese exports", "import_tariff"),
    ("anti-dumping duties", "", "anti_dumping_duty"), ("antidumping duty", "", "anti_dumping_duty"),
    ("duties", "The EC imposed anti-dumping duties on steel.", "anti_dumping_duty"),
    ("countervailing duties", "", "countervailing_duty"), ("anti-subsidy duties", "", "countervailing_duty"),
    ("safeguard measures", "", "safeguard"), ("safeguard tariffs", "", "safeguard"),
    ("export tax", "", "export_control"), ("export duty", "", "export_control"),
    ("export controls", "", "export_control"), ("export curbs", "", "export_control"),
    ("export restrictions", "", "export_control"), ("export ban", "", "export_control"),
    ("ban on exports", "", "export_control"), ("restricting exports", "", "export_control"),
    ("restrictions", "China imposed restrictions on the export of critical minerals.", "export_control"),
    ("controls", "Beijing tightened controls on exports of rare earths.", "export_control"),
    ("controls", "the new export controls on chips", "export_control"),
    ("export licences", "", "export_licence"), ("export licenses", "", "export_licence"),
    ("licensing", "new licensing requirements for chip exports", "export_licence"),
    ("quota", "", "import_quota"), ("quotas", "tariffs and quotas", "import_quota"),
    ("tariffs", "quotas and tariffs", "import_tariff"),
    ("voluntary export restraints", "", "import_quota"), ("orderly marketing agreements", "", "import_quota"),
    ("import curbs", "", "import_quota"),
    ("sanctions", "", "sanction"), ("economic sanctions", "", "sanction"),
    ("visa revocations", "", "visa_restriction"), ("visa restrictions", "", "visa_restriction"),
    ("import ban", "", "import_ban"), ("embargo", "", "import_ban"), ("ban on imports", "", "import_ban"),
    ("ban", "a ban on imports of Japanese beef", "import_ban"),
    ("anti-dumping investigation", "", "anti_dumping_duty"), ("dumping inquiry", "", "anti_dumping_duty"),
    ("Section 301 investigation", "", "import_tariff"),
    ("retaliation", "retaliation against U.S. tariffs", "import_tariff"),
    ("retaliatory measures", "Beijing threatened retaliatory measures.", "other"),
    ("countermeasures", "countermeasures including duties on bourbon", "import_tariff"),
    ("curbs", "", "other"), ("subsidies", "", "other"), ("measures", "", "other"), ("", "", "other"),
])
def test_measure_type(measure, context, expected):
    assert measure_type(measure, context) == expected


@pytest.mark.parametrize("mtype,chapter", [
    ("import_tariff", "TARIFF"), ("anti_dumping_duty", "D"), ("countervailing_duty", "D"), ("safeguard", "D"),
    ("import_quota", "E"), ("import_ban", "E"), ("export_control", "P"), ("export_licence", "P"),
    ("sanction", "N/A"), ("visa_restriction", "N/A"), ("other", "N/A"),
])
def test_mast_chapter(mtype, chapter):
    assert mast_chapter(mtype) == chapter


def test_mast_chapter_covers_every_type_and_rejects_unknown():
    assert {mast_chapter(t) for t in MEASURE_TYPES} == {"TARIFF", "D", "E", "P", "N/A"}
    with pytest.raises(ValueError):
        mast_chapter("tariff")

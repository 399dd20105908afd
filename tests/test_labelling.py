"""Every labelling function on positive and negative examples, and the resolution of their votes."""
import pytest

from trade_events.data.labelling import REGISTRY, label_text, votes_for
from trade_events.data.labelling import actors, products


def spans(text, label=None):
    return [(s.text, s.label) for s in label_text(text) if label is None or s.label == label]


def texts_of(fn, text):
    return [text[s:e] for s, e in fn(text)]


# ----------------------------------------------------------------- ACTOR
@pytest.mark.parametrize("text,expected", [
    ("U.S. tariffs on Chinese goods", ["U.S.", "Chinese"]),
    ("talks between the United States and China", ["United States", "China"]),
    ("U.S.-Canadian trade and Japanese-made cars", ["U.S.", "Canadian", "Japanese"]),
    ("the EC said it would retaliate", ["EC"]),
])
def test_country_mention_positive(text, expected):
    assert texts_of(actors.country_mention, text) == expected


def test_venues_and_companies_are_not_actors():
    assert spans("Officials met in London at Lancaster House and in Geneva.", "ACTOR") == []
    assert spans("Ford and Natixis and Morgan Stanley said so.", "ACTOR") == []
    assert spans("The surplus was 12 billion U.S. dlrs.", "ACTOR") == []
    assert spans("Korea Zinc Plans $6.78 Billion Smelter", "ACTOR") == []


def test_officials_take_title_and_name_as_one_span():
    text = "The talks were led by U.S. Treasury Secretary Scott Bessent and Chinese Vice Premier He Lifeng."
    assert texts_of(actors.official_with_title, text) == [
        "U.S. Treasury Secretary Scott Bessent", "Chinese Vice Premier He Lifeng"]
    assert ("U.S. Treasury Secretary Scott Bessent", "ACTOR") in spans(text)


def test_surnames_of_titled_officials_are_actors_later():
    text = "Commerce Secretary Howard Lutnick attended. Lutnick's presence matters. Yeutter agreed."
    assert texts_of(actors.official_surname, text) == ["Lutnick", "Lutnick", "Yeutter"]


def test_capitals_acting_for_the_state_but_not_as_places():
    assert texts_of(actors.capital_for_state, "Beijing granted licences; talks in Beijing resumed.") == ["Beijing"]


def test_government_bodies():
    assert texts_of(actors.government_body, "the Commerce Department and MITI and Congress said") == [
        "Commerce Department", "MITI", "Congress"]
    assert texts_of(actors.national_government, "the Japanese government and the Reagan Administration") == [
        "Japanese government", "Reagan Administration"]
    assert spans("the government said the ministry agreed", "ACTOR") == []


# ----------------------------------------------------------------- RATE
@pytest.mark.parametrize("text,expected", [
    ("reduced U.S. tariffs on Chinese goods from 145% to 30%", ["145%", "30%"]),
    ("raise tariffs on Chinese imports beyond 145 percent", ["145 percent"]),
    ("a 100 pct tariff on Japanese electronic goods", ["100 pct"]),
    ("duties of between 10 and 40 pct", ["10", "40 pct"]),
])
def test_rates_positive(text, expected):
    assert [t for t, _ in spans(text, "RATE")] == expected


@pytest.mark.parametrize("text", [
    "Customs data showed a sharp 34.5% drop in exports to the U.S. despite tariffs.",
    "magnets, which account for 90% of the global supply, face export controls",
    "an 8.1% decline in bilateral trade amid tariffs",
    "inflation hit 250 pct last year",
    "exports rose 12 pct in January",
])
def test_statistics_are_not_rates(text):
    assert spans(text, "RATE") == []


def test_amounts_are_rates_only_when_sizing_a_measure():
    assert [t for t, _ in spans("tariffs on 300 mln dlrs of Japanese goods", "RATE")] == ["300 mln dlrs"]
    assert spans("a trade surplus of 58 billion dlrs", "RATE") == []


# ----------------------------------------------------------------- DATE
@pytest.mark.parametrize("text,expected", [
    ("In April, China imposed licences", ["April"]),
    ("the truce established on May 12", ["May 12"]),
    ("a phone call last week", ["last week"]),
    ("talks resumed on Tuesday", ["Tuesday"]),
    ("before the truce expires in early August", ["early August"]),
    ("trade fell from January to May", ["January to May"]),
    ("since he resumed his role earlier this year", ["earlier this year"]),
    ("convened today in London", ["today"]),
    ("by July 1, 1987", ["July 1, 1987"]),
])
def test_dates_positive(text, expected):
    assert [t for t, _ in spans(text, "DATE")] == expected


@pytest.mark.parametrize("text", [
    "a 90-day tariff truce", "after two days of talks", "a 90-minute phone call",
    "tensions rose in recent weeks", "in the months ahead", "recently",
])
def test_durations_and_vague_times_are_not_dates(text):
    assert spans(text, "DATE") == []


# ----------------------------------------------------------------- MEASURE
@pytest.mark.parametrize("text,expected", [
    ("disputes over tariffs, export controls, and visa revocations", ["tariffs", "export controls", "visa revocations"]),
    ("anti-dumping duties on steel", ["anti-dumping duties"]),
    ("the 90-day tariff truce and tariff cuts", ["tariff", "tariff"]),
    ("China imposed export licenses", ["export licenses"]),
    ("the EC threatened retaliation", ["retaliation"]),
])
def test_measures_positive(text, expected):
    assert [t for t, _ in spans(text, "MEASURE")] == expected


def test_not_measures():
    assert spans("They signed the Geneva agreement after negotiations and a truce.", "MEASURE") == []
    assert spans("It acted in retaliation for the move.", "MEASURE") == []
    assert spans("the controls and the measures", "MEASURE") == []


def test_sidebar_headlines_yield_no_measure(seeds):
    doc = next(d for d in seeds if d.id.startswith("002"))
    sidebar = doc.text.index("U.S. Intelligence Briefly")
    assert [s for s in label_text(doc.text) if s.start >= sidebar and s.label == "MEASURE"] == []
    assert [s for s in label_text(doc.text) if s.start >= sidebar and s.label == "ACTOR"]  # countries still ACTOR


# ----------------------------------------------------------------- PRODUCT
def test_products_positive_and_negative():
    text = "restrictions on rare earth magnets, semiconductors and jet engines hit Chinese goods and imports"
    assert [t for t, _ in spans(text, "PRODUCT")] == ["rare earth magnets", "semiconductors", "jet engines"]
    assert texts_of(products.product_lexicon, "farm products and electronic goods") == [
        "farm products", "electronic goods"]


# ----------------------------------------------------------------- resolution
def test_resolution_is_deterministic_flat_and_word_aligned(seeds):
    from trade_events.data.words import split_words

    for doc in seeds:
        a, b = label_text(doc.text), label_text(doc.text)
        assert a == b
        starts = {w.start for w in split_words(doc.text)}
        ends = {w.end for w in split_words(doc.text)}
        for x, y in zip(a, a[1:]):
            assert x.end <= y.start
        assert all(s.start in starts and s.end in ends for s in a)


def test_blockers_beat_matches():
    votes = votes_for("The surplus was 12 billion U.S. dlrs.")
    assert any(v.label is None and v.lf == "not_a_party" for v in votes)
    assert spans("The surplus was 12 billion U.S. dlrs.", "ACTOR") == []


def test_every_label_has_a_labelling_function():
    assert {lf.label for lf in REGISTRY} >= {"ACTOR", "RATE", "DATE", "MEASURE", "PRODUCT", None}
    assert len({lf.name for lf in REGISTRY}) == len(REGISTRY)

from trade_events.data.words import split_words
from trade_events.text import split_punctuated_sentences, split_sentences


def test_words_split_where_the_guideline_splits():
    words = [w.text for w in split_words("U.S.-China talks: China's 34.5% drop, $300 million, 8,000 tonnes")]
    assert words[:3] == ["U.S.", "-", "China"]
    assert "China" in words and "'" in words and "34.5" in words and "%" in words
    assert "$" in words and "300" in words and "8,000" in words


def test_word_offsets_index_the_text():
    text = "Beijing’s export curbs—vital"
    for w in split_words(text):
        assert text[w.start:w.end] == w.text


def test_sentences_split_at_stops_but_not_inside_titles():
    text = ("The talks, led by U.S. Treasury Secretary Scott Bessent, went on. Tariffs fell to 30% on May 12. "
            "Exports to the U.S. The end.")
    sents = [text[s:e] for s, e in split_sentences(text)]
    assert sents[0].startswith("The talks") and sents[0].endswith("went on.")
    assert sents[1] == "Tariffs fell to 30% on May 12."
    assert len(sents) == 4


def test_headline_lines_are_sentences_and_wrapped_lines_are_not():
    text = ("Preamble sentence.\n\nU.S. Intelligence Briefly Curtailed Information Sharing With Israel\n"
            "Korea Zinc Plans $6.78 Billion U.S. Smelter Investment\n"
            "Taiwan plans another round of deep tariff\ncuts this year to help narrow its surplus.")
    sents = [text[s:e] for s, e in split_sentences(text)]
    assert sents[1] == "U.S. Intelligence Briefly Curtailed Information Sharing With Israel"
    assert sents[2] == "Korea Zinc Plans $6.78 Billion U.S. Smelter Investment"
    assert sents[3].startswith("Taiwan plans") and sents[3].endswith("surplus.")


def test_punctuated_sentences_keep_wrapped_names_whole_and_headlines_apart():
    text = ("The talks went on.\n    U.S. Trade Representative Clayton\nYeutter said tariffs would stay.\n"
            "Title Of A Story Here\n\nBody starts here.\n"
            "U.S. Intelligence Briefly Curtailed Information Sharing With Israel\n"
            "Korea Zinc Plans Billion Dollar Smelter Investment In Tennessee\n")
    sents = [text[s:e] for s, e in split_punctuated_sentences(text)]
    assert sents[0] == "The talks went on."
    assert sents[1] == "U.S. Trade Representative Clayton\nYeutter said tariffs would stay."
    assert sents[2] == "Title Of A Story Here"
    assert sents[3] == "Body starts here."
    assert sents[4].endswith("With Israel") and sents[5].startswith("Korea Zinc")

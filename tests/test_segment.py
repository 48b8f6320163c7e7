"""Word segmentation of link windows (contentkit.segment) on a small dictionary of our own.

The lexicon reads a jieba-style ``dict.txt`` into its SQLite cache; the link judge segments
windows with a Lattice over the table that ``Lexicon.lookup_pieces`` hands out (the lexicon's
own table of what it looked up, across windows and posts). These tests pin that table to
the plain definition (the dictionary's words inside the window, their log-probabilities and
proper prefixes) and the Lattice to an exhaustive search over segmentations.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contentkit import segment

# word, frequency, tag. 零 has frequency 0 (jieba's dictionary has a few such words); 贸易优势
# makes 贸易优 a prefix row; 微信公众号 makes 微信公, 微信公众 prefix rows; 天地和 is no word.
DICTIONARY = """\
贸易 500 n
优势 800 n
贸易优势 20 l
易 300 v
优 100 a
势 50 n
得到 2000 v
到 5000 v
得 3000 u
公司 3000 n
公 400 n
司 200 n
微信 800 nz
微信公众号 10 nz
公众号 50 n
公众 300 n
众 80 n
号 900 m
和 9000 c
天地 400 n
天 700 n
地 900 n
零 0 m
App 30 eng
"""
ALPHABET = "贸易优势得到公司微信众号和天地零鑫，。·A pp"


@pytest.fixture(scope="module")
def lexicon(tmp_path_factory: pytest.TempPathFactory) -> segment.Lexicon:
    base = tmp_path_factory.mktemp("lexicon")
    source = base / "dict.txt"
    source.write_text(DICTIONARY, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("CONTENTKIT_CACHE_DIR", str(base / "cache"))
    try:
        lex = segment.Lexicon(source)
    finally:
        mp.undo()
    assert list((base / "cache").glob("lexicon-*.sqlite")), "the SQLite cache was built"
    return lex


def _dictionary() -> dict[str, segment.Entry]:
    out = {}
    for line in DICTIONARY.splitlines():
        word, freq, tag = line.split()
        out[word] = segment.Entry(int(freq), tag)
    return out


def _words_inside(text: str) -> dict[str, segment.Entry]:
    """The dictionary words (frequency > 0) that are substrings of ``text``: by definition."""
    words = _dictionary()
    inside = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)}
    return {w: e for w, e in words.items() if w in inside and e.freq > 0}


def _reference_lattice(text: str, total: int) -> segment.Lattice:
    entries = _words_inside(text)
    return segment.Lattice(
        text, segment.log_probs(entries, total), total, segment.word_prefixes(entries)
    )


def _best_by_search(text: str, total: int, boundary: int | None = None) -> float:
    """The best log-probability over every segmentation (words of the dictionary, any
    single character), optionally with a word boundary forced at ``boundary``."""
    logp = segment.log_probs(_dictionary_entries(), total)
    unknown = -math.log(total)
    best = -math.inf
    n = len(text)
    for cuts in itertools.product((False, True), repeat=max(0, n - 1)):
        bounds = [0] + [i + 1 for i, c in enumerate(cuts) if c] + [n]
        if boundary is not None and boundary not in bounds:
            continue
        total_lp = 0.0
        for s, e in itertools.pairwise(bounds):
            piece = text[s:e]
            if piece in logp and (len(piece) <= segment.MAX_WORD_LEN):
                total_lp += logp[piece]
            elif len(piece) == 1:
                total_lp += unknown
            else:
                break
        else:
            best = max(best, total_lp)
    return best


def _dictionary_entries() -> dict[str, segment.Entry]:
    return {w: e for w, e in _dictionary().items() if e.freq > 0}


def test_lookups_find_the_dictionary_rows(lexicon: segment.Lexicon) -> None:
    assert lexicon.total == sum(e.freq for e in _dictionary().values())
    found = lexicon.lookup_many(["贸易", "贸易优", "零", "鑫", "天地和", "微信公"])
    # Prefixes of longer words are rows of frequency 0; words of frequency 0 are rows too.
    assert found == {
        "贸易": segment.Entry(500, "n"),
        "贸易优": segment.Entry(0, ""),
        "零": segment.Entry(0, "m"),
        "微信公": segment.Entry(0, ""),
    }
    assert lexicon.get("得到") == segment.Entry(2000, "v")
    assert lexicon.get("天地和") is None
    windows = ["具有得天独厚的贸易优势。", "微信公众号“三易生活”"]
    assert lexicon.lookup_windows(windows) == {
        w: e for t in windows for w, e in _words_inside(t).items()
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=12), min_size=1, max_size=4))
def test_lattice_on_the_lexicon_table_is_the_lattice_of_the_window_words(
    lexicon: segment.Lexicon, windows: list[str]
) -> None:
    """Windows looked up together (and after any earlier lookups) segment exactly as on a
    table made from the dictionary words inside each window alone."""
    entries, pieces = lexicon.lookup_pieces(windows)
    for text in windows:
        got = segment.Lattice(text, None, lexicon.total, None, pieces)
        want = _reference_lattice(text, lexicon.total)
        assert got.fwd == want.fwd
        assert got.back == want.back
        assert got.bwd == want.bwd
        assert got.nxt == want.nxt
        assert got.words() == want.words()
        # The words table answers for the words inside the window as the dictionary does.
        inside = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)}
        assert {w: entries[w] for w in inside if w in entries} == _words_inside(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=9), st.data())
def test_lattice_finds_the_best_segmentation(
    lexicon: segment.Lexicon, text: str, data: st.DataObject
) -> None:
    _, pieces = lexicon.lookup_pieces([text])
    lattice = segment.Lattice(text, None, lexicon.total, None, pieces)
    assert lattice.logp == pytest.approx(_best_by_search(text, lexicon.total))
    k = data.draw(st.integers(0, len(text)))
    assert lattice.through(k) == pytest.approx(_best_by_search(text, lexicon.total, k))
    # The best path's words add up to its log-probability.
    words = lattice.words()
    assert [s for s, _ in words[1:]] == [e for _, e in words[:-1]]
    # A part of the text on its own: read off the same lattice, as a lattice of its own.
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    alone = segment.Lattice(text[a:b], None, lexicon.total, None, pieces)
    assert lattice.words_within(a, b) == alone.words()


def test_segment_gives_jiebas_path(lexicon: segment.Lexicon) -> None:
    text = "贸易优势和天地"
    entries = lexicon.lookup_windows([text])
    seg = segment.segment(text, entries, lexicon.total)
    assert [text[s:e] for s, e in seg.words] == ["贸易优势", "和", "天地"]
    assert seg.logp == pytest.approx(_best_by_search(text, lexicon.total))


def test_lookups_start_over_when_the_memo_is_full(
    lexicon: segment.Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo of lookups is bounded: a lookup that starts over gives the same answers, and
    the tables handed out before stay as they were."""
    windows = ["具有得天独厚的贸易优势。", "微信公众号和App"]
    _, pieces = lexicon.lookup_pieces(windows)
    before = dict(pieces)
    monkeypatch.setattr(segment, "_MEMO_LIMIT", 1)
    _, pieces2 = lexicon.lookup_pieces(["天地和得到"])
    assert pieces2 is not pieces and pieces == before  # started over; old table intact
    for text in windows:
        old = segment.Lattice(text, None, lexicon.total, None, pieces)
        _, pieces3 = lexicon.lookup_pieces([text])
        new = segment.Lattice(text, None, lexicon.total, None, pieces3)
        assert (new.fwd, new.back, new.bwd) == (old.fwd, old.back, old.bwd)


def test_real_dictionary_window(tmp_path: Path) -> None:
    """jieba's own dictionary: the seed post's anchor 易优 cuts through 贸易 and 优势."""
    lex = segment.lexicon()
    text = "的贸易优势。"
    _, pieces = lex.lookup_pieces([text])
    lattice = segment.Lattice(text, None, lex.total, None, pieces)
    assert [text[s:e] for s, e in lattice.words()] == ["的", "贸易", "优势", "。"]
    assert lattice.through(3) == lattice.logp  # between the two words: free
    assert lattice.through(2) < lattice.logp - 3  # inside 贸易: costly


def test_in_memory_dictionary_when_no_cache_can_be_written(
    lexicon: segment.Lexicon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no writable place for the SQLite cache, the dictionary is read into memory, and
    lookups and segmentations are the same."""
    import tempfile

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CONTENTKIT_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))
    assert lexicon.source is not None
    in_memory = segment.Lexicon(lexicon.source)
    assert in_memory._conn is None and in_memory._mem is not None
    assert in_memory.total == lexicon.total
    words = ["贸易", "贸易优", "零", "鑫", "天地和", "微信公"]
    assert in_memory.lookup_many(words) == lexicon.lookup_many(words)
    windows = ["具有得天独厚的贸易优势。", "微信公众号和App", "零和鑫"]
    _, pieces = in_memory.lookup_pieces(windows)
    _, sqlite_pieces = lexicon.lookup_pieces(windows)
    for text in windows:
        got = segment.Lattice(text, None, in_memory.total, None, pieces)
        want = segment.Lattice(text, None, lexicon.total, None, sqlite_pieces)
        assert (got.fwd, got.back, got.bwd, got.nxt) == (want.fwd, want.back, want.bwd, want.nxt)
    assert in_memory.lookup_windows(windows) == lexicon.lookup_windows(windows)

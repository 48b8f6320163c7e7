"""Chinese word segmentation of short windows, on jieba's dictionary, without jieba's start-up.

``import jieba`` plus building its prefix dictionary costs seconds per process (its HMM
tables are Python modules, its dictionary has half a million entries). The link judge only
segments a window of a few dozen characters around each anchor, so it needs just the
dictionary entries for the substrings of those windows. We read jieba's own ``dict.txt``
(same words, same frequencies, same parts of speech) into an SQLite file once per machine,
and from then on look up all substrings of a window in one query: opening the cache costs
milliseconds.

The segmentation itself is jieba's: the maximum-probability path through the word DAG
(log of word frequency over the total), with a constraint option that the link judge uses
to ask "how much less likely is the text if a word boundary must fall here?".
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

# SQLite allows 32766 parameters a statement since 3.32, 999 before.
_MAX_PARAMS = 30000 if sqlite3.sqlite_version_info >= (3, 32, 0) else 900
MAX_WORD_LEN = 8  # longer dictionary words are rare and never decide a cut
# Runs of CJK ideographs, Latin letters and digits: dictionary words never hold spaces or
# punctuation, so substrings across them need no lookup.
_HAN_RUN = re.compile("[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+")
_UNKNOWN = object()
_MEMO_LIMIT = 400_000  # remembered lookups per process (some tens of MB at most)
_SCHEMA_VERSION = "2"


def _jieba_dict_path() -> Path | None:
    # find_spec does not execute jieba/__init__.py (which loads its HMM tables).
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    return path if path.is_file() else None


def _cache_dir() -> Path:
    env = os.environ.get("CONTENTKIT_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "contentkit"


class Entry(NamedTuple):
    freq: int
    tag: str


class Lexicon:
    """Word -> (frequency, part of speech) for jieba's dictionary, backed by an SQLite cache."""

    def __init__(self, source: Path | None = None) -> None:
        self.source = source or _jieba_dict_path()
        self._conn: sqlite3.Connection | None = None
        self._mem: dict[str, Entry] | None = None
        # What lookup_pieces looked up before: posts of one corpus share most of their
        # characters and bigrams, so most lookups never reach SQLite. ``_piece`` has every
        # substring asked: a word's log-probability, None for a row that only starts longer
        # words, and _UNKNOWN for no row at all (so it serves a Lattice as it is);
        # ``_words`` the entries of the words among them.
        self._piece: dict[str, float | object | None] = {}
        self._words: dict[str, Entry] = {}
        self.total = 1
        self._open()
        self._logtotal = math.log(self.total)

    # ---- loading ------------------------------------------------------------------------
    def _open(self) -> None:
        if self.source is None:
            self._mem = {}
            return
        stat = self.source.stat()
        key = hashlib.sha1(
            f"{_SCHEMA_VERSION}:{self.source}:{stat.st_size}:{stat.st_mtime_ns}".encode()
        ).hexdigest()[:16]
        for directory in (_cache_dir(), Path(tempfile.gettempdir()) / "contentkit-cache"):
            db = directory / f"lexicon-{key}.sqlite"
            try:
                if not db.exists():
                    self._build(db)
                # immutable: the file is only ever replaced whole (os.replace), never
                # changed in place, so SQLite may skip locking and change detection.
                uri = f"file:{quote(db.as_posix())}?mode=ro&immutable=1"
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
                conn.execute("PRAGMA mmap_size=67108864")  # read pages without copying
                row = conn.execute("SELECT value FROM meta WHERE key='total'").fetchone()
                self.total = int(row[0])
                self._conn = conn
                return
            except (OSError, sqlite3.Error):
                continue  # unwritable or corrupt cache: try the next place
        # No writable place at all: read the dictionary into memory (slow, but right).
        mem = dict(self._read_source())
        self.total = sum(e.freq for e in mem.values()) or 1
        for word in list(mem):
            for i in range(2, len(word)):
                mem.setdefault(word[:i], Entry(0, ""))
        self._mem = mem

    def _read_source(self) -> Iterable[tuple[str, Entry]]:
        assert self.source is not None
        with open(self.source, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    yield parts[0], Entry(int(parts[1]), parts[2] if len(parts) > 2 else "x")

    def _build(self, db: Path) -> None:
        db.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=db.name, suffix=".tmp", dir=db.parent)
        os.close(fd)
        try:
            conn = sqlite3.connect(tmp)
            conn.execute(
                "CREATE TABLE words (word TEXT PRIMARY KEY, freq INT, tag TEXT) WITHOUT ROWID"
            )
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            total = 0
            rows: dict[str, tuple[str, int, str]] = {}
            for word, entry in self._read_source():
                total += entry.freq
                rows[word] = (word, entry.freq, entry.tag)
            # Prefixes of words, with frequency 0 (as jieba keeps them): a lookup of a
            # window's substrings stops growing a substring once it is nobody's prefix.
            for word in list(rows):
                for i in range(2, len(word)):
                    rows.setdefault(word[:i], (word[:i], 0, ""))
            conn.executemany("INSERT INTO words VALUES (?, ?, ?)", rows.values())
            conn.execute("INSERT INTO meta VALUES ('total', ?)", (str(total),))
            conn.commit()
            conn.close()
            os.replace(tmp, db)  # atomic: a concurrent reader never sees half a cache
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    # ---- lookups ------------------------------------------------------------------------
    def lookup_many(self, words: Iterable[str]) -> dict[str, Entry]:
        """Entries of those words that are in the dictionary (prefixes have frequency 0)."""
        wanted = list(set(words))
        if self._mem is not None:
            mem = self._mem
            return {w: mem[w] for w in wanted if w in mem}
        return {w: Entry(f, t) for w, f, t in self._rows(wanted)}

    def _rows(self, wanted: list[str]) -> Iterator[tuple[str, int, str]]:
        """(word, frequency, tag) of those of the distinct ``wanted`` that are rows."""
        if self._mem is not None:
            mem = self._mem
            for w in wanted:
                e = mem.get(w)
                if e is not None:
                    yield w, e.freq, e.tag
            return
        if self._conn is None:  # pragma: no cover - _open always sets one of the two
            return
        step = _MAX_PARAMS
        for i in range(0, len(wanted), step):
            chunk = wanted[i : i + step]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT word, freq, tag FROM words WHERE word IN ({marks})"
            yield from self._conn.execute(query, chunk)

    def lookup_windows(self, windows: Iterable[str]) -> dict[str, Entry]:
        """Entries (frequency > 0) of every dictionary word inside the windows."""
        texts = set(windows)
        words, _ = self.lookup_pieces(texts)
        inside = {c for t in texts for c in t}
        inside.update(
            r[i:j]
            for t in texts
            for r in _HAN_RUN.findall(t)
            for i in range(len(r))
            for j in range(i + 2, min(len(r), i + MAX_WORD_LEN) + 1)
        )
        return {w: words[w] for w in inside if w in words}

    def lookup_pieces(
        self, windows: Iterable[str]
    ) -> tuple[Mapping[str, Entry], Mapping[str, float | object | None]]:
        """The dictionary words of the windows, and their piece table, for segmenting them.

        Both are the lexicon's own tables of what it looked up, to be read for substrings of
        the windows only (they hold more). The words: the entries of frequency > 0. The piece
        table (see :func:`piece_table`) has each word's log-probability, None for a
        substring that only starts longer words, and a marker that a :class:`Lattice` takes
        for "no word starts so" for a substring that is neither. Only substrings within runs
        of CJK ideographs, Latin letters and digits are asked, and single characters: as in
        a table made by :func:`piece_table` for the words found, a Lattice finds exactly
        the dictionary words of the window in it.

        Substrings grow one character at a time and only while they are a prefix of some
        word: far fewer lookups than every substring up to MAX_WORD_LEN.
        """
        texts = set(windows)
        if len(self._piece) > _MEMO_LIMIT:
            # Start over (some tens of MB at most); never within a lookup, and tables
            # already handed out stay as they are.
            self._piece, self._words = {}, {}
        piece = self._piece
        # Single characters, and the two-character start of every word, in one query. Only
        # runs of CJK ideographs, Latin letters and digits: dictionary words hold no spaces
        # or punctuation.
        runs = {r for t in texts for r in _HAN_RUN.findall(t) if len(r) >= 2}
        # Where a word may start (run, offset), and the substring asked there last.
        spots = [(r, i) for r in runs for i in range(len(r) - 1)]
        asked = [r[i : i + 2] for r, i in spots]
        level = set(asked)
        level.update("".join(texts))
        length = 2
        while True:
            missing = level.difference(piece)  # iterates ``level``: the memo is the big one
            if missing:
                self._fetch(missing)
            length += 1
            if length > MAX_WORD_LEN:
                break
            # A row's every prefix is a row: one character more is worth asking only where
            # a row was just found (and the run goes on).
            get = piece.get
            spots = [
                spot
                for spot, sub in zip(spots, asked, strict=True)
                if spot[1] + length <= len(spot[0]) and get(sub, _UNKNOWN) is not _UNKNOWN
            ]
            if not spots:
                break
            asked = [r[i : i + length] for r, i in spots]
            level = set(asked)
        return self._words, piece

    def _fetch(self, missing: set[str]) -> None:
        """Look the missing substrings up and remember the answers, misses too."""
        piece, words = self._piece, self._words
        logtotal = self._logtotal
        log = math.log
        for w, f, t in self._rows(list(missing)):
            if f > 0:
                words[w] = Entry(f, t)
                # log(frequency / total), as log_probs computes it.
                piece[w] = log(f) - logtotal
            else:
                piece[w] = None  # a row that only starts longer words
        for w in missing:
            if len(w) == 1:
                # A single character is always a word of a Lattice: one the dictionary does
                # not know gets frequency 1, as the Lattice would give it.
                if piece.get(w) is None:
                    piece[w] = -logtotal
            else:
                piece.setdefault(w, _UNKNOWN)

    def get(self, word: str) -> Entry | None:
        return self.lookup_many([word]).get(word)


_LEXICON: Lexicon | None = None


def lexicon() -> Lexicon:
    """The process-wide lexicon, opened on first use (never at import)."""
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = Lexicon()
    return _LEXICON


def substrings(text: str, max_len: int = MAX_WORD_LEN) -> set[str]:
    return {
        text[i:j] for i in range(len(text)) for j in range(i + 2, min(len(text), i + max_len) + 1)
    }


def word_prefixes(entries: Iterable[str]) -> set[str]:
    """Proper prefixes (2+ characters) of the given words: where a word may still go on."""
    return {w[:i] for w in entries for i in range(2, len(w))}


@dataclass
class Segmentation:
    words: list[tuple[int, int]]  # (start, end) offsets into the window
    logp: float


def log_probs(entries: Mapping[str, Entry], total: int) -> dict[str, float]:
    """log(frequency / total) of each word: jieba's unigram model."""
    logtotal = math.log(total)
    return {w: math.log(e.freq) - logtotal for w, e in entries.items() if e.freq > 0}


def piece_table(logp: Mapping[str, float], prefixes: set[str]) -> dict[str, float | None]:
    """Each word's log-probability, and None for a proper prefix that is no word itself."""
    table: dict[str, float | None] = dict.fromkeys(prefixes)
    table.update(logp)
    return table


class Lattice:
    """All dictionary words of a window, with best paths from the start and to the end.

    ``through(k)`` is the log-probability of the best segmentation with a word boundary
    at ``k``, so "how much does forcing a boundary here cost" is two array lookups.
    ``logp`` comes from :func:`log_probs`; ``prefixes`` from :func:`word_prefixes`.
    """

    def __init__(
        self,
        text: str,
        logp: Mapping[str, float] | None,
        total: int,
        prefixes: set[str] | None,
        pieces: Mapping[str, Any] | None = None,
    ) -> None:
        """``pieces`` (see :func:`piece_table`, or the table of
        :meth:`Lexicon.lookup_pieces`) may stand in for ``logp`` and ``prefixes``: one
        lookup a substring instead of two, for callers that build many lattices."""
        self.text = text
        n = len(text)
        unknown = -math.log(total)  # a character jieba does not know gets frequency 1
        if pieces is None:
            assert logp is not None and prefixes is not None, "logp and prefixes, or pieces"
            pieces = piece_table(logp, prefixes)
        get = pieces.get
        # Every character is a word of its own.
        singles: list[float] = [get(c, unknown) for c in text]  # type: ignore[misc]
        if None in singles:  # a character that only starts longer words
            singles = [unknown if lp is None else lp for lp in singles]
        # The forward pass runs while the words are found: every word into ``start`` begins
        # before it, so fwd[start] is final when its own words are pushed. Candidates reach
        # each end in increasing order of their start, as in a pull over incoming words, so
        # ties resolve the same way (the first best start wins).
        fwd = [-math.inf] * (n + 1)
        back = [0] * (n + 1)
        fwd[0] = 0.0
        # Words of two characters or more, by start: (end, log-probability), ends rising.
        longer: list[list[tuple[int, float]]] = []
        none: list[tuple[int, float]] = []  # shared by the (many) starts of no longer word
        add = longer.append
        last = n - 1
        # The two-character pieces, all at once: most of them start no word at all.
        pairs = [get(text[i : i + 2], _UNKNOWN) for i in range(last)]
        for start in range(n):
            here = fwd[start]
            v = here + singles[start]
            end = start + 1
            if v > fwd[end]:
                fwd[end], back[end] = v, start
            if start == last:
                add(none)
                break
            end += 1
            word_lp = pairs[start]
            if word_lp is _UNKNOWN:
                add(none)  # no dictionary word of this window starts here
                continue
            out: list[tuple[int, float]] = []
            stop = start + MAX_WORD_LEN
            if stop > n:
                stop = n
            while True:
                if word_lp is not None:  # None: a prefix of some word, not a word itself
                    out.append((end, word_lp))  # type: ignore[arg-type]
                    v = here + word_lp  # type: ignore[operator]
                    if v > fwd[end]:
                        fwd[end], back[end] = v, start
                if end >= stop:
                    break
                end += 1
                word_lp = get(text[start:end], _UNKNOWN)
                if word_lp is _UNKNOWN:
                    break  # no dictionary word of this window starts with the piece
            add(out)
        self.fwd, self.back = fwd, back
        self._singles = singles
        self._longer = longer
        self._bwd: list[float] = []
        self._nxt: list[int] = []
        self._low = n + 1  # bwd and nxt are final from here to the end

    def _backward(self, low: int = 0) -> list[float]:
        """Best paths to the end, from ``low`` on: computed only when a boundary cost or a
        next word is asked (a segmentation alone needs the forward pass only), and only as
        far back as asked (the link judge never asks before the anchor)."""
        top = self._low
        if low < top:
            n = len(self.text)
            if top > n:
                self._bwd = [-math.inf] * (n + 1)
                self._nxt = [n] * (n + 1)
                self._bwd[n] = 0.0
                top = n
            bwd, nxt = self._bwd, self._nxt
            singles, longer = self._singles, self._longer
            for start in range(top - 1, low - 1, -1):
                # The one-character word first, then longer ones: the first best wins ties.
                best = bwd[start + 1] + singles[start]
                to = start + 1
                for end, lp in longer[start]:
                    v = bwd[end] + lp
                    if v > best:
                        best, to = v, end
                bwd[start], nxt[start] = best, to
            self._low = low
        return self._bwd

    @property
    def bwd(self) -> list[float]:
        return self._backward()

    @property
    def nxt(self) -> list[int]:
        self._backward()
        return self._nxt

    @property
    def logp(self) -> float:
        return self.fwd[len(self.text)]

    def through(self, k: int) -> float:
        return self.fwd[k] + self._backward(k)[k]

    def words(self) -> list[tuple[int, int]]:
        """The best segmentation (jieba's maximum-probability path)."""
        out: list[tuple[int, int]] = []
        back = self.back
        end = len(self.text)
        while end > 0:
            start = back[end]
            out.append((start, end))
            end = start
        out.reverse()
        return out

    def words_within(self, a: int, b: int) -> list[tuple[int, int]]:
        """The best segmentation of ``text[a:b]`` on its own, offsets relative to ``a``:
        what ``Lattice(text[a:b], ...).words()`` gives, from this lattice's words."""
        m = b - a
        fwd = [-math.inf] * (m + 1)
        back = [0] * (m + 1)
        fwd[0] = 0.0
        singles, longer = self._singles, self._longer
        # The same candidates in the same order as the forward pass over text[a:b] alone:
        # the words of this window that end by b.
        for s in range(m):
            here = fwd[s]
            v = here + singles[a + s]
            if v > fwd[s + 1]:
                fwd[s + 1], back[s + 1] = v, s
            for end, lp in longer[a + s]:
                if end > b:
                    break
                e = end - a
                v = here + lp
                if v > fwd[e]:
                    fwd[e], back[e] = v, s
        out: list[tuple[int, int]] = []
        end = m
        while end > 0:
            start = back[end]
            out.append((start, end))
            end = start
        out.reverse()
        return out

    def word_starting_at(self, k: int) -> tuple[int, int] | None:
        if k >= len(self.text):
            return None
        self._backward(k)
        return (k, self._nxt[k])


def segment(text: str, entries: Mapping[str, Entry], total: int) -> Segmentation:
    """jieba's maximum-probability segmentation of ``text``.

    ``entries`` must hold the dictionary entries of the substrings of ``text`` (see
    :func:`substrings`).
    """
    lattice = Lattice(text, log_probs(entries, total), total, word_prefixes(entries))
    return Segmentation(lattice.words(), lattice.logp)

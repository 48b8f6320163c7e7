"""Naming the encoding of a post that is not UTF-8, so the message can say which --encoding works.

charset_normalizer is good on long text but guesses wildly on a short Chinese post (a title
and two lines in GBK come out as UTF-16, Big5 or Shift-JIS). Chinese is the common case for the
feeds contentkit reads, so the Chinese double-byte encodings are tried first and judged by
whether the decoded text reads as Chinese: how many of its adjacent pairs of ideographs are
words in jieba's dictionary (a wrong decoding yields random ideographs, which almost never
pair into words). Everything else falls back to charset_normalizer.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Tried in this order; on a tie the first wins (GB18030 decodes every GBK and GB2312 file).
CHINESE_CANDIDATES = ("gb18030", "big5")
_IDEOGRAPH_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
# A real Chinese text has a third or more of its ideograph pairs in the dictionary; a wrong
# decoding has next to none (measured: 0.27-1.0 against 0.0 on short and long posts).
MIN_WORD_PAIR_SHARE = 0.15


@lru_cache(maxsize=1)
def _two_character_words() -> frozenset[str]:
    from importlib import resources

    words: set[str] = set()
    try:
        with (resources.files("jieba") / "dict.txt").open("rb") as fh:
            for line in fh:
                word = line.split(b" ", 1)[0].decode("utf-8", "replace")
                if len(word) == 2:
                    words.add(word)
    except (ModuleNotFoundError, OSError):
        pass
    return frozenset(words)


def chinese_score(text: str) -> float | None:
    """Share of adjacent ideograph pairs that are dictionary words; None with no pair at all."""
    words = _two_character_words()
    pairs = 0
    hits = 0
    for m in _IDEOGRAPH_RUN.finditer(text):
        run = m.group(0)
        for i in range(len(run) - 1):
            pairs += 1
            hits += run[i : i + 2] in words
    if not pairs:
        return None
    return hits / pairs


def guess_encoding(data: bytes) -> str | None:
    """The encoding ``data`` most likely is in, as a name ``--encoding`` accepts, or None."""
    data = data[:65536]
    best: tuple[float, str] | None = None
    for name in CHINESE_CANDIDATES:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = chinese_score(text)
        if score is not None and score >= MIN_WORD_PAIR_SHARE:
            if best is None or score > best[0]:
                best = (score, name)
    if best is not None:
        return best[1]
    return _charset_normalizer_guess(data)


_SINGLE_BYTE = re.compile(r"^(?:cp\d{3,4}|iso8859-\d+|latin-?\d|mac-\w+|koi8-\w)$")


def _charset_normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    names: list[str] = []
    for match in from_bytes(data):
        name = match.encoding.replace("_", "-")
        # Without NUL bytes (binary files are rejected before this) text is never UTF-16/32.
        if name.startswith(("utf-16", "utf-32")) and b"\x00" not in data:
            continue
        # GBK and GB2312 posts decode as their superset; name the one that always works.
        if name in {"gb2312", "gbk", "gb18030", "hz"}:
            name = "gb18030"
        try:
            data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        names.append(name)
    if not names:
        return None
    # On a short Western post the single-byte code pages all decode and the ranking is
    # noise (café comes out as cp1250's "cafe" with a caron); Windows-1252 is by far the most
    # common of them, so it wins whenever it is a candidate at all.
    if _SINGLE_BYTE.match(names[0]) and "cp1252" in names:
        return "cp1252"
    return names[0]


# The HTML standard's prescan looks at the first 1024 bytes for <meta charset=X> or
# <meta http-equiv="Content-Type" content="...; charset=X">; comments there are skipped.
_PRESCAN_BYTES = 1024
_HTML_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:()-]+)", re.I)


def declared_html_encoding(data: bytes) -> str | None:
    """The encoding an HTML page declares in its <meta>, as a Python codec name, or None.

    Labels are read as browsers read them (webencodings: the WHATWG Encoding Standard's
    table), so ``iso-8859-1`` is Windows-1252 and ``gb2312`` is GBK, which browsers decode as
    GB18030; a page declaring UTF-16 in ASCII bytes is UTF-8, as the standard says.
    """
    head = _HTML_COMMENT.sub(b"", data[:_PRESCAN_BYTES])
    m = _META_CHARSET.search(head)
    if m is None:
        return None
    import webencodings

    found = webencodings.lookup(m.group(1).decode("ascii"))
    if found is None:
        return None
    if found.name in {"gbk", "gb18030"}:
        return "gb18030"
    if found.name.startswith("utf-16") or found.name == "utf-8":
        return "utf-8"
    if found.name == "x-user-defined":
        return "cp1252"
    return str(found.codec_info.name)

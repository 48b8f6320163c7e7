"""A post as read: exact text, how it was encoded, its front matter and its body.

Every position in contentkit is an offset into ``Document.text`` (the decoded file, BOM
removed, newlines untouched); ``Document.position`` turns one into a 1-based line and column
so that a diagnostic points at the real line in the real file.
"""

from __future__ import annotations

import bisect
import errno
import os
import re
import stat
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from contentkit import front_matter as fmod
from contentkit import html_scan
from contentkit.errors import InputError

if TYPE_CHECKING:
    from markdown_it.token import Token

    from contentkit.markdown import BodyParse, Span

BodyKind = Literal["html", "markdown"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_NEWLINE = re.compile(r"\r\n|\r|\n")
# How convert still tells a feed's raw-HTML body (its first character a tag) from Markdown.
_STARTS_WITH_TAG = re.compile(r"\s*<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|!--)")


@dataclass
class Document:
    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    mixed_newlines: bool = False
    front_matter: fmod.FrontMatter | None = None
    body_start: int = 0
    body_kind: BodyKind = "markdown"
    _line_starts: Sequence[int] = field(default_factory=list, repr=False)
    _line_texts: dict[int, str] = field(default_factory=dict, repr=False)

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def from_text(
        cls,
        text: str,
        path: str = "<stdin>",
        *,
        encoding: str = "utf-8",
        bom: bool = False,
        body_kind: BodyKind | None = None,
    ) -> Document:
        if text.startswith("\ufeff"):
            text = text[1:]
            bom = True
        doc = cls(path=path, text=text, encoding=encoding, bom=bom)
        doc.newline, doc.mixed_newlines = _newline_style(text)
        doc._line_starts = _line_starts(text)
        fm = fmod.split(text)
        if fm is not None:
            fmod.parse(text, fm)
            doc.front_matter = fm
            doc.body_start = fm.end
        if body_kind is None:
            # A Markdown body is CommonMark whatever its first line is (a Hexo post opening
            # with <!--more-->, a feed's raw HTML): its HTML is what CommonMark reads as HTML.
            body_kind = "html" if _has_html_suffix(path) else "markdown"
        doc.body_kind = body_kind
        return doc

    # ---- positions ----------------------------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; columns count characters, as ruff does."""
        if offset < 0:
            offset = 0
        elif offset > len(self.text):
            offset = len(self.text)
        starts = self._line_starts
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its newline."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        # Cached: a minified post is one long line, and copying it per finding is quadratic.
        cached = self._line_texts.get(line)
        if cached is None:
            start = self._line_starts[line - 1]
            end = self._line_starts[line] if line < len(self._line_starts) else len(self.text)
            cached = self._line_texts[line] = self.text[start:end].rstrip("\r\n")
        return cached

    def offset_of(self, line: int, column: int) -> int:
        line = max(1, min(line, len(self._line_starts)))
        return min(self._line_starts[line - 1] + column - 1, len(self.text))

    # ---- views --------------------------------------------------------------------------
    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def metadata(self) -> dict[str, Any]:
        fm = self.front_matter
        return fm.data if fm is not None and fm.error is None else {}

    @property
    def starts_with_html(self) -> bool:
        """Whether the body's first character (spaces aside) opens a tag or a comment."""
        return self.body_kind == "html" or bool(_STARTS_WITH_TAG.match(self.text, self.body_start))

    @cached_property
    def markdown(self) -> BodyParse:
        """The body as a CommonMark reader sees it, parsed once and shared by every rule (an
        HTML body: one HTML island, no code)."""
        from contentkit.markdown import BodyParse, read_body

        if self.body_kind != "markdown":
            return BodyParse([], html_blocks=[(self.body_start, len(self.text))])
        if self.body_too_complex:
            work, heaviest = self.body_work
            return BodyParse([], work=work, heaviest=heaviest, skipped=True)
        return read_body(self.masked_text, self.body_start, self._line_starts)

    @cached_property
    def body_work(self) -> tuple[int, str]:
        """(estimated cost of reading the body, what weighs most in it), counted at C speed
        before anything is parsed (contentkit.limits; 0 for a body of ordinary size)."""
        from contentkit.limits import body_work

        return body_work(self.text, self.body_start, self.body_kind == "markdown")

    @property
    def body_too_complex(self) -> bool:
        """Whether the body is over the reading budget: its rules see no tags and no
        Markdown (MD002 markdown-too-complex, HT107 html-too-complex say so)."""
        from contentkit.limits import MAX_BODY_WORK

        return self.body_work[0] > MAX_BODY_WORK

    @cached_property
    def masked_text(self) -> str:
        """The text with each template expression blanked out (same length, same lines).

        A generator replaces its template tags before the Markdown reader or a browser sees
        the page, so ``<a href="{{ "/x/" | relative_url }}">`` is one tag with one href: it is
        read, as markup, from this text; what it says is taken from ``text`` at the same
        offsets.
        """
        from contentkit.markdown import blank_out

        return blank_out(self.text, self.templates) if self.templates else self.text

    @cached_property
    def templates(self) -> list[Span]:
        """Template expressions (``{{ }}``, ``{% %}``, ``{# #}``, Hugo shortcodes, kramdown's
        ``{::comment}``) anywhere in the file: opaque, as a site generator replaces them before
        any reader sees them."""
        from contentkit.markdown import template_spans

        text = self.text
        if "{{" not in text and "{%" not in text and "{#" not in text and "{::" not in text:
            return []  # nearly every post: four scans at C speed, no loop
        if self.body_too_complex:
            # A body too costly to be read (markdown/html-too-complex): only its front matter's.
            return template_spans(self.text[: self.body_start])
        return template_spans(self.text)

    @cached_property
    def code(self) -> list[Span]:
        """Code blocks and code spans of a Markdown body: text shown as code, never markup."""
        return self.markdown.code

    @cached_property
    def opaque(self) -> list[Span]:
        """Code and template expressions, joined: what no rule reads as markup, no fix edits."""
        from contentkit.markdown import merge

        if not self.templates:
            return self.code
        return merge([*self.code, *self.templates])

    @cached_property
    def html_tags(self) -> list[html_scan.Tag]:
        """Tags as written in the HTML islands (an HTML body, or the HTML blocks and inline
        HTML of a Markdown body), scanned once; none from inside a template expression."""
        return self._scan[0]

    @cached_property
    def html_comments(self) -> list[html_scan.Comment]:
        return self._scan[1]

    @cached_property
    def _scan(self) -> tuple[list[html_scan.Tag], list[html_scan.Comment]]:
        if self.body_too_complex:
            return [], []  # not read (HT107 / MD002 say so)
        text = self.masked_text
        if self.body_kind != "markdown":
            tags, comments = html_scan.scan(text, self.body_start)
        else:
            body = self.markdown
            islands = body.html_blocks
            if body.html_inline:
                islands = sorted([*islands, *body.html_inline])
            tags, comments = [], []
            for start, end in islands:
                found, notes = html_scan.scan(text, start, end)
                tags.extend(found)
                comments.extend(notes)
        if text is not self.text:
            from contentkit.markdown import intersects

            # A tag holding a template expression: its attribute values as written.
            for tag in tags:
                if intersects(self.templates, tag.start, tag.end):
                    tag.attrs, tag.attr_names = html_scan.attrs_as_written(self.text, text, tag)
        return tags, comments

    @property
    def markdown_tokens(self) -> list[Token]:
        """markdown-it block tokens of a Markdown body (``map`` lines are relative to the body)."""
        return self.markdown.tokens

    @property
    def body_first_line(self) -> int:
        return self.position(self.body_start)[0]


def _has_html_suffix(path: str) -> bool:
    # A Path object per post cost more than this whole test: build one only for a path that
    # holds one of the suffixes somewhere.
    lowered = path.lower()
    if ".htm" not in lowered and ".xhtml" not in lowered:
        return False
    return Path(path).suffix.lower() in HTML_SUFFIXES


def _line_starts(text: str) -> Sequence[int]:
    """Offset of each line's first character (CRLF, CR and LF all end a line)."""
    if "\r" in text:
        # The same line ends, LF only, same length: a CRLF's CR becomes a space, a CR alone
        # a LF (two replaces at C speed, not a match object a line).
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    if len(text) <= _CHUNK:
        # Nearly every post: line lengths from split, without a match object a line.
        return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]
    # A long text, perhaps of millions of lines: read a chunk at a time into an array of
    # machine integers (8 bytes a line, where a list of ints took 36 and split's list of
    # lines as much again: 450 MB for ten million blank lines).
    starts = array("q", [0])
    for k in range(0, len(text), _CHUNK):
        lines = text[k : k + _CHUNK].split("\n")
        lines.pop()  # (what follows the chunk's last line end: its line starts there)
        after = accumulate((len(line) + 1 for line in lines), initial=k)
        next(after)
        starts.extend(after)
    return starts


_CHUNK = 1 << 20


def _newline_style(text: str) -> tuple[str, bool]:
    if "\r" not in text:  # nearly every post: LF only, or one line
        return "\n", False
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    counts = {"\r\n": crlf, "\r": cr, "\n": lf}
    used = [k for k, v in counts.items() if v]
    if not used:
        return "\n", False
    return max(used, key=lambda k: counts[k]), len(used) > 1


def looks_binary(data: bytes) -> bool:
    return data.find(b"\x00", 0, 8192) >= 0  # (no copy of the first 8 KiB)


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str, bool]:
    """(text, encoding, had_bom), or InputError pointing at the first undecodable byte."""
    bom = data.startswith(b"\xef\xbb\xbf")
    if encoding is None and bom:
        data = data[3:]
    enc = encoding or "utf-8"
    try:
        text = data.decode(enc)
    except LookupError:
        raise InputError(f"unknown encoding {enc!r}", path) from None
    except UnicodeDecodeError as exc:
        declared = _declared_encoding(data) if encoding is None else None
        if declared is None or declared == enc:
            raise _undecodable(data, path, enc, exc, guess=encoding is None) from None
        # Not UTF-8, and the page names its encoding in a <meta>: read it as a browser does.
        try:
            return data.decode(declared), declared, False
        except UnicodeDecodeError as declared_exc:
            raise _undecodable(data, path, declared, declared_exc, declared=True) from None
    if text.startswith("\ufeff"):
        text = text[1:]
        bom = True
    return text, enc, bom


def _undecodable(
    data: bytes,
    path: str,
    enc: str,
    exc: UnicodeDecodeError,
    *,
    guess: bool = False,
    declared: bool = False,
) -> InputError:
    before = data[: exc.start].decode(enc, errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    hint = ""
    if guess:
        likely = _guess_encoding(data)
        if likely:
            hint = f"; it looks like {likely}: try --encoding {likely}"
    elif declared:
        hint = " although its <meta> declares it; --encoding can name another"
    return InputError(
        f"not valid {enc.upper()} (byte 0x{data[exc.start]:02x}){hint}", path, line, column
    )


def _declared_encoding(data: bytes) -> str | None:
    from contentkit.encodings import declared_html_encoding

    return declared_html_encoding(data)


def _guess_encoding(data: bytes) -> str | None:
    from contentkit.encodings import guess_encoding

    return guess_encoding(data)


# stat errors that pathlib's exists() reads as "not there" (a link to nowhere, or a loop).
_MISSING_ERRNOS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def read_post_bytes(
    path: str | os.PathLike[str], shown: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """The bytes of a post, or InputError with a message a user can act on."""
    p = path
    try:
        # One stat (it follows links) answers what is_symlink/exists/is_dir/stat would: a
        # post is read with one system call less than four before it is opened.
        try:
            info = os.stat(p)
        except OSError as exc:
            if exc.errno in _MISSING_ERRNOS and os.path.islink(p):
                raise InputError("broken symbolic link", shown) from None
            raise
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory", shown)
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device named like a post would block or never end.
            raise InputError("not a regular file", shown)
        size = info.st_size
        if max_bytes and size > max_bytes:
            raise InputError(too_large_message(size, max_bytes), shown)
        # os.open, not open(): a buffered file object costs two more system calls (fstat,
        # isatty) and a buffer, per post.
        fd = os.open(p, _READ_FLAGS)
        try:
            # Bounded even if the file grows between stat and read: at most max_bytes + 1
            # bytes. Asked for its size (plus one, to see growth) first, not for the bound:
            # a read of n bytes allocates n, and 10 MiB per post cost more than the read.
            want = (min(size, max_bytes) if max_bytes else size) + 1
            data = _read_fd(fd, want)
            if len(data) == want and not (max_bytes and want > max_bytes):
                data += _read_fd(fd, max_bytes + 1 - want if max_bytes else -1)
        finally:
            os.close(fd)
        if max_bytes and len(data) > max_bytes:
            raise InputError(too_large_message(len(data), max_bytes), shown)
    except PermissionError:
        raise InputError("permission denied", shown) from None
    except FileNotFoundError:
        raise InputError("no such file", shown) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), shown) from None
    return data


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_fd(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of ``fd`` (the whole rest when ``limit`` is negative), to its end:
    a read may return less than asked before the end of the file."""
    chunks = []
    while limit:
        chunk = os.read(fd, limit if limit > 0 else 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
        if limit > 0:
            limit -= len(chunk)
    return b"".join(chunks)


def read_document(
    path: str | os.PathLike[str],
    *,
    display_path: str | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read a post from disk, or raise InputError with a message a user can act on."""
    shown = display_path or str(path)
    data = read_post_bytes(path, shown, max_bytes)
    return document_from_bytes(data, shown, encoding=encoding)


def _wide_unicode_bom(data: bytes) -> str | None:
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def too_large_message(size: int, limit: int) -> str:
    return (
        f"file is {size:,} bytes, over the {limit:,}-byte limit "
        "(max-file-size in the config, or --max-file-size)"
    )


def document_from_bytes(data: bytes, path: str, *, encoding: str | None = None) -> Document:
    if looks_binary(data) and not (encoding or "").lower().replace("_", "-").startswith(
        ("utf-16", "utf-32")
    ):
        wide = _wide_unicode_bom(data)
        if wide:
            raise InputError(
                f"{wide} text (it starts with a byte-order mark); try --encoding {wide}", path
            )
        raise InputError("binary file (contains NUL bytes)", path)
    text, enc, bom = decode(data, path, encoding)
    return Document.from_text(text, path, encoding=enc, bom=bom)


def encode(doc: Document, text: str) -> bytes:
    """Bytes for ``text`` written back the way ``doc`` was read (encoding and BOM)."""
    data = text.encode(doc.encoding)
    if doc.bom and doc.encoding.replace("-", "").lower() == "utf8":
        data = b"\xef\xbb\xbf" + data
    return data

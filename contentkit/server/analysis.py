"""What the language server says about one open post, computed by contentkit's own engine.

Nothing here lints in its own way: a buffer is read as ``contentkit lint`` reads a file
(:func:`contentkit.document.document_from_bytes`, the size limit, CK001/CK003), linted by
:func:`contentkit.api.lint_document_result` with the settings :func:`load_settings` finds for
its path, filtered by the same :class:`BaselineFilter`, and fixed by the same
``fix=True`` path as ``lint --fix``. This module only turns the results into LSP objects.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types

from contentkit import __version__
from contentkit import config as config_mod
from contentkit.api import guarded, input_error_diagnostic, lint_document_result
from contentkit.config import Settings, load_settings
from contentkit.diagnostics import Diagnostic, Edit, Severity
from contentkit.document import Document, document_from_bytes
from contentkit.engine import applicable, find_suppressions
from contentkit.errors import ConfigError, ContentkitError, InputError
from contentkit.rule import explain_text, find_rule, registered_rules
from contentkit.server.positions import UTF16, LineIndex

SOURCE = "contentkit"
FIX_ALL_KIND = "source.fixAll.contentkit"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass
class Post:
    """One open document: its text as the editor has it, and what was last found in it."""

    uri: str
    text: str
    version: int | None
    path: str | None  # the file on disk, for config discovery; None for an unsaved buffer
    encoding: str = UTF16
    linted: Linted | None = None
    _index: LineIndex | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        return self.path or self.uri

    @property
    def index(self) -> LineIndex:
        if self._index is None or self._index.text is not self.text:
            self._index = LineIndex(self.text, self.encoding)
        return self._index

    def set_text(self, text: str, version: int | None) -> None:
        self.text = text
        self.version = version
        self.linted = None
        self._index = None


@dataclass
class Linted:
    """The findings of one version of a post."""

    version: int | None
    text: str
    document: Document | None
    settings: Settings | None
    findings: list[Diagnostic]
    diagnostics: list[types.Diagnostic]
    problem: str | None = None  # why the post could not be linted (a config error)
    _fixed: tuple[str | None] | None = None

    @property
    def bom(self) -> int:
        """1 when the buffer starts with a byte-order mark that the Document dropped."""
        return 1 if self.text.startswith("\ufeff") else 0


# ---- settings, baselines --------------------------------------------------------------


def settings_for(post: Post, root: str | None) -> Settings:
    """The settings ``contentkit lint`` would use for the post's path."""
    if post.path is not None:
        return load_settings(Path(post.path))
    return load_settings(Path(root) if root else None)


def forget_settings() -> None:
    """Read config files afresh: one was created, edited or deleted."""
    config_mod.forget_settings()


class ConfigStamps:
    """The config files that could apply to the posts linted, as last seen on disk, for a
    client that does not watch files (Neovim on Linux registers no watcher, and a
    contentkit.toml edited in it is a buffer the server is not told about): a config file
    created, changed or deleted is noticed at the next lint of a post below it."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[int, int] | None] = {}  # path: (mtime, size), None: absent

    def changed(self, post: Post, root: str | None) -> bool:
        """Whether a config file above ``post`` differs from when it was last looked at."""
        folder = os.path.dirname(os.path.abspath(post.path)) if post.path else root
        if not folder:
            return False
        changed = False
        current = folder
        while True:
            for name in config_mod.CONFIG_FILES:
                candidate = os.path.join(current, name)
                try:
                    st = os.stat(candidate)
                    now: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
                except OSError:
                    now = None
                if candidate in self.seen and self.seen[candidate] != now:
                    changed = True
                self.seen[candidate] = now
            parent = os.path.dirname(current)
            if parent == current:
                return changed
            current = parent


class Baselines:
    """The baseline file the user named, loaded once and re-read when it changes."""

    def __init__(self) -> None:
        self.file: Path | None = None
        self._loaded: tuple[int, Any] | None = None

    def set(self, file: str | None, root: str | None) -> None:
        path = Path(file).expanduser() if file else None
        if path is not None and not path.is_absolute() and root:
            path = Path(root) / path
        if path != self.file:
            self.file = path
            self._loaded = None

    def filter(self, findings: list[Diagnostic]) -> list[Diagnostic]:
        if self.file is None:
            return findings
        from contentkit.baseline import BaselineFilter

        try:
            mtime = self.file.stat().st_mtime_ns
        except OSError as exc:
            raise ConfigError(f"cannot read baseline: {exc.strerror}", str(self.file)) from None
        if self._loaded is None or self._loaded[0] != mtime:
            self._loaded = (mtime, BaselineFilter(self.file))
        # A filter counts down what it hid; every lint starts from the recorded counts.
        template = self._loaded[1]
        fresh = copy.copy(template)
        fresh.remaining = Counter(template.remaining)
        fresh.hidden = 0
        kept: list[Diagnostic] = fresh.filter(findings)
        return kept


# ---- linting ---------------------------------------------------------------------------


def read_buffer(text: str, shown: str, settings: Settings) -> Document:
    """The buffer as ``lint`` would read the file holding it, or InputError as lint says it."""
    data = text.encode("utf-8", "surrogatepass")
    if settings.max_file_size and len(data) > settings.max_file_size:
        from contentkit.document import too_large_message

        raise InputError(too_large_message(len(data), settings.max_file_size), shown)
    return document_from_bytes(data, shown)


def lint_post(post: Post, root: str | None, baselines: Baselines) -> Linted:
    """Lint the post's text now, as ``contentkit lint`` would lint the saved file."""
    text, shown = post.text, post.shown
    settings: Settings | None = None
    document: Document | None = None
    try:
        settings = settings_for(post, root)
        try:
            document = read_buffer(text, shown, settings)
        except InputError as exc:
            findings = [input_error_diagnostic(exc)]
        else:
            doc = document
            findings = guarded(shown, lambda: lint_document_result(doc, settings)).diagnostics
        findings = baselines.filter(findings)
    except ContentkitError as exc:  # a broken config or baseline: say so at the top
        problem = f"contentkit: error: {exc}"
        diag = types.Diagnostic(
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            message=problem,
            severity=types.DiagnosticSeverity.Error,
            source=SOURCE,
        )
        return Linted(post.version, text, None, settings, [], [diag], problem)
    linted = Linted(post.version, text, document, settings, findings, [])
    linted.diagnostics = [to_lsp(d, post.index, linted.bom) for d in findings]
    return linted


def span(diag: Diagnostic, index: LineIndex, bom: int) -> tuple[int, int]:
    """Buffer offsets of a finding, from the line and column lint prints."""
    start = index.offset_of(diag.line, diag.column + (bom if diag.line == 1 else 0))
    end_line = diag.end_line or diag.line
    end_column = diag.end_column or diag.column
    end = index.offset_of(end_line, end_column + (bom if end_line == 1 else 0))
    return start, max(start, end)


def to_lsp(diag: Diagnostic, index: LineIndex, bom: int = 0) -> types.Diagnostic:
    start, end = span(diag, index, bom)
    href = explain_uri(diag.code)
    applicability = diag.fix.applicability if diag.fix is not None else None
    return types.Diagnostic(
        range=index.range(start, end),
        message=diag.message,
        severity=_SEVERITY.get(diag.severity, types.DiagnosticSeverity.Error),
        code=diag.code,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if diag.code == "CK002" else None,
        data={"name": diag.name, "fix": applicability},
    )


# ---- rule documentation ----------------------------------------------------------------

_EXPLAINED: dict[str, str | None] = {}


def _docs_dir() -> Path:
    env = os.environ.get("CONTENTKIT_CACHE_DIR")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (base if env else base / "contentkit") / "explain" / __version__


def explain_uri(code: str) -> str | None:
    """A ``file:`` URI of the rule's ``contentkit explain`` text, written once per rule and
    contentkit version (editors open it from the diagnostic's code)."""
    if code in _EXPLAINED:
        return _EXPLAINED[code]
    uri: str | None = None
    rule = registered_rules().get(code)
    if rule is not None:
        try:
            folder = _docs_dir()
            folder.mkdir(parents=True, exist_ok=True)
            page = folder / f"{rule.code}-{rule.name}.md"
            text = explain_text(rule) + "\n"
            if not page.is_file() or page.read_text(encoding="utf-8") != text:
                tmp = page.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, page)
            uri = page.resolve().as_uri()
        except OSError:
            uri = None
    _EXPLAINED[code] = uri
    return uri


# ---- code actions ----------------------------------------------------------------------


def kind_allowed(kind: str, only: Sequence[str] | None) -> bool:
    return not only or any(kind == o or kind.startswith(o + ".") for o in only)


def _text_edit(edit: Edit, index: LineIndex, bom: int) -> types.TextEdit:
    return types.TextEdit(index.range(edit.start + bom, edit.end + bom), edit.text)


def _workspace_edit(post: Post, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=post.uri, version=post.version
                ),
                edits=list(edits),
            )
        ]
    )


def fixed_text(linted: Linted) -> str | None:
    """The post as ``lint --fix`` would write it (None when nothing changes)."""
    if linted._fixed is None:
        fixed: str | None = None
        doc, settings = linted.document, linted.settings
        if doc is not None and settings is not None:
            result = guarded(doc.path, lambda: lint_document_result(doc, settings, fix=True))
            fixed = result.fixed if result.changed else None
        linted._fixed = (fixed,)
    return linted._fixed[0]


def fix_all_edit(post: Post, linted: Linted) -> types.TextEdit | None:
    """One edit turning the buffer into what ``lint --fix`` writes: the changed middle."""
    fixed = fixed_text(linted)
    if fixed is None or linted.document is None:
        return None
    before = linted.document.text
    head = 0
    limit = min(len(before), len(fixed))
    while head < limit and before[head] == fixed[head]:
        head += 1
    tail = 0
    while tail < limit - head and before[-1 - tail] == fixed[-1 - tail]:
        tail += 1
    edit = Edit(head, len(before) - tail, fixed[head : len(fixed) - tail])
    return _text_edit(edit, post.index, linted.bom)


def _fix_title(diag: Diagnostic) -> str:
    assert diag.fix is not None
    title = diag.fix.message or f"Fix {diag.name}"
    if diag.fix.applicability != "safe":
        title += " (unsafe fix: check the result)"
    return f"{title} ({diag.code})"


def disable_edit(linted: Linted, diag: Diagnostic) -> Edit | None:
    """An edit that suppresses ``diag`` on its line, in the syntax its place takes: a ``#``
    comment line above it in YAML front matter, an HTML comment line above it in an HTML
    body, an HTML comment at the end of its line in a Markdown body (a comment line in the
    middle of a Markdown paragraph would split it). None when no such comment would work;
    every edit is checked by linting the result."""
    doc = linted.document
    if doc is None or diag.code in ("CK001", "CK003"):
        return None
    text, line = doc.text, diag.line
    for s in find_suppressions(doc):
        names_line = (s.verb == "disable-next-line" and s.first_line == line) or (
            s.verb == "disable-line" and s.line == line
        )
        if names_line and s.selectors:  # name one more rule in the comment already there
            from contentkit.unused_suppressions import rewrite_suppression

            return _checked(
                linted, diag, rewrite_suppression(text, s.start, s.end, [*s.selectors, diag.name])
            )
    line_start = doc.offset_of(line, 1)
    line_text = doc.line_text(line)
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    fm = doc.front_matter
    if fm is not None and fm.start <= diag.start < fm.end:
        if line_start <= fm.start:  # on the opening delimiter: nowhere to put a YAML comment
            return None
        comment = f"{indent}# contentkit-disable-next-line {diag.name}{doc.newline}"
        return _checked(linted, diag, Edit(line_start, line_start, comment), above=True)
    if diag.start < doc.body_start:
        return None  # before the front matter
    if doc.body_kind == "html":
        comment = f"{indent}<!-- contentkit-disable-next-line {diag.name} -->{doc.newline}"
        return _checked(linted, diag, Edit(line_start, line_start, comment), above=True)
    # Before a hard line break's trailing spaces or backslash, so the break stays one.
    body = line_text.rstrip(" \t")
    if body.endswith("\\"):
        body = body[:-1]
    at = line_start + len(body)
    return _checked(linted, diag, Edit(at, at, f" <!-- contentkit-disable-line {diag.name} -->"))


def _checked(linted: Linted, diag: Diagnostic, edit: Edit, above: bool = False) -> Edit | None:
    """``edit`` if the post with it has the same findings less ``diag`` (and no new one)."""
    doc, settings = linted.document, linted.settings
    if doc is None or settings is None:
        return None
    new_text = doc.text[: edit.start] + edit.text + doc.text[edit.end :]
    candidate = Document.from_text(
        new_text, doc.path, encoding=doc.encoding, bom=doc.bom, body_kind=doc.body_kind
    )
    after = guarded(doc.path, lambda: lint_document_result(candidate, settings)).diagnostics
    expected = Counter(d.code for d in linted.findings)
    expected[diag.code] -= 1
    if Counter(d.code for d in after) != +expected:
        return None
    return edit


def code_actions(
    post: Post, linted: Linted, request: types.Range, only: Sequence[str] | None
) -> list[types.CodeAction]:
    """Quick fixes and suppressions for the findings the range touches, and the fix-all."""
    out: list[types.CodeAction] = []
    if linted.problem:  # nothing was linted: the one diagnostic says why
        return out
    index = post.index
    lo, hi = index.offset(request.start), index.offset(request.end)
    unsafe = bool(linted.settings and linted.settings.unsafe_fixes)
    by_finding = zip(linted.findings, linted.diagnostics, strict=True)
    if kind_allowed(types.CodeActionKind.QuickFix, only):
        for diag, lsp_diag in by_finding:
            start, end = span(diag, index, linted.bom)
            if not (start <= hi and lo <= end):
                continue
            if diag.fix is not None:
                edits = [_text_edit(e, index, linted.bom) for e in diag.fix.edits]
                out.append(
                    types.CodeAction(
                        title=_fix_title(diag),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[lsp_diag],
                        edit=_workspace_edit(post, edits),
                        is_preferred=diag.fix.applicability == "safe",
                    )
                )
            suppress = disable_edit(linted, diag)
            if suppress is not None:
                out.append(
                    types.CodeAction(
                        title=f"Disable {diag.name} for this line",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[lsp_diag],
                        edit=_workspace_edit(post, [_text_edit(suppress, index, linted.bom)]),
                    )
                )
    fixable = any(applicable(d.fix, unsafe) for d in linted.findings)
    if fixable and kind_allowed(FIX_ALL_KIND, only):
        edit = fix_all_edit(post, linted)
        if edit is not None:
            title = "Fix all unsafe and safe findings" if unsafe else "Fix all safe findings"
            out.append(
                types.CodeAction(
                    title=f"{title} (contentkit)",
                    kind=FIX_ALL_KIND,
                    edit=_workspace_edit(post, [edit]),
                )
            )
    return out


# ---- hover -----------------------------------------------------------------------------


def _link_verdicts(doc: Document, settings: Settings) -> list[tuple[Any, float | None]]:
    """Each link's verdict as LK001/LK002 judge it, with the probability behind it."""
    from contentkit import links

    rule = find_rule("spurious-link")
    opts = settings.options_for(rule) if rule is not None else {}
    options = {"allow": list(opts.get("allow") or []), "deny": list(opts.get("deny") or [])}
    analysis = links.analyse(doc, options)
    out: list[tuple[Any, float | None]] = []
    for i, verdict in enumerate(analysis.verdicts):
        # The verdict's own probability of "spurious" when it carries one, else the model's
        # for the evidence the verdict was reached on.
        p = getattr(verdict, "probability", None)
        if p is None and (ev := analysis.evidence.get(i)) is not None:
            p = links.spurious_probability(ev.features)
        confidence = getattr(verdict, "confidence", None)
        if confidence is None and p is not None:
            confidence = p if verdict.verdict != "legit" else 1.0 - p
        out.append((verdict, confidence))
    return out


def hover(post: Post, linted: Linted, position: types.Position) -> types.Hover | None:
    """The link verdict under the cursor, and the one-line summary of each finding there."""
    doc, settings = linted.document, linted.settings
    index = post.index
    at = index.offset(position)
    parts: list[str] = []
    hit: tuple[int, int] | None = None
    doc_at = at - linted.bom
    # A post that could not be read (binary, too big) has no links to judge, only its finding.
    if doc is not None and settings is not None and ("<a" in doc.text or "](" in doc.text):
        for verdict, confidence in _link_verdicts(doc, settings):
            if not (verdict.start <= doc_at < verdict.end):
                continue
            if not verdict.is_project_link and verdict.verdict == "legit":
                continue
            hit = (verdict.start + linted.bom, verdict.end + linted.bom)
            sure = (
                f"confidence {confidence:.2f}"
                if confidence is not None
                else "a structural check"
                if verdict.verdict == "broken"
                else "from the config's allow/deny list"
            )
            reason = verdict.reason or "no reason given"
            parts.append(f"**{verdict.verdict}** link '{verdict.text}': {reason} ({sure})")
    for diag in linted.findings:
        start, end = span(diag, index, linted.bom)
        if start <= at < end or start == end == at:
            rule = registered_rules().get(diag.code)
            summary = rule.summary if rule is not None else diag.message
            parts.append(f"**{diag.code}** `{diag.name}`: {summary}")
            hit = hit or (start, end)
    if not parts:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n".join(parts)),
        range=index.range(*hit) if hit else None,
    )

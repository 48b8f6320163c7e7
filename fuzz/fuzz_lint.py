#!/usr/bin/env python3
"""Coverage-guided fuzzing of contentkit's lint, fix and convert with atheris (libFuzzer).

Each input is a whole post as bytes, read exactly as a file from disk is (encoding detection,
BOM, binary check), then linted with every rule, fixed (a second fix must change nothing)
and converted.
Anything that raises, other than the InputError that becomes a CK001 finding, is a bug.

    pip install -e '.[fuzz]'
    python fuzz/fuzz_lint.py -max_total_time=300 -max_len=8192 fuzz/corpus   # five minutes
    python fuzz/fuzz_lint.py crash-<hash>                       # replay one finding

The first argument that is a folder is the working corpus; it is seeded from the test
fixtures and the seed post when empty. libFuzzer options (-jobs, -max_len, -dict) apply.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["contentkit", "contentkit_rules"]):
    # Rule modules and lazily imported helpers load here, so that they are instrumented too.
    import contentkit.encodings
    import contentkit.markdown  # noqa: F401
    from contentkit.config import settings_from_table
    from contentkit.convert import ConvertError, convert_document
    from contentkit.document import document_from_bytes
    from contentkit.engine import fix_document, lint_document
    from contentkit.errors import InputError
    from contentkit.rule import registered_rules

    registered_rules()

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [ROOT / "seeds", ROOT / "tests" / "fixtures"]
SETTINGS = settings_from_table({"select": ["ALL"]}, None, ROOT)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    # One byte picks how the post is named (HTML or Markdown body) and read; the rest is it.
    choice = fdp.ConsumeIntInRange(0, 3)
    path = "post.html" if choice & 1 else "post.md"
    encoding = "gb18030" if choice & 2 else None
    raw = fdp.ConsumeBytes(fdp.remaining_bytes())
    try:
        doc = document_from_bytes(raw, path, encoding=encoding)
    except InputError:
        return
    lint_document(doc, SETTINGS)
    fixed = fix_document(doc, SETTINGS, unsafe=True)
    again = fix_document(fixed.document, SETTINGS, unsafe=True)
    if again.text != fixed.text:
        raise AssertionError(f"--fix is not idempotent:\n{fixed.text!r}\n{again.text!r}")
    # convert: a clear ConvertError is fine, anything else is a bug.
    try:
        convert_document(doc).render("json")
    except ConvertError:
        pass
    fm = doc.front_matter
    after = fixed.document.front_matter
    if fm is not None and fm.error is None and fm.terminated:
        if after is None or after.error is not None or after.data.keys() != fm.data.keys():
            raise AssertionError("--fix made front matter that parsed stop parsing")


def _seed(corpus: Path) -> None:
    if any(corpus.iterdir()):
        return
    n = 0
    for folder in SEEDS:
        for f in sorted(folder.rglob("*")):
            if f.is_file() and f.stat().st_size < 20_000:
                data = f.read_bytes()
                for choice in (b"\x00", b"\x01"):
                    shutil.copyfile(f, corpus / f"seed-{n}")
                    (corpus / f"seed-{n}").write_bytes(choice + data)
                    n += 1


def main() -> None:
    for arg in sys.argv[1:]:
        if not arg.startswith("-") and Path(arg).is_dir():
            _seed(Path(arg))
            break
    sys.setrecursionlimit(10_000)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Coverage-guided fuzzing of ``contentkit convert`` with atheris (libFuzzer).

Each input is a whole post as bytes, read exactly as a file from disk is, then converted to
Markdown and to JSON with each way of treating project links. A post is either converted or
refused with a ConvertError/InputError that names a position (``path:line:column``); a
refusal must be the same for both outputs, and a post whose front matter lint reports as
unreadable (FM004) must be refused, never converted with empty metadata. Anything else that
raises is a bug, and so is Markdown made from HTML that links to a script URL.

    pip install -e '.[fuzz]'
    python fuzz/fuzz_convert.py -max_total_time=300 -max_len=8192 fuzz/corpus-convert
    python fuzz/fuzz_convert.py crash-<hash>                     # replay one finding

The first argument that is a folder is the working corpus; it is seeded from the test
fixtures, the seed post and small adversarial posts (benchmarks/stress_inputs.py) when empty.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["contentkit", "contentkit_rules"]):
    import contentkit.convert.markdown  # noqa: F401
    from contentkit.convert import convert_document
    from contentkit.document import document_from_bytes
    from contentkit.errors import ContentkitError, InputError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [ROOT / "seeds", ROOT / "tests" / "fixtures"]
MODES = ("keep", "clean", "strip")
# What convert must never let through into its Markdown (links and images).
UNSAFE = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript):", re.I)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    choice = fdp.ConsumeIntInRange(0, 7)
    path = "post.html" if choice & 1 else "post.md"
    mode = MODES[(choice >> 1) % 3]
    raw = fdp.ConsumeBytes(fdp.remaining_bytes())
    try:
        doc = document_from_bytes(raw, path)
    except InputError as exc:
        assert exc.line >= 1 and exc.column >= 1
        return
    outcomes: list[str] = []
    for to in ("markdown", "json"):
        try:
            out = convert_document(doc, project_links=mode).render(to)
        except ContentkitError as exc:
            # A refusal names where, and is the same whatever the output format.
            assert exc.path == path and exc.line >= 1 and exc.column >= 1, exc
            outcomes.append(f"refused: {exc}")
            continue
        if to == "json":
            obj = json.loads(out)
            assert obj["path"] == path
            md = obj["markdown"]
        else:
            md = out
        if doc.body_kind == "html" and UNSAFE.search(md):  # a Markdown body is kept as written
            raise AssertionError(f"unsafe URL in the output: {md!r}")
        outcomes.append("converted")
    if len(set(outcomes)) != 1:
        raise AssertionError(f"Markdown and JSON disagree: {outcomes}")
    fm = doc.front_matter
    if fm is not None and fm.error is not None and "<" not in doc.text[fm.start : fm.end]:
        if outcomes[0] == "converted":
            raise AssertionError(f"front matter lint refuses was converted: {fm.error.message}")


def _seed(corpus: Path) -> None:
    if any(corpus.iterdir()):
        return
    n = 0
    for folder in SEEDS:
        for f in sorted(folder.rglob("*")):
            if f.is_file() and f.stat().st_size < 20_000:
                data = f.read_bytes()
                for choice in (b"\x00", b"\x01"):
                    (corpus / f"seed-{n}").write_bytes(choice + data)
                    n += 1
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from stress_inputs import SHAPES, build

    for name, shape in SHAPES.items():
        data = build(name, scale=0.0005)[:8192]
        flag = b"\x01" if shape.suffix == ".html" else b"\x00"
        (corpus / f"stress-{name}").write_bytes(flag + data)


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

"""The peer converters the benchmarks compare contentkit with, set up once for all of them.

Each maps an HTML string to Markdown. A peer that is not installed (``pip install -e
'.[bench]'`` brings them all) maps to the reason instead, so a benchmark can say why it is
missing rather than silently print fewer rows.
"""

from __future__ import annotations

from collections.abc import Callable

Converter = Callable[[str], str]


def peers() -> dict[str, Converter | str]:
    found: dict[str, Converter | str] = {}
    try:
        from markdownify import markdownify

        found["markdownify"] = lambda h: str(markdownify(h))
    except ImportError as exc:
        found["markdownify"] = f"not installed ({exc.name})"
    try:
        import html2text

        def h2t(h: str) -> str:
            conv = html2text.HTML2Text()
            conv.body_width = 0  # no hard wrapping: it would change what a reader sees
            return str(conv.handle(h))

        found["html2text"] = h2t
    except ImportError as exc:
        found["html2text"] = f"not installed ({exc.name})"
    try:
        import html_to_markdown

        def htm(h: str) -> str:
            result = html_to_markdown.convert(h)
            return str(getattr(result, "content", result))

        found["html-to-markdown"] = htm
    except ImportError as exc:
        found["html-to-markdown"] = f"not installed ({exc.name})"
    try:
        import pypandoc

        pypandoc.get_pandoc_version()
        # gfm keeps tables; --sandbox: no network (pandoc would fetch iframes).
        found["pandoc"] = lambda h: str(
            pypandoc.convert_text(h, "gfm", format="html", extra_args=["--sandbox", "--quiet"])
        )
    except (ImportError, OSError) as exc:
        found["pandoc"] = f"not available ({exc})"
    return found

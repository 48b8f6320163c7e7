"""A battery of bad inputs: each gets the exact message a user sees and the exact exit code.

The files are in tests/fixtures/bad/ (made by hand, bytes as found in the wild); the ones that
cannot live in git (broken links, FIFOs, unreadable files, huge files) are made here.
Every run must also leave stderr empty: no traceback, ever.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
from pathlib import Path

import pytest

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
HEAD = "---\ntitle: Hello\ndate: 2021-04-20T02:55:35Z\n---\n"


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    for f in BAD.iterdir():
        shutil.copy2(f, tmp_path / f.name)
    return tmp_path


def check(run_cli, args: list[str], stdout: str, code: int, cwd: Path | None = None) -> None:
    proc = run_cli("lint", *args, cwd=cwd)
    assert proc.stderr == ""
    assert proc.stdout == stdout
    assert proc.returncode == code


ONE = "Found 1 finding in 1 file.\n"

CASES: dict[str, tuple[str, int]] = {
    "empty.md": (
        "empty.md:1:1: FM001 [missing-front-matter] no front matter: expected a '---' block"
        " on the first line\n" + ONE,
        1,
    ),
    "no-front-matter.md": (
        "no-front-matter.md:1:1: FM001 [missing-front-matter] no front matter: expected a"
        " '---' block on the first line\n" + ONE,
        1,
    ),
    "unterminated.md": (
        "unterminated.md:1:1: FM003 [unterminated-front-matter] front matter opened here is"
        " never closed with '---'\n" + ONE,
        1,
    ),
    "yaml-syntax.md": (
        "yaml-syntax.md:3:5: FM004 [front-matter-syntax] YAML syntax error: did not find"
        " expected ',' or ']' (while parsing a flow sequence)\n" + ONE,
        1,
    ),
    "yaml-tab-indent.md": (
        "yaml-tab-indent.md:3:1: FM004 [front-matter-syntax] YAML syntax error: found a tab"
        " character that violates indentation (while scanning a plain scalar)\n" + ONE,
        1,
    ),
    "yaml-not-mapping.md": (
        "yaml-not-mapping.md:2:1: FM004 [front-matter-syntax] front matter must be a mapping"
        " of keys to values, not list\n" + ONE,
        1,
    ),
    "yaml-bomb.md": (
        "yaml-bomb.md:2:1: FM004 [front-matter-syntax] YAML expands to more than 100,000 nodes"
        " (aliases counted each time); refusing to load\n" + ONE,
        1,
    ),
    "yaml-nested-bomb.md": (
        "yaml-nested-bomb.md:2:1: FM004 [front-matter-syntax] YAML expands to more than"
        " 100,000 nodes (aliases counted each time); refusing to load\n" + ONE,
        1,
    ),
    "yaml-recursive.md": (
        "yaml-recursive.md:3:7: FM004 [front-matter-syntax] YAML anchor refers to itself"
        " (a recursive alias); refusing to load\n" + ONE,
        1,
    ),
    "yaml-python-object.md": (
        "yaml-python-object.md:2:8: FM004 [front-matter-syntax] YAML error: tag"
        " !!python/object/apply:os.system would construct a Python object; only plain data is"
        " loaded\n" + ONE,
        1,
    ),
    "yaml-impossible-date.md": (
        "yaml-impossible-date.md:3:7: FM010 [invalid-date] 'date' is not a date:"
        " '2021-24-20T02:55:35Z'\n" + ONE,
        1,
    ),
    "yaml-bad-tag.md": (
        "yaml-bad-tag.md:4:8: FM004 [front-matter-syntax] YAML error: 'many' is not a valid"
        " !!int\n" + ONE,
        1,
    ),
    "huge-date-number.md": (
        "huge-date-number.md:3:7: FM010 [invalid-date] 'date' is not a date:"
        " '2021-04-20T02:99999999999999999999999999999999999999999999955:35Z'\n" + ONE,
        1,
    ),
    "json-deep.md": (
        "json-deep.md:1:1: FM004 [front-matter-syntax] front matter is nested too deeply\n" + ONE,
        1,
    ),
    "gbk.md": (
        "gbk.md:2:8: CK001 [unreadable-file] not valid UTF-8 (byte 0xc9); it looks like"
        " gb18030: try --encoding gb18030\n" + ONE,
        1,
    ),
    "gb18030.md": (
        "gb18030.md:2:8: CK001 [unreadable-file] not valid UTF-8 (byte 0x95); it looks like"
        " gb18030: try --encoding gb18030\n" + ONE,
        1,
    ),
    "latin1.md": (
        "latin1.md:5:4: CK001 [unreadable-file] not valid UTF-8 (byte 0xe9); it looks like"
        " cp1252: try --encoding cp1252\n" + ONE,
        1,
    ),
    "utf16.md": (
        "utf16.md:1:1: CK001 [unreadable-file] utf-16 text (it starts with a byte-order mark);"
        " try --encoding utf-16\n" + ONE,
        1,
    ),
    "binary.md": (
        "binary.md:1:1: CK001 [unreadable-file] binary file (contains NUL bytes)\n" + ONE,
        1,
    ),
    "bom.md": ("All checks passed (1 file).\n", 0),
    "crlf.md": ("All checks passed (1 file).\n", 0),
    "cr-only.md": ("All checks passed (1 file).\n", 0),
    "mixed-newlines.md": (
        "mixed-newlines.md:2:13: CK004 [mixed-newlines] [*] mixed line endings (3 CRLF, 2 LF);"
        " this line ends in LF\n" + ONE + "[*] 1 fixable with --fix.\n",
        1,
    ),
    "deep-divs.html": ("All checks passed (1 file).\n", 0),
    "malformed.html": (
        "malformed.html:6:19: HT105 [mismatched-tag] </b> closes <b> while <i> (opened at 6:12)"
        " is still open\n"
        "malformed.html:7:24: HT105 [mismatched-tag] </p> closes no open <p>\n"
        "Found 2 findings in 1 file.\n",
        1,
    ),
    "unclosed.html": (
        "unclosed.html:5:1: HT104 [unclosed-tag] <div> is never closed\n"
        "unclosed.html:9:1: HT104 [unclosed-tag] <em> is never closed\n"
        "Found 2 findings in 1 file.\n",
        1,
    ),
    "unsafe.html": (
        # LK002 (the link rules) also sees the two links as broken, and its fix unwraps them.
        "unsafe.html:5:4: LK002 [broken-link] [*] broken link: the link's href"
        " 'jav\\tascript:alert(1)' contains whitespace\n"
        "unsafe.html:5:7: HT103 [unsafe-url-scheme] javascript: URL in href of <a>\n"
        "unsafe.html:6:18: HT102 [event-handler-attribute] event-handler attribute onerror on"
        " <img>\n"
        "unsafe.html:7:1: LK002 [broken-link] [*] broken link: the link's href is a data: URL,"
        " not a place to go\n"
        "unsafe.html:7:4: HT103 [unsafe-url-scheme] data: URL in href of <a>\n"
        "unsafe.html:9:1: HT101 [script-tag] <script> in a post runs inline code\n"
        "Found 6 findings in 1 file.\n[*] 2 fixable with --fix.\n",
        1,
    ),
    "control-chars.md": (
        "control-chars.md:5:5: HT106 [control-character] [*] control character U+0008 (BS)\n"
        "control-chars.md:5:20: HT106 [control-character] [*] control character U+0007 (BEL)\n"
        "Found 2 findings in 1 file.\n[*] 2 fixable with --fix.\n",
        1,
    ),
    "control-in-yaml.md": (
        "control-in-yaml.md:2:11: FM004 [front-matter-syntax] YAML error: control character"
        " U+0007 is not allowed in YAML\n"
        "control-in-yaml.md:2:11: HT106 [control-character] [*] control character U+0007 (BEL)\n"
        "Found 2 findings in 1 file.\n[*] 1 fixable with --fix.\n",
        1,
    ),
    "code-example.md": ("All checks passed (1 file).\n", 0),
}


def test_every_fixture_has_a_case() -> None:
    assert sorted(CASES) == sorted(f.name for f in BAD.iterdir())


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(run_cli, bad: Path, name: str) -> None:
    stdout, code = CASES[name]
    check(run_cli, [name], stdout, code, cwd=bad)


def test_yaml_object_tag_is_never_executed(run_cli, bad: Path) -> None:
    run_cli("lint", "yaml-python-object.md", cwd=bad)
    assert not (bad / "pwned").exists()


def test_the_run_goes_on_after_each_bad_file(run_cli, bad: Path) -> None:
    """All the bad files in one run: one report, every file read, no traceback."""
    proc = run_cli("lint", ".", cwd=bad)
    assert proc.stderr == ""
    assert proc.returncode == 1
    for name, (stdout, _code) in CASES.items():
        for line in stdout.splitlines():
            if line.startswith(name + ":"):
                assert "./" + line in proc.stdout or line in proc.stdout


def test_encoding_option_reads_gbk_and_gb18030(run_cli, bad: Path) -> None:
    check(
        run_cli,
        ["--encoding", "gb18030", "gbk.md", "gb18030.md"],
        "All checks passed (2 files).\n",
        0,
        cwd=bad,
    )


def test_encoding_option_reads_utf16(run_cli, bad: Path) -> None:
    check(run_cli, ["--encoding", "utf-16", "utf16.md"], "All checks passed (1 file).\n", 0, bad)


def test_html_read_in_the_encoding_its_meta_declares(run_cli, tmp_path: Path) -> None:
    """A scraped page that is not UTF-8 but says what it is reads as a browser reads it, with
    labels as browsers take them: iso-8859-1 is Windows-1252 (its curly quotes), gb2312 is GBK."""
    (tmp_path / "gbk.html").write_bytes('<meta charset="gb2312"><p>贸易优势</p>'.encode("gbk"))
    (tmp_path / "latin.html").write_bytes(
        b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        b"<p>\x93Caf\xe9\x94</p>"
    )
    for name, text in [("gbk.html", "贸易优势\n"), ("latin.html", "\u201cCaf\u00e9\u201d\n")]:
        proc = run_cli("convert", name, cwd=tmp_path)
        assert (proc.stdout, proc.stderr, proc.returncode) == (text, "", 0)


def test_declared_encoding_that_does_not_fit(run_cli, tmp_path: Path) -> None:
    """A page whose bytes its declaration cannot read is refused at the byte, naming the
    declaration; a <meta> inside a comment declares nothing."""
    (tmp_path / "wrong.html").write_bytes(b'<meta charset="gbk">\n<p>\xff\xfe</p>')
    (tmp_path / "commented.html").write_bytes(b'<!-- <meta charset="gbk"> -->\n<p>\xd6\xd0</p>')
    proc = run_cli("convert", "wrong.html", cwd=tmp_path)
    assert proc.stderr == (
        "contentkit: error: wrong.html:2:4: not valid GB18030 (byte 0xff) although its <meta>"
        " declares it; --encoding can name another\n"
    )
    assert proc.returncode == 1
    proc = run_cli("convert", "commented.html", cwd=tmp_path)
    assert proc.stderr.startswith("contentkit: error: commented.html:2:4: not valid UTF-8")
    assert proc.returncode == 1


def test_unknown_encoding_stops_the_run(run_cli, bad: Path) -> None:
    proc = run_cli("lint", "--encoding", "klingon", "gbk.md", cwd=bad)
    assert proc.stdout == ""
    assert proc.stderr == "contentkit: error: unknown encoding 'klingon' (--encoding)\n"
    assert proc.returncode == 2


def test_unknown_encoding_in_config(run_cli, tmp_path: Path) -> None:
    (tmp_path / "contentkit.toml").write_text('encoding = "klingon"\n')
    (tmp_path / "a.md").write_text(HEAD)
    proc = run_cli("lint", "a.md", cwd=tmp_path)
    assert proc.stderr == (
        f"contentkit: error: {tmp_path / 'contentkit.toml'}:1:1: unknown encoding 'klingon'"
        " (the 'encoding' key)\n"
    )
    assert proc.returncode == 2


def test_missing_path_is_an_error_but_the_rest_is_linted(run_cli, bad: Path) -> None:
    proc = run_cli("lint", "nope.md", "empty.md", cwd=bad)
    assert proc.stdout == (
        "empty.md:1:1: FM001 [missing-front-matter] no front matter: expected a '---' block on"
        " the first line\n" + ONE
    )
    assert proc.stderr == "contentkit: error: nope.md:1:1: no such file or directory\n"
    assert proc.returncode == 2
    proc = run_cli("lint", "nope.md", cwd=bad)
    assert (proc.stdout, proc.returncode) == ("", 2)


def test_broken_symlink(run_cli, tmp_path: Path) -> None:
    (tmp_path / "post.md").symlink_to(tmp_path / "gone.md")
    check(
        run_cli,
        ["post.md"],
        "post.md:1:1: CK001 [unreadable-file] broken symbolic link\n" + ONE,
        1,
        cwd=tmp_path,
    )


def test_broken_symlink_inside_a_folder(run_cli, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").symlink_to(tmp_path / "gone.md")
    (tmp_path / "posts" / "b.md").write_text(HEAD)
    check(
        run_cli,
        ["posts"],
        "posts/a.md:1:1: CK001 [unreadable-file] broken symbolic link\n"
        "Found 1 finding in 2 files.\n",
        1,
        cwd=tmp_path,
    )


def test_directory_named_like_a_post(run_cli, tmp_path: Path) -> None:
    """A folder called post.md is a folder: searched, never read as a file."""
    (tmp_path / "site" / "post.md").mkdir(parents=True)
    (tmp_path / "site" / "post.md" / "inner.md").write_text(HEAD)
    (tmp_path / "site" / "empty.md").mkdir()
    check(run_cli, ["site"], "All checks passed (1 file).\n", 0, cwd=tmp_path)
    check(run_cli, ["site/empty.md"], "All checks passed (0 files).\n", 0, cwd=tmp_path)


def test_fifo_named_like_a_post_does_not_block(run_cli, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    os.mkfifo(tmp_path / "posts" / "pipe.md")
    check(
        run_cli,
        ["posts"],
        "posts/pipe.md:1:1: CK001 [unreadable-file] not a regular file\n" + ONE,
        1,
        cwd=tmp_path,
    )


def test_file_over_the_size_limit(run_cli, tmp_path: Path) -> None:
    (tmp_path / "big.md").write_text(HEAD + "x" * 2000)
    (tmp_path / "small.md").write_text(HEAD)
    check(
        run_cli,
        ["--max-file-size", "1000", "big.md", "small.md"],
        "big.md:1:1: CK001 [unreadable-file] file is 2,048 bytes, over the 1,000-byte limit"
        " (max-file-size in the config, or --max-file-size)\n"
        "Found 1 finding in 2 files.\n",
        1,
        cwd=tmp_path,
    )
    (tmp_path / "contentkit.toml").write_text("max-file-size = 1000\n")
    proc = run_cli("lint", "big.md", cwd=tmp_path)
    assert proc.returncode == 1 and "over the 1,000-byte limit" in proc.stdout
    check(run_cli, ["--max-file-size", "0", "big.md"], "All checks passed (1 file).\n", 0, tmp_path)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc")
@pytest.mark.parametrize("limit", ["0", "100000"])
def test_file_longer_than_its_stat_size_is_read_to_the_end(run_cli, tmp_path, limit) -> None:
    """A file can hold more than stat said (it grew, or it is a /proc file, whose size is 0):
    the whole of it is read, with or without a size limit."""
    proc = run_cli(
        "lint", "--no-cache", "--show-source", "--max-file-size", limit, "/proc/self/status"
    )
    assert proc.stderr == ""
    assert proc.stdout.startswith(
        "/proc/self/status:1:1: FM001 [missing-front-matter] no front matter"
    )
    assert "\n1 | Name:" in proc.stdout  # the first line, not only its first byte


def test_file_longer_than_its_stat_size_still_meets_the_limit(run_cli, tmp_path) -> None:
    if not Path("/proc/self/status").is_file():
        pytest.skip("needs Linux's /proc")
    check(
        run_cli,
        ["--no-cache", "--max-file-size", "50", "/proc/self/status"],
        "/proc/self/status:1:1: CK001 [unreadable-file] file is 51 bytes, over the 50-byte limit"
        " (max-file-size in the config, or --max-file-size)\n" + ONE,
        1,
        cwd=tmp_path,
    )


def test_default_size_limit_is_ten_megabytes(run_cli, tmp_path: Path) -> None:
    with open(tmp_path / "huge.md", "wb") as fh:
        fh.write(HEAD.encode())
        fh.truncate(11 * 1024 * 1024)  # sparse: no 11 MB of test data on disk
    check(
        run_cli,
        ["huge.md"],
        "huge.md:1:1: CK001 [unreadable-file] file is 11,534,336 bytes, over the 10,485,760-byte"
        " limit (max-file-size in the config, or --max-file-size)\n" + ONE,
        1,
        cwd=tmp_path,
    )


def _drop_file_read_override() -> None:
    """In the child: give up root's power to read any file (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH leave the bounding set, so the exec'd python never has them)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_unreadable_file(tmp_path: Path) -> None:
    """chmod 000 only stops a user without CAP_DAC_OVERRIDE; tests run as root, so the
    child drops that capability first (or runs as the non-root user it already is)."""
    import subprocess
    import sys

    (tmp_path / "locked.md").write_text(HEAD)
    (tmp_path / "locked.md").chmod(0)
    (tmp_path / "open.md").write_text(HEAD)
    preexec = None
    if os.geteuid() == 0:
        try:
            probe = subprocess.run(
                [sys.executable, "-c", f"open({str(tmp_path / 'locked.md')!r})"],
                preexec_fn=_drop_file_read_override,
                capture_output=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"cannot drop CAP_DAC_OVERRIDE here ({exc}); root reads any file")
        if probe.returncode == 0:
            pytest.skip("this root still reads a mode-000 file; EACCES cannot be provoked")
        preexec = _drop_file_read_override
    proc = subprocess.run(
        [sys.executable, "-m", "contentkit", "lint", "locked.md", "open.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stderr == ""
    assert proc.stdout == (
        "locked.md:1:1: CK001 [unreadable-file] permission denied\nFound 1 finding in 2 files.\n"
    )
    assert proc.returncode == 1


def test_stdin_binary_and_gbk(run_cli, bad: Path) -> None:
    proc = run_cli("lint", "-", input=(bad / "binary.md").read_bytes())
    assert (proc.stdout, proc.stderr, proc.returncode) == (
        "-:1:1: CK001 [unreadable-file] binary file (contains NUL bytes)\n" + ONE,
        "",
        1,
    )
    proc = run_cli(
        "lint",
        "-",
        "--encoding",
        "gb18030",
        "--stdin-filename",
        "p.md",
        input=(bad / "gbk.md").read_bytes(),
    )
    assert (proc.stdout, proc.stderr, proc.returncode) == ("All checks passed (1 file).\n", "", 0)


# ---- --fix keeps what it does not fix -----------------------------------------------------

RFC_DATE = "\n\n---\ntitle: 上海\ndate: Tue, 20 Apr 2021 02:55:35 GMT\n---\n<p>正文\x07</p>\n"
FIXED = "---\ntitle: 上海\ndate: 2021-04-20T02:55:35Z\n---\n<p>正文</p>\n"


@pytest.mark.parametrize(
    ("name", "encode", "args"),
    [
        ("utf8.html", lambda t: t.encode(), []),
        ("bom.html", lambda t: b"\xef\xbb\xbf" + t.encode(), []),
        ("crlf.html", lambda t: t.replace("\n", "\r\n").encode(), []),
        ("cr.html", lambda t: t.replace("\n", "\r").encode(), []),
        ("gbk.html", lambda t: t.encode("gbk"), ["--encoding", "gb18030"]),
        ("utf16.html", lambda t: t.encode("utf-16"), ["--encoding", "utf-16"]),
        (
            "declared.html",
            lambda t: t.replace("<p>", '<meta charset="gbk"><p>').encode("gbk"),
            [],
        ),
    ],
)
def test_fix_keeps_encoding_bom_newlines_and_mode(run_cli, tmp_path: Path, name, encode, args):
    path = tmp_path / name
    path.write_bytes(encode(RFC_DATE))
    path.chmod(0o640)
    proc = run_cli("lint", "--fix", *args, name, cwd=tmp_path)
    assert proc.stderr == ""
    assert proc.stdout == "Fixed 3 findings; all checks passed.\n"
    assert proc.returncode == 0
    assert path.read_bytes() == encode(FIXED)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    # Idempotent: a second run finds nothing and does not touch the file.
    before = path.stat().st_mtime_ns
    proc = run_cli("lint", "--fix", *args, name, cwd=tmp_path)
    assert (proc.stdout, proc.returncode) == ("All checks passed (1 file).\n", 0)
    assert path.stat().st_mtime_ns == before
    # No temporary file left behind (the lint cache folder is meant to stay).
    assert [p.name for p in tmp_path.iterdir() if p.name != ".contentkit_cache"] == [name]


def test_fix_through_a_symlink_keeps_the_link(run_cli, tmp_path: Path) -> None:
    (tmp_path / "real.html").write_text(RFC_DATE)
    (tmp_path / "link.html").symlink_to("real.html")
    proc = run_cli("lint", "--fix", "link.html", cwd=tmp_path)
    assert proc.returncode == 0
    assert (tmp_path / "link.html").is_symlink()
    assert (tmp_path / "real.html").read_text() == FIXED


def test_unfixable_file_is_never_written(run_cli, bad: Path) -> None:
    before = {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in bad.iterdir()}
    run_cli("lint", "--fix", ".", cwd=bad)
    fixable = {"mixed-newlines.md", "control-chars.md", "control-in-yaml.md", "unsafe.html"}
    for f in bad.iterdir():
        if f.name not in fixable and f.is_file():  # the cache folder is meant to stay
            assert (f.read_bytes(), f.stat().st_mtime_ns) == before[f.name], f.name
    assert (bad / "control-in-yaml.md").read_bytes() == (
        b"---\ntitle: Hello\ndate: 2021-04-20T02:55:35Z\n---\nBody.\n"
    )


def test_fix_from_stdin_keeps_bom_and_newlines(run_cli) -> None:
    """`--fix -` prints the whole post (fixed or not) on stdout; findings go to stderr."""
    post = "\ufeff---\r\ntitle: Hi\x07\r\ndate: 2021-04-20T02:55:35Z\r\n---\r\nBody.\r\n"
    proc = run_cli("lint", "--fix", "-", input=post.encode())
    assert proc.stdout == post.replace("\x07", "")
    assert proc.stderr == "Fixed 1 finding; all checks passed.\n"
    assert proc.returncode == 0
    clean = post.replace("\x07", "")
    proc = run_cli("lint", "--fix", "-", input=clean.encode())
    assert (proc.stdout, proc.stderr, proc.returncode) == (
        clean,
        "All checks passed (1 file).\n",
        0,
    )


def test_fix_keeps_the_owner(run_cli, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    post = tmp_path / "theirs.html"
    post.write_text(RFC_DATE)
    os.chown(post, 4321, 4321)
    proc = run_cli("lint", "--fix", "theirs.html", cwd=tmp_path)
    assert proc.returncode == 0
    assert post.read_text() == FIXED
    assert (post.stat().st_uid, post.stat().st_gid) == (4321, 4321)

"""Writing files without ever leaving one half-written."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".contentkit-tmp"
# ".<name>.<pid>.<random>.contentkit-tmp": ours, and whose. mkstemp's random part is 8
# characters of [a-z0-9_].
_OUR_TEMP = re.compile(r"^\..+\.(?P<pid>\d+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$")
# A temporary file whose process is gone is a leftover (kill -9, power cut). One older than
# this is one too, whatever its pid says (a pid reused by another process since).
STALE_AFTER = 3600.0


class FileChanged(OSError):
    """The file is no longer what was read: writing would lose what changed it."""


class NotWritten(OSError):
    """Writing was declined (read-only file, link out of the tree): the reason is the message."""


@dataclass(frozen=True)
class FileState:
    """What a file was when it was read: a write is refused if any of it has changed."""

    size: int
    mtime_ns: int
    digest: bytes

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> FileState:
        return cls(info.st_size, info.st_mtime_ns, _digest(data))


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _unchanged(target: Path, expected: FileState) -> bool:
    try:
        info = target.stat()
        if info.st_size != expected.size or info.st_mtime_ns != expected.mtime_ns:
            return False
        return _digest(target.read_bytes()) == expected.digest
    except OSError:
        return False


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    durable: bool = True,
    expected: FileState | None = None,
    keep_read_only: bool = False,
    tree: Path | None = None,
) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A reader (or a crash) sees the old file or the new one, never a mix. The file mode is kept,
    and a symbolic link stays a link to the rewritten file.

    ``durable`` also flushes the file and the rename to disk before returning, so that a post
    rewritten by ``--fix`` survives a power cut. Outputs that can be made again from their
    sources (``convert -o``) skip it: two fsyncs a file were a third of converting a folder.

    For a user's own file (``--fix``): with ``expected``, the file's size, mtime and content
    are checked again just before the rename, and FileChanged is raised if it changed since
    it was read (an editor saved it meanwhile). With ``keep_read_only``, a file without write
    permission is not replaced (NotWritten). With ``tree``, a symbolic link to a file outside
    that folder is not written through (NotWritten).
    """
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        # Through a symbolic link, rewrite the file it points to and keep the link itself.
        # (A link higher up the path needs nothing: the temporary file and the rename land
        # in the same real folder either way.)
        target = Path(os.path.realpath(path))
        if tree is not None and not target.is_relative_to(Path(os.path.realpath(tree))):
            raise NotWritten(
                f"it is a symbolic link to {target}, outside {tree} "
                "(--follow-symlinks, or follow-symlinks = true in the config, writes through it)"
            )
        try:
            info = target.stat()
        except FileNotFoundError:
            info = None
    else:
        target = Path(path)
    mode = stat.S_IMODE(info.st_mode) if info is not None else None
    if keep_read_only and mode is not None and not (mode & 0o222 and os.access(target, os.W_OK)):
        raise NotWritten("the file is read-only")
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if info is not None and mode is not None:
            os.chmod(tmp, mode)
            if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                # Root fixing another user's post: the post stays theirs. Best effort: an
                # ordinary user cannot give a file away, and keeps their own ownership then.
                try:
                    os.chown(tmp, info.st_uid, info.st_gid)
                except OSError:
                    pass
        if expected is not None:
            _replace_unchanged(tmp, target, expected, data)
            if os.path.lexists(tmp):  # swapped: it holds the file as it was read
                os.unlink(tmp)
        else:
            os.replace(tmp, target)
        if durable:
            _fsync_dir(target.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


_CHANGED = "the file changed since it was read; lint it again"


def _replace_unchanged(tmp: str, target: Path, expected: FileState, data: bytes) -> None:
    """Rename ``tmp`` over ``target`` only if ``target`` is still ``expected``.

    Where the system can swap two names atomically (Linux renameat2 RENAME_EXCHANGE), the
    file is swapped in first and what it replaced checked after: a save landing between a
    check and a rename cannot be lost then. It is swapped back if it was not what was read.
    Elsewhere the check comes just before the rename, which leaves a window of a few
    microseconds.
    """
    if not _unchanged(target, expected):
        raise FileChanged(_CHANGED)
    if not _exchange(tmp, target):
        os.replace(tmp, target)
        return
    # tmp now names what target held a moment ago.
    if _unchanged(Path(tmp), expected):
        return
    # Someone saved between the check and the swap: give their file its name back. If it
    # was saved over again meanwhile (tmp now holds neither our text nor theirs), the newest
    # save is the one that stays.
    for _ in range(3):
        _exchange(tmp, target)
        if _digest(Path(tmp).read_bytes()) == _digest(data):
            break
    raise FileChanged(_CHANGED)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2: Any = None


def _exchange(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Swap the files named ``a`` and ``b`` atomically; False when the system cannot."""
    global _renameat2
    if _renameat2 is None:
        _renameat2 = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                libc = ctypes.CDLL(None, use_errno=True)
                fn = libc.renameat2
                fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
                fn.argtypes += [ctypes.c_uint]
                fn.restype = ctypes.c_int
                _renameat2 = fn
            except (OSError, AttributeError):
                _renameat2 = False
    if _renameat2 is False:
        return False
    fn = _renameat2
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False  # not on this file system: fall back to check-then-rename
    raise OSError(err, os.strerror(err), str(b))


def ctypes_errno() -> int:
    import ctypes

    return ctypes.get_errno()


def remove_stale_temps(folder: str | os.PathLike[str]) -> int:
    """Delete our own temporary files in ``folder`` that no running process will rename
    (left by a kill or a crash); returns how many. Nothing else is ever touched."""
    removed = 0
    try:
        with os.scandir(folder) as it:
            candidates = [e for e in it if e.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return 0
    now = time.time()
    for entry in candidates:
        m = _OUR_TEMP.match(entry.name)
        if m is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if not old and _alive(int(m.group("pid"))):
                continue  # being written right now, by another run
            os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process: leave its file
    try:
        # A killed process nobody has reaped yet still answers kill(0): a zombie is gone.
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rpartition(b")")[2].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; best effort (not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""Writing files without ever leaving one half-written."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A reader (or a crash) sees the old file or the new one, never a mix. The file mode is kept,
    and a symbolic link stays a link to the rewritten file.

    ``durable`` also flushes the file and the rename to disk before returning, so that a post
    rewritten by ``--fix`` survives a power cut. Outputs that can be made again from their
    sources (``convert -o``) skip it: two fsyncs a file were a third of converting a folder.
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
        try:
            info = target.stat()
        except FileNotFoundError:
            info = None
    else:
        target = Path(path)
    mode = stat.S_IMODE(info.st_mode) if info is not None else None
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".contentkit-tmp", dir=target.parent
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
        os.replace(tmp, target)
        if durable:
            _fsync_dir(target.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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

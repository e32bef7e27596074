"""Atomic writes: a file is either its old or its new content, never half written."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from dialoog.errors import DialoogError

LOCK_TIMEOUT = 30.0  # seconds to wait for another session to finish writing the same file


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` through a temporary file in the same folder and an atomic rename."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _MODE)  # mkstemp creates 0600; give the file the mode a plain open() would
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_copy(src: Path, dest: Path) -> None:
    """Copy `src` to `dest` atomically (temporary file in the destination folder, then rename)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.chmod(tmp, _MODE)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def scratch_dir(near: Path) -> Iterator[Path]:
    """A temporary folder beside `near` (same file system, so renames out of it are atomic)."""
    near = Path(near)
    near.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".dialoog-", dir=near))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def lock_path(path: Path) -> Path:
    return Path(path).with_name(f".{Path(path).name}.lock")


@contextlib.contextmanager
def locked(paths: Iterable[Path], timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the locks of `paths` (always taken in sorted order, so two callers cannot deadlock)."""
    with contextlib.ExitStack() as stack:
        for path in sorted({Path(p).resolve() for p in paths}):
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(lock_path(path)), timeout=timeout)
            try:
                stack.enter_context(lock)
            except Timeout:
                raise DialoogError(
                    f"the file is locked by another session for more than {timeout:.0f} seconds",
                    path=path,
                    hint=f"close the other notebook or remove {lock_path(path).name} if no session is running",
                ) from None
        yield

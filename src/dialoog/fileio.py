"""Atomic writes: a file is either its old or its new content, never half written.

Also: file locks (`locked`), a full disk as a clear `DialoogError` (`disk_errors`), and folders swapped
in as one step (`swap_in`, used for a report's whole output set) with their leftovers swept (`sweep`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from dialoog.errors import DialoogError

LOCK_TIMEOUT = 30.0  # seconds to wait for another session to finish writing the same file
#: errors of a full disk or quota, reported as a DialoogError naming the file
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
SCRATCH_PREFIX = ".dialoog-"
OLD_PREFIX = ".dialoog-old-"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()
_DIR_MODE = 0o777 & ~_umask()


def disk_full(path: Path, exc: OSError) -> DialoogError:
    """The message for a full disk: names the file, never its content."""
    return DialoogError(
        f"the disk is full ({errno.errorcode.get(exc.errno, exc.errno)}); nothing was written, the file keeps "
        "its previous content",
        path=path,
        hint="free some space on this disk and run the command again",
    )


@contextlib.contextmanager
def disk_errors(path: Path) -> Iterator[None]:
    """Turn a full disk while writing `path` into a DialoogError (other OSErrors pass unchanged)."""
    try:
        yield
    except OSError as exc:
        if exc.errno in DISK_FULL:
            raise disk_full(Path(path), exc) from None
        raise


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` through a temporary file in the same folder and an atomic rename."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    with disk_errors(path):
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
    with disk_errors(dest):
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
def scratch_dir(near: Path, name: str = "") -> Iterator[Path]:
    """A temporary folder beside `near` (same file system, so renames out of it are atomic)."""
    near = Path(near)
    near.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{name}{'.' if name else ''}", dir=near))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- a folder swapped in as one step -------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # old kernel or a file system without the flag
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: Path, dest: Path) -> None:
    """Make folder `new` become `dest` in one step; the old `dest` is removed.

    On Linux both folders are exchanged atomically, so a reader (or a kill) sees either the whole old set
    or the whole new one. Elsewhere the old folder is first renamed aside; `sweep` puts it back if the
    process dies between the two renames.
    """
    new, dest = Path(new), Path(dest)
    os.chmod(new, _DIR_MODE)  # mkdtemp made it 0700; give it the mode a plain mkdir would
    old = dest.with_name(f"{OLD_PREFIX}{dest.name}.{os.getpid()}-{time.time_ns()}")
    if dest.is_dir() and _exchange(new, dest):
        os.rename(new, old)  # `new` now holds the old set
    elif dest.is_dir():
        os.rename(dest, old)
        os.rename(new, dest)
    else:
        os.rename(new, dest)
        return
    shutil.rmtree(old, ignore_errors=True)


def sweep(folder: Path, name: str) -> list[Path]:
    """Remove what an interrupted write of `folder/name` left: scratch folders, an old set renamed aside
    (put back when the new one never arrived) and temporary files. Call it holding the folder's lock."""
    folder = Path(folder)
    dest = folder / name
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for old in sorted(folder.glob(f"{OLD_PREFIX}{name}.*")):
        if not dest.exists():
            os.rename(old, dest)
        else:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    for scratch in folder.glob(f"{SCRATCH_PREFIX}{name}.*"):
        if scratch.is_dir() and not scratch.name.startswith(OLD_PREFIX):
            shutil.rmtree(scratch, ignore_errors=True)
            removed.append(scratch)
    if dest.is_dir():
        for tmp in dest.glob(".*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
                removed.append(tmp)
    return removed


# -- locks ------------------------------------------------------------------------------------------


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


#: A study's own cache folder (`dialoog.assist.modelcache`: the trained suggestion model and the lemmas of its
#: words). It holds words of the study's transcripts, so withdrawing or pseudonymising one removes it.
STUDY_CACHE = ".dialoog-cache"


def study_cache_dir(root: Path) -> Path:
    """``<study>/.dialoog-cache/``, created private (0700) with a ``.gitignore`` of its own that ignores
    everything, so that the study's words stay out of git in any study folder (also one whose own
    .gitignore predates the cache)."""
    folder = Path(root) / STUDY_CACHE
    folder.mkdir(mode=0o700, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        atomic_write_text(ignore, "# dialoog's cache of this study: it holds the study's words; never commit it\n*\n")
    return folder


def remove_study_cache(root: Path) -> None:
    """Delete a study's cache folder (always safe: it is rebuilt when needed)."""
    folder = Path(root) / STUDY_CACHE
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)

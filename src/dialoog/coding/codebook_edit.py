"""Editing the codebook (add, rename, move, merge codes) with the codings following the change.

The YAML file is edited round-trip (ruamel.yaml), so comments, order and every field of every code
(also fields this module does not know) stay as they were. Each new codebook is validated before it
is written, and written atomically. A change of a code id (rename with a new id, merge) rewrites that id in
every coder's codings file and code memos, under the locks of those files, in an order that keeps the
study valid if it is interrupted: the new id first exists in the codebook, then the codings move, and
only then the old id goes. Every change is logged in ``codebook/history.csv``, with the full entry of a
code that a merge removed.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from dialoog.coding import session as coding_session
from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.study import codebook as codebook_mod
from dialoog.study.codebook import CODE_ID_RE, Codebook
from dialoog.study.codings import Coding
from dialoog.study.folder import Study
from dialoog.study.yamlload import load_yaml

HISTORY_COLUMNS = ("timestamp", "action", "code", "detail")


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _load(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8"))


def _dump(data: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def _write(path: Path, data: Any) -> Codebook:
    """Validate, then write atomically; returns the new codebook."""
    text = _dump(data)
    cb = codebook_mod.parse(load_yaml(text, path), path)
    atomic_write_text(path, text)
    return cb


def _entries(data: Any) -> list:
    return data["codes"]


def _index(data: Any, code_id: str, path: Path) -> int:
    for i, entry in enumerate(_entries(data)):
        if entry.get("id") == code_id:
            return i
    raise DialoogError(f"unknown code '{code_id}'", path=path, key="id")


def _check_new_id(cb: Codebook, new_id: str) -> None:
    if not CODE_ID_RE.match(new_id or ""):
        raise DialoogError(
            f"invalid code id '{new_id}'",
            key="id",
            hint="use lower-case letters, digits and '-', e.g. 'melden-aangifte'",
        )
    if new_id in cb:
        raise DialoogError(f"code id '{new_id}' already exists", path=cb.path, key="id")


def _log(study: Study, action: str, code: str, detail: str) -> None:
    from dialoog.study.codings import now

    path = study.codebook_path.with_name("history.csv")
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    if not old:
        writer.writerow(HISTORY_COLUMNS)
    writer.writerow([now(), action, code, detail])
    atomic_write_text(path, old + buf.getvalue())


def _lock_all(study: Study) -> list[Path]:
    memos = sorted((study.codings_dir / "memos").glob("*.csv")) if (study.codings_dir / "memos").is_dir() else []
    return [study.codebook_path, *study.coder_files(), *memos]


def _recode(study: Study, old: str, new: str) -> int:
    """Replace code `old` by `new` in every coder's codings and code memos (locks held by the caller)."""
    changed = 0
    for path in study.coder_files():
        rows = coding_session.read_codings(path)
        if not any(c.code == old for c in rows):
            continue
        out: dict[tuple, Coding] = {}
        for c in rows:
            c = dataclasses.replace(c, code=new) if c.code == old else c
            k = coding_session.key(c)
            if k in out:  # the coder had both codes on this span: keep one, with both memos
                memos = [m for m in (out[k].memo, c.memo) if m]
                c = dataclasses.replace(out[k], memo=" | ".join(dict.fromkeys(memos)))
            out[k] = c
        from dialoog.study.codings import write

        write(path, out.values())
        changed += sum(1 for c in rows if c.code == old)
    memo_dir = study.codings_dir / "memos"
    for path in sorted(memo_dir.glob("*.csv")) if memo_dir.is_dir() else []:
        memos = coding_session.read_code_memos(path)
        if old not in memos:
            continue
        moved = memos.pop(old)
        if new in memos:
            memos[new]["memo"] = memos[new]["memo"] + " | " + moved["memo"]
        else:
            memos[new] = {**moved, "code": new}
        coding_session.write_code_memos(path, memos)
    return changed


def add_code(
    study: Study, code_id: str, label: str, description: str, parent: str | None = None, **fields: Any
) -> Codebook:
    """Add a code (at the end of the file); `fields` may hold use_when, not_when, examples, keywords, ..."""
    path = study.codebook_path
    with coding_session.locked([path]):
        cb = codebook_mod.load(path)
        _check_new_id(cb, code_id)
        if parent and parent not in cb:
            raise DialoogError(f"unknown parent '{parent}'", path=path, key="parent")
        data = _load(path)
        entry = CommentedMap(id=code_id)
        if parent:
            entry["parent"] = parent
        entry["label"] = label.strip()
        entry["description"] = description.strip()
        for k, v in fields.items():
            if v not in (None, "", [], ()):
                entry[k] = list(v) if isinstance(v, tuple) else v
        _entries(data).append(entry)
        out = _write(path, data)
    _log(study, "add", code_id, label)
    return out


def rename_code(study: Study, code_id: str, label: str | None = None, new_id: str | None = None) -> Codebook:
    """Give a code a new label and/or a new id; a new id is rewritten in every coder's codings."""
    path = study.codebook_path
    with coding_session.locked(_lock_all(study)):
        cb = codebook_mod.load(path)
        if code_id not in cb:
            raise DialoogError(f"unknown code '{code_id}'", path=path, key="id")
        if new_id and new_id != code_id:
            _check_new_id(cb, new_id)
        data = _load(path)
        i = _index(data, code_id, path)
        if label:
            _entries(data)[i]["label"] = label.strip()
        if new_id and new_id != code_id:
            staged = _load(path)  # 1. the new id exists beside the old one
            twin = copy.deepcopy(_entries(staged)[i])
            twin["id"] = new_id
            _entries(staged).append(twin)
            _write(path, staged)
            _recode(study, code_id, new_id)  # 2. the codings move
            _entries(data)[i]["id"] = new_id  # 3. the old id goes; subcodes follow
            for entry in _entries(data):
                if entry.get("parent") == code_id:
                    entry["parent"] = new_id
        out = _write(path, data)
    _log(study, "rename", code_id, json.dumps({"label": label, "new_id": new_id}, ensure_ascii=False))
    return out


def move_code(study: Study, code_id: str, parent: str | None) -> Codebook:
    """Make a code a subcode of `parent` (None: a top-level code). A cycle is refused."""
    path = study.codebook_path
    with coding_session.locked([path]):
        cb = codebook_mod.load(path)
        if code_id not in cb:
            raise DialoogError(f"unknown code '{code_id}'", path=path, key="id")
        if parent is not None and parent not in cb:
            raise DialoogError(f"unknown parent '{parent}'", path=path, key="parent")
        if parent == code_id or (parent is not None and parent in cb.descendants(code_id)):
            raise DialoogError(f"cannot move '{code_id}' under its own subcode '{parent}'", path=path, key="parent")
        data = _load(path)
        entry = _entries(data)[_index(data, code_id, path)]
        if parent is None:
            entry.pop("parent", None)
        elif "parent" in entry:
            entry["parent"] = parent
        else:  # keep the key order of the file: id, parent, label, ...
            entry.insert(1, "parent", parent)
        out = _write(path, data)
    _log(study, "move", code_id, parent or "")
    return out


def merge_codes(study: Study, source: str, target: str) -> Codebook:
    """Merge code `source` into `target`: its codings, memos, examples, keywords and subcodes go to `target`."""
    path = study.codebook_path
    with coding_session.locked(_lock_all(study)):
        cb = codebook_mod.load(path)
        for c in (source, target):
            if c not in cb:
                raise DialoogError(f"unknown code '{c}'", path=path, key="id")
        if source == target:
            raise DialoogError("a code cannot be merged into itself", key="id")
        if target in cb.descendants(source):
            raise DialoogError(
                f"'{target}' is a subcode of '{source}'", key="id", hint="move it out first, or merge the other way"
            )
        n = _recode(study, source, target)  # 1. the codings move (both ids still exist)
        data = _load(path)
        i = _index(data, source, path)
        removed = _entries(data)[i]
        tgt = _entries(data)[_index(data, target, path)]
        for k in ("examples", "keywords"):
            extra = [v for v in (removed.get(k) or []) if v not in (tgt.get(k) or [])]
            if extra:
                if k in tgt and tgt[k] is not None:
                    tgt[k].extend(extra)
                else:
                    tgt[k] = extra
        for entry in _entries(data):
            if entry.get("parent") == source:
                entry["parent"] = target
        record = json.dumps(json.loads(json.dumps(removed, default=list)), ensure_ascii=False)
        del _entries(data)[i]  # 2. the old id goes
        out = _write(path, data)
    _log(study, "merge", source, f"into {target}; {n} coding(s) recoded; removed entry: {record}")
    return out

"""Check that a change meant only for speed leaves every personal-data span as it was.

Run before the change with ``--save FILE`` and after it with ``--check FILE``:

    .venv/bin/python benchmarks/privacy_identity.py --save /tmp/privacy_before.json
    .venv/bin/python benchmarks/privacy_identity.py --check /tmp/privacy_before.json

It records the full list of spans (start, end, label, text) that `find_personal_data` gives

- for every text of every annotated set (``tests/fixtures/privacy*``), as it is, and again with the persons
  found in it as known names (the lower-case and first-name-only search of names known from the key);
- for every transcript of the demo study (``interviews/``), as a whole file, and turn by turn the way
  `dialoog pseudonymise` runs it: with the study's lists and the names the key collected in earlier turns
  (a scratch key, never written), plus the pseudonymised text of every turn;
- for every transcript of the evaluation studies (``benchmarks/data/eval*/study/interviews``), whole, with
  that study's lists.

Any difference is listed (by set, file and position, never quoting a transcript) and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rows(spans) -> list[list]:  # noqa: ANN001
    return [[s.start, s.end, s.label, s.text] for s in spans]


def _fixtures() -> dict[str, list]:
    import dialoog.privacy as privacy
    from dialoog.privacy.key import name_parts

    out: dict[str, list] = {}
    for folder in sorted((ROOT / "tests" / "fixtures").glob("privacy*")):
        for name, text, _, _ in privacy.annotated_set(folder):
            spans = privacy.find_personal_data(text)
            known = {name_parts(s.text)[0] for s in spans if s.label == "persoon"}
            again = privacy.find_personal_data(text, known_names=sorted(known))
            out[f"{folder.name}/{name}"] = [_rows(spans), _rows(again)]
    return out


def _demo() -> dict[str, list]:
    from dialoog.privacy import detect as ps
    from dialoog.study.folder import open_study

    study = open_study(ROOT, strict=False)
    lists = ps.lists_for_study(study)
    out: dict[str, list] = {}
    for path in sorted((ROOT / "interviews").rglob("*.md")):
        out[f"file:{path.relative_to(ROOT)}"] = _rows(ps.find_personal_data(path.read_text(encoding="utf-8")))
    for tid, t in sorted(study.transcripts.items()):
        scratch = ps.PseudonymKey()
        turns = []
        for turn in t.turns:
            spans = ps.find_personal_data(turn.text, lists, scratch.known_names())
            turns.append([_rows(spans), ps.apply(turn.text, spans, scratch, tid)])
        out[f"turns:{tid}"] = turns
    return out


def _evals() -> dict[str, list]:
    from dialoog.privacy import detect as ps
    from dialoog.study.folder import open_study

    out: dict[str, list] = {}
    for study_dir in sorted((ROOT / "benchmarks" / "data").glob("eval*/study")):
        lists = ps.lists_for_study(open_study(study_dir, strict=False))
        for path in sorted((study_dir / "interviews").rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            out[str(path.relative_to(ROOT))] = _rows(ps.find_personal_data(text, lists))
    return out


def snapshot() -> dict:
    return {"fixtures": _fixtures(), "demo": _demo(), "evals": _evals()}


def _compare(old, new, where: str, problems: list[str]) -> None:  # noqa: ANN001
    if isinstance(old, dict) and isinstance(new, dict):
        if set(old) != set(new):
            problems.append(f"{where}: keys differ ({len(set(old) ^ set(new))})")
        for k in sorted(set(old) & set(new)):
            _compare(old[k], new[k], f"{where}/{k}", problems)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            problems.append(f"{where}: {len(old)} items before, {len(new)} after")
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            _compare(a, b, f"{where}[{i}]", problems)
    elif old != new:
        problems.append(f"{where}: differs")  # never quote the text: it may be personal data


def _count(data) -> int:  # noqa: ANN001
    if isinstance(data, dict):
        return sum(_count(v) for v in data.values())
    if isinstance(data, list) and data and isinstance(data[0], int):
        return 1
    return sum(_count(v) for v in data) if isinstance(data, list) else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    args = ap.parse_args()
    data = json.loads(json.dumps(snapshot()))
    if args.save:
        args.save.write_text(json.dumps(data), encoding="utf-8")
        print(f"saved to {args.save} ({_count(data)} spans)")
        return 0
    problems: list[str] = []
    _compare(json.loads(args.check.read_text(encoding="utf-8")), data, "", problems)
    for p in problems[:50]:
        print(p)
    print("identical" if not problems else f"{len(problems)} difference(s)", f"({_count(data)} spans compared)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

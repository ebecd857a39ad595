"""Fails when the English catalogue lacks a translation, or is stale against the code.

French is written in the code; locale/en must translate every string. locale/fr repeats
the French text (made with msgen) so that French plural rules apply (0 is singular). We
rebuild the catalogues from the sources into a temporary copy and compare them with the
committed ones.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {"en": "locale/en/LC_MESSAGES/django.po", "fr": "locale/fr/LC_MESSAGES/django.po"}


def entries(po_path: Path) -> dict[tuple[str, str], tuple[str, bool]]:
    """(msgctxt, msgid) -> (msgstr, fuzzy), read with msgcat's normalised output."""
    text = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", str(po_path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = {}
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"') and current:
                fields[current] += line[1:-1]
                continue
            key, _, value = line.partition(" ")
            current = key
            fields[key] = value[1:-1]
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
        if "msgstr[1]" in fields and not fields["msgstr[1]"]:
            msgstr = ""
        result[(fields.get("msgctxt", ""), fields["msgid"])] = (msgstr, fuzzy)
    return result


def main() -> int:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(
            ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "var", "node_modules")
        )
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "--no-obsolete",
                "--ignore=.venv",
                "--ignore=var",
                "--ignore=tests",
                "--ignore=benchmarks",
                "-v0",
            ],
            cwd=copy,
            check=True,
        )
        for domain, rel in CATALOGUES.items():
            fresh = entries(copy / rel)
            committed = entries(ROOT / rel)
            for key in sorted(set(fresh) - set(committed)):
                problems.append(f"{domain}: not in {rel}: {key[1]!r}")
            for key, (msgstr, fuzzy) in sorted(committed.items()):
                if key in fresh and (not msgstr or fuzzy):
                    problems.append(f"{domain}: untranslated or fuzzy: {key[1]!r}")
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} translation problem(s): run `make messages` and translate.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

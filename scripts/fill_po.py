"""Fill empty (or fuzzy) msgstr entries of a .po catalogue from a {msgid: translation} dict.

Usage: python scripts/fill_po.py path/to/django.po translations.py   (the file defines ZH = {...})
Filled entries lose their fuzzy flag. Prints the msgids that are still untranslated.
"""

import re
import runpy
import sys
from pathlib import Path

ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.M)


def unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"\n'


def main(po_path: str, dict_path: str) -> None:
    table = runpy.run_path(dict_path)["ZH"]
    entries = Path(po_path).read_text(encoding="utf-8").split("\n\n")
    missing = []
    for i, entry in enumerate(entries):
        match = ENTRY.search(entry + "\n")
        if not match or "msgid_plural" in entry:
            continue
        msgid, msgstr = unquote(match.group(1)), unquote(match.group(2))
        fuzzy = "#, fuzzy" in entry
        if not msgid or (msgstr and not fuzzy):
            continue
        if msgid not in table:
            missing.append(msgid)
            continue
        kept = [
            line for line in entry[: match.start(2)].splitlines(keepends=True) if not line.startswith("#|")
        ]
        entries[i] = ("".join(kept) + quote(table[msgid])).rstrip("\n").replace("#, fuzzy\n", "")
    Path(po_path).write_text("\n\n".join(entries).rstrip("\n") + "\n", encoding="utf-8")
    for msgid in missing:
        print("MISSING:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])

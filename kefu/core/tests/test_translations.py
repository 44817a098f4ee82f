"""Chinese first: every catalogue is complete, compiled and up to date with its .po."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "kefu"
CATALOGUES = sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def untranslated(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    missing = []
    for entry in text.split("\n\n"):
        if "#, fuzzy" in entry and 'msgid ""\nmsgstr ""' not in entry:
            missing.append("(fuzzy) " + entry.splitlines()[-2][:80])
            continue
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', entry + "\n", re.M)
        if not match:
            continue
        msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
        msgstr = "".join(re.findall(r'"(.*)"', match.group(2)))
        if msgid and not msgstr:
            missing.append(msgid)
    return missing


def test_there_is_a_chinese_catalogue():
    assert (ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po") in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated(path):
    assert untranslated(path) == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_compiled(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"run compilemessages for {path}"
    assert compiled.stat().st_mtime >= path.stat().st_mtime - 1, f"{compiled} is older than its .po"

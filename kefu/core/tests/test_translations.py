"""Chinese first: every catalogue is complete, and its compiled .mo says what the .po says."""

import gettext
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "kefu"
CATALOGUES = sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) ((?:".*"\n?)+)', re.M)


def _text(block: str) -> str:
    raw = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def _chunks(text: str) -> list[str]:
    """Split a catalogue into entries, also where a writer left out the blank line between two."""
    chunks, current, last = [], [], None
    for line in text.splitlines():
        if not line.strip():
            chunks.append(current)
            current, last = [], None
            continue
        if line.startswith('"'):
            kind = last
        else:
            kind = "comment" if line.startswith("#") else line.split(" ", 1)[0].split("[", 1)[0]
        if last == "msgstr" and kind in ("comment", "msgctxt", "msgid"):
            chunks.append(current)
            current = []
        current.append(line)
        last = kind
    chunks.append(current)
    return ["\n".join(chunk) for chunk in chunks if chunk]


def entries(path: Path) -> list[dict]:
    """The catalogue's entries as dicts of their fields (obsolete `#~` entries left out)."""
    result = []
    for chunk in _chunks(path.read_text(encoding="utf-8")):
        lines = [line for line in chunk.splitlines() if not line.startswith("#~")]
        fields = {name: _text(value) for name, value in FIELD.findall("\n".join(lines) + "\n")}
        if "msgid" in fields:
            fields["fuzzy"] = "#, fuzzy" in chunk
            result.append(fields)
    return result


def test_there_is_a_chinese_catalogue():
    assert (ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po") in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated(path):
    missing = [
        e["msgid"]
        for e in entries(path)
        if e["msgid"] and (e["fuzzy"] or not any(v for k, v in e.items() if k.startswith("msgstr")))
    ]
    assert missing == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_the_po(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"run compilemessages for {path}"
    with compiled.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in entries(path):
        if not entry["msgid"] or "msgid_plural" in entry or entry["fuzzy"]:
            continue
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if catalog.get(key) != entry.get("msgstr"):
            stale.append(entry["msgid"])
    assert stale == [], f"{compiled} is out of date: run compilemessages"


def _by_msgid(item: tuple[tuple[str | None, str], dict]) -> tuple[str, str]:
    (context, msgid), _ = item
    return msgid, context or ""


def test_every_msgid_has_one_translation():
    """Django merges every catalogue into one per language (the project's first, then the apps in
    INSTALLED_APPS order): a msgid two apps translate differently shows one app's word everywhere.
    Same meaning: write the same Chinese in every catalogue. Different meaning: the app whose meaning
    differs asks with a context (`pgettext("<app>", ...)`, `{% translate "X" context "<app>" %}`)."""
    translations: dict[tuple[str | None, str], dict[str, tuple[str, ...]]] = defaultdict(dict)
    for path in CATALOGUES:
        app = path.relative_to(ROOT).parts[0]
        app = "project" if app == "locale" else app
        for entry in entries(path):
            msgstr = tuple(entry[k] for k in sorted(entry) if k.startswith("msgstr"))
            if entry["msgid"] and not entry["fuzzy"] and any(msgstr):
                translations[(entry.get("msgctxt"), entry["msgid"])][app] = msgstr
    disagree = [
        f"({context!r}, {msgid!r}) → " + ", ".join(f"{app}: {' | '.join(s)}" for app, s in by_app.items())
        for (context, msgid), by_app in sorted(translations.items(), key=_by_msgid)
        if len(set(by_app.values())) > 1
    ]
    assert disagree == [], f"{len(disagree)} msgids translated differently:\n" + "\n".join(disagree)


QUOTED = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
PY_CONTEXT_MSGIDS = re.compile(rf"\bn?pgettext(?:_lazy)?\(\s*{QUOTED},\s*{QUOTED}\s*[,)]")
TEMPLATE_CONTEXT_MSGIDS = re.compile(rf"\{{%\s*(?:translate|trans)\s+{QUOTED}\s+context\s+{QUOTED}")
COMMENT = re.compile(r"^\s*#.*$", re.M)


def test_every_string_asked_with_a_context_is_translated():
    """A context in the code with no entry in a catalogue (a typo, or makemessages not run) falls back
    to English, not to the plain msgid's Chinese."""
    from django.utils import translation

    missing = []
    with translation.override("zh-hans"):
        for path in sorted(ROOT.glob("**/*.py")) + sorted(ROOT.glob("**/templates/**/*.html")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".py":
                pairs = [
                    (c1 or c2, m1 or m2)
                    for c1, c2, m1, m2 in PY_CONTEXT_MSGIDS.findall(COMMENT.sub("", text))
                ]
            else:
                pairs = [(c1 or c2, m1 or m2) for m1, m2, c1, c2 in TEMPLATE_CONTEXT_MSGIDS.findall(text)]
            for context, msgid in pairs:
                if translation.pgettext(context, msgid) == msgid:
                    missing.append(f"{path.relative_to(ROOT)}: {context}|{msgid}")
    assert missing == []


JINJA_MSGIDS = re.compile(rf"(?<![\w.])_\(\s*{QUOTED}\s*\)")
JINJA_CONTEXT_MSGIDS = re.compile(rf"(?<![\w.])pgettext\(\s*{QUOTED}\s*,\s*{QUOTED}\s*\)")


def test_every_string_of_the_jinja2_row_templates_is_translated():
    """Row templates (`<app>/jinja2/`) are not scanned by makemessages: their msgids must be in a
    catalogue all the same (`_("…")` and `pgettext("<context>", "…")`)."""
    from django.utils import translation

    templates = sorted(ROOT.glob("**/jinja2/**/*.html"))
    assert templates
    missing = []
    with translation.override("zh-hans"):
        for path in templates:
            text = path.read_text(encoding="utf-8")
            for double, single in JINJA_MSGIDS.findall(text):
                msgid = double or single
                if translation.gettext(msgid) == msgid:
                    missing.append(f"{path.relative_to(ROOT)}: {msgid}")
            for c_double, c_single, double, single in JINJA_CONTEXT_MSGIDS.findall(text):
                context, msgid = c_double or c_single, double or single
                if translation.pgettext(context, msgid) == msgid:
                    missing.append(f"{path.relative_to(ROOT)}: {context}|{msgid}")
    assert missing == []


def test_jinja2_templates_can_ask_with_a_context():
    from django.template import engines
    from django.utils import translation

    template = engines["jinja2"].from_string('{{ pgettext("contacts", "Done") }}/{{ _("Done") }}')
    with translation.override("zh-hans"):
        assert template.render({}) == "已完成/已回访"

"""Every label of the Jinja2 templates is in the Chinese catalogue. Django's makemessages reads
Django templates and Python, not Jinja2's `pgettext(...)`, so a label used only in a Jinja2 page
could be dropped from the catalogue by `make messages` (or never added) and show in English."""

import re
from pathlib import Path

from django.template import engines
from django.utils import translation

KEFU = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")


def jinja_labels() -> list[tuple[str, str, tuple | str]]:
    env = engines["jinja2"].env
    found = []
    for path in sorted(KEFU.glob("*/jinja2/**/*.html")):
        for _line, function, message in env.extract_translations(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(KEFU)), function, message))
    return found


def test_every_jinja_label_has_its_chinese():
    labels = jinja_labels()
    assert len(labels) > 100  # the templates were found and read
    missing = []
    with translation.override("zh-hans"):
        for path, function, message in labels:
            if function in ("pgettext", "npgettext"):
                context, text = message[0], message[1]
                chinese = translation.pgettext(context, text)
            else:
                text = message[0] if isinstance(message, tuple) else message
                if not text:
                    continue
                chinese = translation.gettext(text)
            if not HAN.search(chinese) and any(ch.isalpha() for ch in text):
                missing.append(f"{path}: {function}({message!r})")
    assert not missing, "labels without their Chinese:\n" + "\n".join(missing)

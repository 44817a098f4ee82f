"""Make a fresh catalogue's header usable: drop the fuzzy flag, UTF-8, the language and its plural rule."""

import sys
from pathlib import Path

for path in sys.argv[1:]:
    text = Path(path).read_text(encoding="utf-8")
    lang = "zh_Hans" if "/zh_Hans/" in path else "en"
    text = text.replace('#, fuzzy\nmsgid ""\nmsgstr ""', 'msgid ""\nmsgstr ""', 1)
    text = text.replace("charset=CHARSET", "charset=UTF-8")
    text = text.replace('"Language: \\n"', f'"Language: {lang}\\n"')
    if lang == "zh_Hans":
        text = text.replace(
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"'
        )
    Path(path).write_text(text, encoding="utf-8")

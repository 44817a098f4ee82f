#!/usr/bin/env bash
# Rebuild every translation catalogue (needs GNU gettext): apps with their own locale/ get their
# own catalogue; everything else (shell, core, org, api, timeline, workflow) is in kefu/locale.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PYTHONPATH="$root" DJANGO_SETTINGS_MODULE=kefu.settings
admin="$root/.venv/bin/django-admin"
own=()
for dir in kefu/*/; do
  app=$(basename "$dir")
  [ -d "$dir/locale" ] && [ "$app" != "locale" ] || continue
  own+=("--ignore=$app/*")
  (cd "$dir" && "$admin" makemessages -l zh_Hans -l en --no-obsolete >/dev/null)
done
(cd kefu && "$admin" makemessages -l zh_Hans -l en --no-obsolete "${own[@]}" --ignore='static/*' >/dev/null)
.venv/bin/python scripts/po_header.py kefu/locale/*/LC_MESSAGES/django.po kefu/*/locale/*/LC_MESSAGES/django.po
.venv/bin/python manage.py compilemessages -v0
echo "Untranslated zh_Hans entries:"
grep -c -A0 'msgstr ""$' kefu/locale/zh_Hans/LC_MESSAGES/django.po kefu/*/locale/zh_Hans/LC_MESSAGES/django.po || true

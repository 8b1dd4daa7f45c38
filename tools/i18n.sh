#!/usr/bin/env bash
# Keep the catalogue's interface catalogs in step with the code:
#   tools/i18n.sh        extract every _() / gettext string and update kk, ru, en .po files
# Then translate the new or changed (fuzzy) entries in catalogue/translations/*/LC_MESSAGES/
# messages.po; tests/catalogue/test_translations.py fails while any entry is missing or fuzzy.
# The English catalog is filled with the English text itself.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
POT=catalogue/translations/messages.pot
$PYBABEL -q extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output \
  --project Sandyq --copyright-holder "Sandyq" -o "$POT" .
for locale in kk ru en; do
  if [ -f "catalogue/translations/$locale/LC_MESSAGES/messages.po" ]; then
    $PYBABEL -q update -i "$POT" -d catalogue/translations -l "$locale" --no-wrap --ignore-obsolete
  else
    $PYBABEL -q init -i "$POT" -d catalogue/translations -l "$locale" --no-wrap
  fi
done
.venv/bin/python - <<'PY'
from pathlib import Path
from babel.messages.pofile import read_po, write_po
path = Path("catalogue/translations/en/LC_MESSAGES/messages.po")
catalog = read_po(path.open("rb"), locale="en")
for message in catalog:
    if not message.id:
        continue
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if message.fuzzy or not all(strings):
        message.string = message.id  # a plural's (singular, plural) pair, or the text
        message.flags.discard("fuzzy")
with path.open("wb") as target:
    write_po(target, catalog, width=0, omit_header=False, include_previous=False)
PY

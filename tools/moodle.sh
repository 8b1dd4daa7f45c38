#!/usr/bin/env bash
# A private Moodle 4.4 for the tests (see tools/moodle_site.py):
#   tools/moodle.sh start    install if needed, (re)install the plugins, serve; prints the site as JSON
#   tools/moodle.sh stop | status | reset
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python tools/moodle_site.py "$@"

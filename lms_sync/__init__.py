"""Pushes the catalogue's published packages into Moodle.

Runs on a Moodle administrator's machine: it talks to the catalogue over HTTP only (never
importing it) and to Moodle through its web services plus the ``local_sandyq`` plugin
whose sources live in ``lms_sync/moodle_plugins/``.
"""

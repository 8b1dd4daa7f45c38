"""The offline library: the catalogue's published lessons on a USB stick, a DVD or a school
computer, played from ``file://`` with no server (``docs/offline-library.md``).

``shelf`` describes what a library holds (pure), ``library`` writes and reads the folder,
``images`` packs it as one ``.zip`` or a DVD ``.iso``, ``export`` reads the catalogue the
way the Moodle sync does and puts it all together, and ``cli`` is ``sandyq offline``. The
page itself is ``assets/`` (HTML, CSS and a script; no build step).
"""

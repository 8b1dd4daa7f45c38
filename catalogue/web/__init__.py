"""The catalogue in the browser: server-rendered pages, a package per audience.

Each room is whoever the pages are for, so a change for one audience stays in one folder:
``public`` (anyone: home, search, a resource's page and its "How it is used" section),
``teacher`` (authors: build, upload, follow one's resources), ``council`` (reviewers:
their assignments and the rubric), ``chair`` (the council chair: the desk, a resource's
file, and the statistics page the chair shares with administrators) and ``admin`` (people,
roles, API tokens). ``common`` holds what several audiences share: ``security`` (CSRF,
cookies, headers, sign-in throttling), ``pages`` (access guards, service errors in the
visitor's language), ``labels``, ``charts``, and the pages of no one audience: ``account``
(signing in, one's own account), ``jobs`` (a background job's progress) and ``preview``
(a package played for its authors, the council and, once published, anyone).

The audience packages import ``common`` and never each other (the ``web-rooms`` contract in
``pyproject.toml``); ``catalogue.blueprints`` lists each blueprint by its module.
"""

"""The catalogue's use cases. Each service function takes the acting ``Principal``, does its
work in one transaction and raises ``catalogue.errors`` types; views only parse and render.

``review/`` is the expert council's review, one module per concern, its public API in
its ``__init__``; ``resources/`` is resources and their versions, likewise. ``audit`` is
the audit log's one writer, which both of them use.
"""

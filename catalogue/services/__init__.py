"""The catalogue's use cases. Each service function takes the acting ``Principal``, does its
work in one transaction and raises ``catalogue.errors`` types; views only parse and render.

``review`` is the expert council's review (its helpers live in ``review_*`` modules).
"""

"""What several audiences' pages share: guards and errors (``pages``), browser safety
(``security``), the vocabulary's words (``labels``), SVG charts (``charts``), and the pages
that belong to no one audience (``account``, ``jobs``, ``preview``)."""

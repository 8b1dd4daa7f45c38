"""The council chair's pages: the desk and a resource's file (``views``, reading through
``data``), and the statistics page the chair shares with administrators (``statistics``,
its own blueprint)."""

"""The administrator's pages (``views``): people and their roles, and API tokens."""

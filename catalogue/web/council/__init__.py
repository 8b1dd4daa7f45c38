"""The council member's pages (``views``) and the rubric as an HTML form (``rubric``)."""

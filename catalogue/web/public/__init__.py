"""What anyone can open (``views``: home, search, a resource's page) and the resource page's
"How it is used" section, shown to its authors and the council only (``usage``)."""

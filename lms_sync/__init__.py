"""Pushes the catalogue's approved packages into Moodle (talks to the catalogue over HTTP only)."""

"""Helpers of the tests that are packages of their own (the fake Moodle)."""

"""Sandyq's SCORM builder: teachers' material in, SCORM 1.2 / 2004 packages out, and a validator."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sandyq")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

"""The SCORM package validator (being written)."""

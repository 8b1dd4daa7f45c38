"""The hostile corpus (issue #15): inputs made at test time, run through every surface."""

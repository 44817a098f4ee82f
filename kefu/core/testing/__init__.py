"""Test helpers shared by every app: org factories, scope probes and query counting."""

"""Event assembly and normalization: spans become EVENTS.md records."""

"""Scoring: seqeval span scores, event scores, cross-validation and reports."""

"""wording stage."""

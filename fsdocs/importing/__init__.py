"""importing stage."""

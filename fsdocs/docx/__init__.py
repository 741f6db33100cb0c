"""docx stage."""

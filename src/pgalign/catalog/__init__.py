"""The schema model and the inspector that reads it from a database."""

"""Follow-up pages."""

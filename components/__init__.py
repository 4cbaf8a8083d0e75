"""Small UI pieces composed by the pages."""

"""The read API at /api/v1/: JSON, versioned, one router module per resource family (assembled in `site.py`)."""

"""Limits of the text pipeline that a deployment may change; settings.py reads its defaults from here.

A module of its own, with no imports, so that settings.py can read it without loading the pipeline.
"""

# A larger article file is refused with a clear message rather than read into memory (AIDMAP_MAX_FILE_BYTES).
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024

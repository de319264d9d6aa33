"""Collecting articles from the web, without Django: polite fetching (fetch, robots, store), page metadata,
web archives (warc) and feeds (feeds). The import (articles/importer.py) turns what they give into sources."""

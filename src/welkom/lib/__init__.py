"""Shared plumbing that imports no Welkom app: bulk writes, files, dates, exports, API helpers."""

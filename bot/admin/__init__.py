"""The NGO workspace: accounts, four-eyes publishing, translation care, inbox, bulk import and export."""

ROLES = ("editor", "reviewer", "admin")
"""Editors draft; reviewers (and admins) approve others' drafts; admins also manage accounts and vetting."""

REVIEW_ROLES = ("reviewer", "admin")

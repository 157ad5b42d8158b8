"""The NGO workspace: accounts, four-eyes publishing, translation care, inbox, bulk import and export."""

from bot.content.models import Role

ROLES = tuple(role.value for role in Role)
"""Editors draft; reviewers (and admins) approve others' drafts; admins also manage accounts and vetting."""

REVIEW_ROLES = (Role.REVIEWER.value, Role.ADMIN.value)

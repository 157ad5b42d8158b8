"""The NGO workspace: accounts, four-eyes publishing, translation care, inbox, bulk import and export, live desk."""

from bot.content.models import Role

ROLES = tuple(role.value for role in Role)
"""Editors draft; reviewers (and admins) approve others' drafts; admins also manage accounts and vetting;
consultants answer people the bot hands over (bot/handoff), and see nothing else."""

CONTENT_ROLES = (Role.EDITOR.value, Role.REVIEWER.value, Role.ADMIN.value)
"""Who may read and draft what the bot says: every page but the live desk's."""

REVIEW_ROLES = (Role.REVIEWER.value, Role.ADMIN.value)

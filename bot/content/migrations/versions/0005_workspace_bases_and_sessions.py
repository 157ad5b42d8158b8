"""Drafts remember what they were written on; translations, the Russian they follow; accounts, a session version

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 09:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('answer_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_number', sa.Integer(), nullable=True))
    with op.batch_alter_table('organisation_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base_number', sa.Integer(), nullable=True))
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    # Waiting drafts were written on the newest revision served before them: the best that is known.
    op.execute(
        "UPDATE answer_revisions SET base_number = (SELECT max(r.number) FROM answer_revisions r "
        "WHERE r.answer_id = answer_revisions.answer_id AND r.status IN ('published', 'retired') "
        "AND r.number < answer_revisions.number) WHERE status = 'draft'")
    op.execute(
        "UPDATE organisation_revisions SET base_number = (SELECT max(r.number) FROM organisation_revisions r "
        "WHERE r.organisation_id = organisation_revisions.organisation_id AND r.status = 'published' "
        "AND r.number < organisation_revisions.number) WHERE status = 'draft'")


def downgrade() -> None:
    # Withdrawn and superseded drafts did not exist before: they read as rejected ones.
    op.execute("UPDATE answer_revisions SET status = 'rejected' WHERE status IN ('withdrawn', 'superseded')")
    op.execute("UPDATE organisation_revisions SET status = 'rejected' WHERE status IN ('withdrawn', 'superseded')")
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
    with op.batch_alter_table('organisation_revisions', schema=None) as batch_op:
        batch_op.drop_column('base_number')
    with op.batch_alter_table('answer_revisions', schema=None) as batch_op:
        batch_op.drop_column('source_number')
        batch_op.drop_column('base_number')

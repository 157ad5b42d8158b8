"""NGO workspace: accounts, audit log, review of drafts, translation care, inbox triage

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'admin_users',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=80), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_login_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('username'),
    )
    op.create_table(
        'audit_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('action', sa.String(length=64), nullable=False),
        sa.Column('target', sa.String(length=200), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_update', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('answer_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('organisation_revisions', schema=None) as batch_op:
        # Every revision before the workspace was loaded from the seed, hence published.
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='published'))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('unanswered_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('covered_topic', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('covered_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('covered_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('unanswered_questions', schema=None) as batch_op:
        batch_op.drop_column('covered_at')
        batch_op.drop_column('covered_by')
        batch_op.drop_column('covered_topic')
    with op.batch_alter_table('organisation_revisions', schema=None) as batch_op:
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('status')
    with op.batch_alter_table('answer_revisions', schema=None) as batch_op:
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('needs_update')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
    op.drop_table('audit_events')
    op.drop_table('admin_users')

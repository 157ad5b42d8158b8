"""Failed workspace sign-ins in the database, so the limit holds across processes and restarts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'login_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address_key', sa.String(length=64), nullable=False),
        sa.Column('user_key', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_address', ['address_key', 'at'], unique=False)
        batch_op.create_index('ix_login_failures_user', ['user_key', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_user')
        batch_op.drop_index('ix_login_failures_address')
    op.drop_table('login_failures')

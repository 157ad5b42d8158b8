"""Live handoff: organisations' desk hours and operators' group, consultants' organisation and languages

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 19:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desk_hours', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('desk_timezone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('operators_chat_id', sa.String(length=32), nullable=True))
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('telegram_user_id', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key('fk_admin_users_organisation', 'organisations', ['organisation_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    op.execute("UPDATE admin_users SET active = false, role = 'editor' WHERE role = 'consultant'")
    with op.batch_alter_table('admin_users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_admin_users_organisation', type_='foreignkey')
        batch_op.drop_column('telegram_user_id')
        batch_op.drop_column('languages')
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('operators_chat_id')
        batch_op.drop_column('desk_timezone')
        batch_op.drop_column('desk_hours')

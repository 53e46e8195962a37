"""Related news: the term index, the term document counts, and a lookup of lists by related post.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_post_related_related_post_id", "post_related", ["related_post_id"], unique=False)
    op.create_table(
        "related_terms",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_related_terms_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "term", name=op.f("pk_related_terms")),
    )
    op.create_index(
        "ix_related_terms_term_post_id", "related_terms", ["term", "post_id", "weight"], unique=False
    )
    op.create_table(
        "related_vocabulary",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("document_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_related_vocabulary")),
    )


def downgrade() -> None:
    op.drop_table("related_vocabulary")
    op.drop_index("ix_related_terms_term_post_id", table_name="related_terms")
    op.drop_table("related_terms")
    op.drop_index("ix_post_related_related_post_id", table_name="post_related")

"""Initial schema: content tables, their lookup indexes and full-text search.

Full-text search differs per database: an FTS5 external-content table kept in step by triggers on
SQLite; a generated, weighted `tsvector` column with a GIN index on PostgreSQL. Titles weigh most,
then summaries, then bodies.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('animated', sa.Boolean(), nullable=False),
    sa.Column('frame_count', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('loop_count', sa.Integer(), nullable=True),
    sa.Column('flash_verdict', sa.String(length=20), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_images')),
    sa.UniqueConstraint('path', name=op.f('uq_images_path'))
    )
    op.create_table('site_state',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_site_state'))
    )
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_tags_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_tags_slug'))
    )
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('pronouns', sa.String(length=100), nullable=True),
    sa.Column('show_pronouns', sa.Boolean(), nullable=False),
    sa.Column('role', sa.String(length=300), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('avatar_image_id', sa.Integer(), nullable=True),
    sa.Column('avatar_alt', sa.Text(), nullable=True),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['avatar_image_id'], ['images.id'], name=op.f('fk_people_avatar_image_id_images'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('slug', name=op.f('uq_people_slug'))
    )
    op.create_index('ix_people_name_id', 'people', ['name', 'id'], unique=False)
    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('body_format', sa.String(length=20), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lang', sa.String(length=35), nullable=True),
    sa.Column('reading_time_minutes', sa.Integer(), nullable=False),
    sa.Column('feature_image_id', sa.Integer(), nullable=True),
    sa.Column('feature_image_alt', sa.Text(), nullable=True),
    sa.Column('feature_image_caption', sa.Text(), nullable=True),
    sa.Column('pinned_related', sa.JSON(), nullable=False),
    sa.Column('source_path', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['feature_image_id'], ['images.id'], name=op.f('fk_posts_feature_image_id_images'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts')),
    sa.UniqueConstraint('slug', name=op.f('uq_posts_slug'))
    )
    op.create_index('ix_posts_status_published_at_id', 'posts', ['status', 'published_at', 'id'], unique=False)
    op.create_table('post_authors',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_post_authors_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_authors_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'person_id', name=op.f('pk_post_authors'))
    )
    op.create_index('ix_post_authors_person_id_post_id', 'post_authors', ['person_id', 'post_id'], unique=False)
    op.create_table('post_people',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_post_people_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_people_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'person_id', name=op.f('pk_post_people'))
    )
    op.create_index('ix_post_people_person_id_post_id', 'post_people', ['person_id', 'post_id'], unique=False)
    op.create_table('post_related',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('related_post_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_related_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['related_post_id'], ['posts.id'], name=op.f('fk_post_related_related_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'related_post_id', name=op.f('pk_post_related'))
    )
    op.create_index('ix_post_related_post_id_rank', 'post_related', ['post_id', 'rank'], unique=False)
    op.create_table('post_tags',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_tags_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_post_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'tag_id', name=op.f('pk_post_tags'))
    )
    op.create_index('ix_post_tags_tag_id_post_id', 'post_tags', ['tag_id', 'post_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        _create_postgres_search()
    else:
        _create_sqlite_search()


def _create_postgres_search() -> None:
    op.execute(
        """
        ALTER TABLE posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'C')
        ) STORED
        """
    )
    op.execute('CREATE INDEX ix_posts_search_vector ON posts USING gin (search_vector)')


def _create_sqlite_search() -> None:
    op.execute(
        """
        CREATE VIRTUAL TABLE posts_fts USING fts5(
            title, summary, body_text,
            content='posts', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        )
        """
    )
    op.execute(
        """
        CREATE TRIGGER posts_fts_after_insert AFTER INSERT ON posts BEGIN
            INSERT INTO posts_fts (rowid, title, summary, body_text)
            VALUES (new.id, new.title, coalesce(new.summary, ''), new.body_text);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER posts_fts_after_delete AFTER DELETE ON posts BEGIN
            INSERT INTO posts_fts (posts_fts, rowid, title, summary, body_text)
            VALUES ('delete', old.id, old.title, coalesce(old.summary, ''), old.body_text);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER posts_fts_after_update AFTER UPDATE OF title, summary, body_text ON posts BEGIN
            INSERT INTO posts_fts (posts_fts, rowid, title, summary, body_text)
            VALUES ('delete', old.id, old.title, coalesce(old.summary, ''), old.body_text);
            INSERT INTO posts_fts (rowid, title, summary, body_text)
            VALUES (new.id, new.title, coalesce(new.summary, ''), new.body_text);
        END
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX ix_posts_search_vector')
    else:
        for trigger in ('posts_fts_after_insert', 'posts_fts_after_delete', 'posts_fts_after_update'):
            op.execute(f'DROP TRIGGER {trigger}')
        op.execute('DROP TABLE posts_fts')
    op.drop_index('ix_post_tags_tag_id_post_id', table_name='post_tags')
    op.drop_table('post_tags')
    op.drop_index('ix_post_related_post_id_rank', table_name='post_related')
    op.drop_table('post_related')
    op.drop_index('ix_post_people_person_id_post_id', table_name='post_people')
    op.drop_table('post_people')
    op.drop_index('ix_post_authors_person_id_post_id', table_name='post_authors')
    op.drop_table('post_authors')
    op.drop_index('ix_posts_status_published_at_id', table_name='posts')
    op.drop_table('posts')
    op.drop_index('ix_people_name_id', table_name='people')
    op.drop_table('people')
    op.drop_table('tags')
    op.drop_table('site_state')
    op.drop_table('images')

"""The store's tables, shared by SQLite and PostgreSQL.

One `MetaData`, plain `Table` objects: the schema layer never sees ORM objects, and queries return
rows or small dataclasses. Every lookup the API makes has an index here (the comments say which).
Full-text search lives beside these tables (`search.py`) because its shape differs per database.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from content_api.store.coltypes import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# Post status values. Only PUBLISHED is ever visible to an anonymous client.
DRAFT = "draft"
PUBLISHED = "published"
SCHEDULED = "scheduled"
POST_STATUSES = (DRAFT, PUBLISHED, SCHEDULED)

images = Table(
    "images",
    metadata,
    Column("id", Integer, primary_key=True),
    # Path inside the content folder, without a leading slash: "images/team.png". Unique: lookup by path.
    Column("path", String(500), nullable=False, unique=True),
    Column("sha256", String(64), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("format", String(20), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("animated", Boolean, nullable=False, default=False),
    Column("frame_count", Integer, nullable=False, default=1),
    # Total play time of one loop in milliseconds (None when still); loop count 0 means endless.
    Column("duration_ms", Integer, nullable=True),
    Column("loop_count", Integer, nullable=True),
    # "pass", "fail" or None when not analysed (still images pass trivially).
    Column("flash_verdict", String(20), nullable=True),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(200), nullable=False, unique=True),  # person(slug)
    Column("name", String(300), nullable=False),
    Column("pronouns", String(100), nullable=True),
    # The person's consent to display their pronouns. Pronouns never leave the store without it.
    Column("show_pronouns", Boolean, nullable=False, default=False),
    Column("role", String(300), nullable=True),
    Column("bio", Text, nullable=True),
    Column("avatar_image_id", Integer, ForeignKey("images.id", ondelete="SET NULL"), nullable=True),
    Column("avatar_alt", Text, nullable=True),
    Column("aliases", JSON, nullable=False, default=list),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_people_name_id", "name", "id"),  # people(first, after) ordered by name
)

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(200), nullable=False, unique=True),  # tag filter by slug
    Column("name", String(200), nullable=False, unique=True),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(200), nullable=False, unique=True),  # post(slug)
    Column("title", String(500), nullable=False),
    Column("summary", Text, nullable=True),
    # What the editor wrote ("markdown" or "html") and the sanitised HTML served to clients.
    Column("body_format", String(20), nullable=False),
    Column("body_source", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    # Plain text of the body, for search, reading time and related news.
    Column("body_text", Text, nullable=False),
    Column("status", String(20), nullable=False, default=DRAFT),
    Column("published_at", UtcDateTime(), nullable=True),
    Column("scheduled_at", UtcDateTime(), nullable=True),
    Column("lang", String(35), nullable=True),
    Column("reading_time_minutes", Integer, nullable=False, default=1),
    Column("feature_image_id", Integer, ForeignKey("images.id", ondelete="SET NULL"), nullable=True),
    Column("feature_image_alt", Text, nullable=True),
    Column("feature_image_caption", Text, nullable=True),
    # Slugs the editor pinned as related news, in order.
    Column("pinned_related", JSON, nullable=False, default=list),
    # Path of the file the post came from, relative to the content folder ("posts/a.md").
    Column("source_path", String(500), nullable=True),
    # Optimistic concurrency: bumped on every write.
    Column("version", Integer, nullable=False, default=1),
    Column("deleted_at", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # posts(order: PUBLISHED_DESC|ASC) over the public set, keyset-paginated on (published_at, id).
    Index("ix_posts_status_published_at_id", "status", "published_at", "id"),
)

post_authors = Table(
    "post_authors",
    metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_post_authors_person_id_post_id", "person_id", "post_id"),  # posts by author, Person.posts
)

# People a post is about or quotes (found in the text or listed in front matter), authors excluded.
post_people = Table(
    "post_people",
    metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_post_people_person_id_post_id", "person_id", "post_id"),  # posts filtered by person
)

post_tags = Table(
    "post_tags",
    metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_post_tags_tag_id_post_id", "tag_id", "post_id"),  # posts by tag, Tag.posts
)

# One row per (post, related post), recomputed when content changes; served by one indexed lookup.
post_related = Table(
    "post_related",
    metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("related_post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("score", Integer, nullable=False, default=0),
    Column("pinned", Boolean, nullable=False, default=False),
    Column("reason", JSON, nullable=False, default=dict),
    Index("ix_post_related_post_id_rank", "post_id", "rank"),
    # Which lists hold a post: the lists to revisit when that post changes or is unpublished.
    Index("ix_post_related_related_post_id", "related_post_id"),
)

# Related news' inverted index: the top terms of each published post with their TF-IDF weights
# (unit length per post). Candidates for a post are the posts sharing its terms, found by term.
related_terms = Table(
    "related_terms",
    metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("term", String(64), primary_key=True),
    Column("weight", Float, nullable=False),
    Index("ix_related_terms_term_post_id", "term", "post_id", "weight"),  # posting list of a term
)

# How many published posts use each term (terms used by at least two), as of the last full
# recompute of related news: the IDF of a changed post's terms without re-reading the corpus.
related_vocabulary = Table(
    "related_vocabulary",
    metadata,
    Column("term", String(64), primary_key=True),
    Column("document_count", Integer, nullable=False),
)

# Key/value facts about the store itself. "content_version" is bumped on every content change and
# keys response caches.
site_state = Table(
    "site_state",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# ---------------------------------------------------------------------------------------------------
# Editing and publishing

# API keys: only a SHA-256 of the secret part is kept. A token is "cak_<prefix>_<secret>"; the prefix
# finds the row, the hash is compared in constant time.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("prefix", String(32), nullable=False, unique=True),  # lookup by token prefix
    Column("secret_hash", String(64), nullable=False),
    Column("scopes", JSON, nullable=False, default=list),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
)

# Every audit the publishing gate ran on a post; `Post.audit` shows the latest.
audit_reports = Table(
    "audit_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("post_version", Integer, nullable=False),
    # What ran it: "publish", "schedule", "import" or "audit".
    Column("trigger", String(20), nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("infos", Integer, nullable=False),
    Column("report", JSON, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_audit_reports_post_id_id", "post_id", "id"),  # latest report of a post
)

# Receivers told about publish, update and unpublish events.
webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(2000), nullable=False),
    # Shared secret of the HMAC-SHA256 signature; kept as given because signing needs it.
    Column("secret", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

# The outbox and delivery log: one row per (event, endpoint), written in the transaction that made the
# change and sent afterwards by a background worker, with retries.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("endpoint_id", Integer, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    Column("event", String(50), nullable=False),
    Column("payload", Text, nullable=False),
    # "pending" (waiting or retrying), "delivered" or "failed" (retries used up).
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    # A worker that picked the delivery up holds it until then; another may take it afterwards.
    Column("claimed_until", UtcDateTime(), nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("delivered_at", UtcDateTime(), nullable=True),
    Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),  # due deliveries
)

"""Related news in the store: never the post itself, never a draft, pinned first, stable, incremental.

The site is small and fully known: three clear topics, a draft about one of them, a tag on most posts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine, insert, select, update

from content_api.services.related import RefreshSummary, refresh_related
from content_api.services.related_loading import MAX_RELATED, STORED_DEPTH, load_corpus
from content_api.services.related_scoring import rank
from content_api.store import related as store
from content_api.store.db import write_engine
from content_api.store.queries import PUBLIC
from content_api.store.related import related_posts
from content_api.store.tables import (
    DRAFT,
    PUBLISHED,
    people,
    post_authors,
    post_people,
    post_related,
    post_tags,
    posts,
    tags,
)

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

FOOD = (
    "Food bank parcels for winter",
    "The food bank packed two hundred parcels of tins, pasta and fresh vegetables for families this winter.",
    "Volunteers at the food bank sorted donations from the supermarket collection and stocked the pantry "
    "shelves. Every parcel now includes fresh vegetables, tins of soup and breakfast cereal. Families "
    "referred by the health centre collect their parcel on Tuesday mornings from the food bank.",
)
FOOD_2 = (
    "Supermarket donations fill the pantry",
    "A supermarket collection filled the food bank pantry with tins and cereal.",
    "Shoppers donated tins, pasta, cereal and nappies at the supermarket collection point. Food bank "
    "volunteers sorted the donations into parcels and stocked the pantry shelves for the month ahead.",
)
FOOD_3 = (
    "Community fridge shares surplus food",
    "The new community fridge shares surplus food from local shops with anyone who needs it.",
    "Surplus bread, vegetables and dairy from local shops now go into the community fridge beside the "
    "food bank pantry instead of landfill. Volunteers check the fridge twice a day.",
)
GARDEN = (
    "Seed swap at the allotments",
    "Growers swapped seeds and seedlings at the allotment open day.",
    "The allotment society held its spring seed swap in the polytunnel. Growers shared tomato seedlings, "
    "bean seeds and advice on compost, watering and pruning the orchard trees beside the plots.",
)
GARDEN_2 = (
    "Allotment harvest festival",
    "Plot holders showed off their harvest of tomatoes, beans and apples.",
    "The harvest festival at the allotments filled the polytunnel with tomatoes, runner beans, onions "
    "and apples from the orchard. Growers talked compost and seeds over tea beside the plots.",
)
GARDEN_3 = (
    "Bees arrive at the allotment orchard",
    "Two beehives now stand in the allotment orchard.",
    "The allotment society welcomed two beehives to the orchard. The bees will pollinate the apple trees "
    "and the bean flowers on the plots, and growers hope for honey after next summer's harvest.",
)
REPAIR = (
    "Repair café fixes its 500th toaster",
    "Volunteers at the repair café mended their 500th appliance: a toaster.",
    "The repair café volunteers have now fixed five hundred broken appliances, from toasters and lamps "
    "to bicycles and sewing machines. Soldering irons and screwdrivers kept them out of landfill.",
)
REPAIR_2 = (
    "Bicycle repair evenings",
    "The repair café starts bicycle repair evenings with spare parts and tools.",
    "Bring a broken bicycle to the repair café: volunteers fix punctures, brakes and gears with spare "
    "parts and show you how to do it yourself with a screwdriver and a spanner.",
)


@dataclass
class RelatedSite:
    engine: Engine
    posts: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    _day: int = 0

    def person(self, conn: Connection, slug: str, name: str) -> int:
        now = datetime.now(UTC)
        key = conn.execute(
            insert(people).values(
                slug=slug, name=name, show_pronouns=False, aliases=[], created_at=now, updated_at=now
            )
        ).inserted_primary_key
        assert key is not None
        self.people[slug] = int(key[0])
        return self.people[slug]

    def tag(self, conn: Connection, name: str) -> int:
        if name not in self.tags:
            key = conn.execute(insert(tags).values(slug=name.lower().replace(" ", "-"), name=name))
            assert key.inserted_primary_key is not None
            self.tags[name] = int(key.inserted_primary_key[0])
        return self.tags[name]

    def post(
        self,
        conn: Connection,
        slug: str,
        text: tuple[str, str, str],
        *,
        tags: Sequence[str] = (),
        authors: Sequence[str] = (),
        mentioned: Sequence[str] = (),
        status: str = PUBLISHED,
        published_at: datetime | None = None,
        pinned: Sequence[str] = (),
    ) -> int:
        title, summary, body = text
        self._day += 1
        now = datetime.now(UTC)
        key = conn.execute(
            insert(posts).values(
                slug=slug,
                title=title,
                summary=summary,
                body_format="markdown",
                body_source=body,
                body_html=f"<p>{body}</p>",
                body_text=body,
                status=status,
                published_at=published_at or START + timedelta(days=self._day),
                reading_time_minutes=1,
                pinned_related=list(pinned),
                version=1,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key
        assert key is not None
        post_id = int(key[0])
        self.posts[slug] = post_id
        for position, name in enumerate(tags):
            conn.execute(
                insert(post_tags).values(post_id=post_id, tag_id=self.tag(conn, name), position=position)
            )
        for position, person in enumerate(authors):
            conn.execute(
                insert(post_authors).values(post_id=post_id, person_id=self.people[person], position=position)
            )
        for position, person in enumerate(mentioned):
            conn.execute(
                insert(post_people).values(post_id=post_id, person_id=self.people[person], position=position)
            )
        return post_id

    def set_status(self, conn: Connection, slug: str, status: str) -> None:
        conn.execute(update(posts).where(posts.c.id == self.posts[slug]).values(status=status))


def build_related_site(engine: Engine) -> RelatedSite:
    """Three topics (food bank, allotments, repair café), a draft about the food bank, one common tag."""
    site = RelatedSite(engine)
    with write_engine(engine).begin() as conn:
        site.person(conn, "dev-patel", "Dev Patel")
        site.person(conn, "tomasz-nowak", "Tomasz Nowak")
        site.person(conn, "ann-editor", "Ann Editor")
        common = "News"
        site.post(
            conn,
            "food-parcels",
            FOOD,
            tags=["Food bank", common],
            authors=["ann-editor"],
            mentioned=["dev-patel"],
        )
        site.post(conn, "food-donations", FOOD_2, tags=["Food bank", common], authors=["ann-editor"])
        site.post(conn, "food-fridge", FOOD_3, tags=[common], authors=["ann-editor"], mentioned=["dev-patel"])
        site.post(conn, "seed-swap", GARDEN, tags=["Allotments", common], authors=["ann-editor"])
        site.post(conn, "harvest", GARDEN_2, tags=["Allotments", common], mentioned=["tomasz-nowak"])
        site.post(conn, "bees", GARDEN_3, tags=[common], authors=["ann-editor"], mentioned=["tomasz-nowak"])
        site.post(conn, "toaster", REPAIR, tags=["Repair café", common], authors=["ann-editor"])
        site.post(conn, "bicycles", REPAIR_2, tags=["Repair café"], authors=["ann-editor"])
        site.post(
            conn,
            "food-draft",
            ("Food bank parcels and pantry tins", FOOD[1], FOOD[2]),
            tags=["Food bank", common],
            status=DRAFT,
        )
    return site


def stored_lists(engine: Engine) -> dict[str, list[str]]:
    """Every stored related list, as slugs in rank order."""
    source = posts.alias("source")
    target = posts.alias("target")
    query = (
        select(source.c.slug, target.c.slug)
        .select_from(post_related)
        .join(source, source.c.id == post_related.c.post_id)
        .join(target, target.c.id == post_related.c.related_post_id)
        .order_by(source.c.slug, post_related.c.rank)
    )
    lists: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for slug, related in conn.execute(query):
            lists.setdefault(slug, []).append(related)
    return lists


def refresh(engine: Engine, changed: Sequence[int] | None = None) -> RefreshSummary:
    with write_engine(engine).begin() as conn:
        return refresh_related(conn, changed)


def stored_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        query = select(post_related).order_by(post_related.c.post_id, post_related.c.rank)
        return [tuple(row) for row in conn.execute(query)]


@pytest.fixture
def site(engine: Engine) -> RelatedSite:
    built = build_related_site(engine)
    refresh(engine)
    return built


TOPICS = {
    "food-parcels": "food",
    "food-donations": "food",
    "food-fridge": "food",
    "seed-swap": "garden",
    "harvest": "garden",
    "bees": "garden",
    "toaster": "repair",
    "bicycles": "repair",
}


def test_every_published_post_gets_its_own_topic_first_never_itself_never_a_draft(site: RelatedSite) -> None:
    lists = stored_lists(site.engine)
    assert set(lists) == set(TOPICS)  # a list for every published post, none for the draft
    for slug, related in lists.items():
        assert slug not in related
        assert "food-draft" not in related
        assert len(related) == len(set(related))
        # The best related post is always from the same topic, tagged or not.
        assert TOPICS[related[0]] == TOPICS[slug], (slug, related)
    # An untagged post still finds its topic through its text.
    assert set(lists["food-fridge"][:2]) == {"food-parcels", "food-donations"}
    assert set(lists["bees"][:2]) == {"seed-swap", "harvest"}


def test_a_tag_on_most_posts_counts_for_almost_nothing(site: RelatedSite) -> None:
    with site.engine.connect() as conn:
        entries = related_posts(conn, PUBLIC, [site.posts["toaster"]], 10)[site.posts["toaster"]]
    first = entries[0]
    assert first.post.slug == "bicycles"  # shares the rare tag but not the common one
    assert first.reason["tags"] == ["Repair café"]
    # Posts of other topics share only the common tag with it: it is never given as a reason.
    for entry in entries:
        assert "News" not in entry.reason["tags"]


def test_reasons_name_shared_tags_people_and_terms(site: RelatedSite) -> None:
    with site.engine.connect() as conn:
        entries = related_posts(conn, PUBLIC, [site.posts["food-parcels"]], 3)[site.posts["food-parcels"]]
    by_slug = {entry.post.slug: entry for entry in entries}
    fridge = by_slug["food-fridge"]
    assert "Dev Patel" in fridge.reason["people"]
    assert fridge.reason["tags"] == []  # untagged
    donations = by_slug["food-donations"]
    assert donations.reason["tags"] == ["Food bank"]
    assert {"pantry", "parcel", "tin"} & set(donations.reason["terms"])
    assert all(entry.score > 0 and not entry.pinned for entry in entries)
    assert [entry.rank for entry in entries] == [0, 1, 2]


def test_pinned_posts_come_first_in_the_editors_order(engine: Engine) -> None:
    site = build_related_site(engine)
    with write_engine(engine).begin() as conn:
        conn.execute(
            update(posts)
            .where(posts.c.id == site.posts["food-parcels"])
            .values(pinned_related=["bicycles", "food-draft", "no-such-post", "food-parcels", "bees"])
        )
    refresh(engine)
    lists = stored_lists(engine)
    # The draft, an unknown slug and the post itself are dropped; the rest keep the editor's order.
    assert lists["food-parcels"][:2] == ["bicycles", "bees"]
    assert lists["food-parcels"][2] in {"food-donations", "food-fridge"}
    with engine.connect() as conn:
        entries = related_posts(conn, PUBLIC, [site.posts["food-parcels"]], 3)[site.posts["food-parcels"]]
    assert [entry.pinned for entry in entries] == [True, True, False]


def test_an_unpublished_pinned_post_drops_out_and_comes_back(engine: Engine) -> None:
    site = build_related_site(engine)
    with write_engine(engine).begin() as conn:
        conn.execute(
            update(posts).where(posts.c.id == site.posts["food-parcels"]).values(pinned_related=["bicycles"])
        )
    refresh(engine)
    assert stored_lists(engine)["food-parcels"][0] == "bicycles"

    with write_engine(engine).begin() as conn:
        site.set_status(conn, "bicycles", DRAFT)
    # Before any recompute, the read query already hides it.
    with engine.connect() as conn:
        entries = related_posts(conn, PUBLIC, [site.posts["food-parcels"]], 10)[site.posts["food-parcels"]]
    assert "bicycles" not in [entry.post.slug for entry in entries]
    # The incremental refresh removes it from every stored list, and its own list goes.
    summary = refresh(engine, [site.posts["bicycles"]])
    assert not summary.full
    lists = stored_lists(engine)
    assert "bicycles" not in lists
    assert all("bicycles" not in related for related in lists.values())

    with write_engine(engine).begin() as conn:
        site.set_status(conn, "bicycles", PUBLISHED)
    refresh(engine, [site.posts["bicycles"]])
    lists = stored_lists(engine)
    assert lists["food-parcels"][0] == "bicycles"  # pinned again, first
    assert lists["toaster"][0] == "bicycles"  # and back where its text puts it
    assert lists["bicycles"][0] == "toaster"


def test_publishing_a_post_puts_it_in_the_lists_it_belongs_to(engine: Engine) -> None:
    site = build_related_site(engine)
    refresh(engine)
    before = stored_lists(engine)
    with write_engine(engine).begin() as conn:
        site.set_status(conn, "food-draft", PUBLISHED)
    summary = refresh(engine, [site.posts["food-draft"]])
    after = stored_lists(engine)
    assert summary.indexed == 1
    assert "food-draft" in after["food-parcels"][:2]
    assert "food-draft" in after["food-donations"][:3]
    assert set(after["food-draft"][:2]) <= {"food-parcels", "food-donations", "food-fridge"}
    # Lists of other topics keep their order: it can only join their tail.
    for slug in ("toaster", "bicycles", "seed-swap", "harvest"):
        others = [related for related in after[slug] if related != "food-draft"]
        assert others == before[slug][: len(others)], slug
        assert after[slug][:3] == before[slug][:3], slug


def test_the_order_is_stable_and_ties_go_to_the_newer_post_then_the_smaller_id(engine: Engine) -> None:
    site = RelatedSite(engine)
    same_day = START + timedelta(days=40)
    with write_engine(engine).begin() as conn:
        site.post(conn, "source", FOOD)
        site.post(conn, "older-twin", FOOD_2, published_at=START + timedelta(days=10))
        site.post(conn, "newer-twin", FOOD_2, published_at=START + timedelta(days=20))
        site.post(conn, "first-same-day", FOOD_3, published_at=same_day)
        site.post(conn, "second-same-day", FOOD_3, published_at=same_day)
        site.post(conn, "other", REPAIR)
    refresh(engine)
    first_rows = stored_rows(engine)
    lists = stored_lists(engine)
    source = lists["source"]
    assert source.index("newer-twin") < source.index("older-twin")
    assert source.index("first-same-day") + 1 == source.index("second-same-day")
    with engine.connect() as conn:
        scores = {
            entry.post.slug: entry.score
            for entry in related_posts(conn, PUBLIC, [site.posts["source"]], 10)[site.posts["source"]]
        }
    assert scores["first-same-day"] == scores["second-same-day"]
    refresh(engine)
    assert stored_rows(engine) == first_rows
    refresh(engine, [site.posts["source"], site.posts["other"]])
    assert stored_rows(engine) == first_rows


def test_a_deleted_post_leaves_every_list(site: RelatedSite) -> None:
    with write_engine(site.engine).begin() as conn:
        conn.execute(
            update(posts).where(posts.c.id == site.posts["harvest"]).values(deleted_at=datetime.now(UTC))
        )
    with site.engine.connect() as conn:
        served = related_posts(conn, PUBLIC, list(site.posts.values()), 10)
    assert all(entry.post.slug != "harvest" for entries in served.values() for entry in entries)
    refresh(site.engine, [site.posts["harvest"]])
    lists = stored_lists(site.engine)
    assert "harvest" not in lists
    assert all("harvest" not in related for related in lists.values())


def test_refreshing_nothing_changes_nothing(site: RelatedSite) -> None:
    before = stored_rows(site.engine)
    assert refresh(site.engine, []) == RefreshSummary(full=False, indexed=0, lists=0)
    assert stored_rows(site.engine) == before


def test_an_empty_store_refreshes_to_no_lists(engine: Engine) -> None:
    assert refresh(engine) == RefreshSummary(full=True, indexed=0, lists=0)
    assert stored_rows(engine) == []


def _sentences(*texts: tuple[str, str, str]) -> list[str]:
    return [sentence.strip() + "." for text in texts for sentence in text[2].split(".") if sentence.strip()]


def _larger_site(engine: Engine) -> RelatedSite:
    """Sixty posts in three topics: enough for every stored list to be full."""
    rng = random.Random(7)
    pools = {
        "Food bank": (FOOD, _sentences(FOOD, FOOD_2, FOOD_3)),
        "Allotments": (GARDEN, _sentences(GARDEN, GARDEN_2, GARDEN_3)),
        "Repair café": (REPAIR, _sentences(REPAIR, REPAIR_2)),
    }
    site = RelatedSite(engine)
    with write_engine(engine).begin() as conn:
        for number in range(60):
            tag = list(pools)[number % 3]
            (title, summary, _), sentences = pools[tag]
            other = pools[list(pools)[(number + 1) % 3]][1]
            body = " ".join([*rng.sample(sentences, 3), rng.choice(other)])
            # Every fourth post is untagged: the ones the test changes, so tag counts stay put.
            site.post(
                conn, f"post-{number}", (f"{title} {number}", summary, body), tags=[tag] if number % 4 else []
            )
    return site


def _check_exact_prefixes(engine: Engine) -> None:
    """Every stored list is the start of the post's ranking computed afresh from the index."""
    with engine.connect() as conn:
        texts = store.post_texts(conn)
        size = store.corpus_size(conn) or len(texts)
        newest = max(text.published_at.timestamp() for text in texts if text.published_at)
        ids = {text.id for text in texts}
        corpus = load_corpus(conn, ids, size, newest)
        stored = store.stored_lists(conn, ids)
    assert set(stored) == ids
    for post_id in ids:
        fresh = [entry.post_id for entry in rank(corpus, post_id, STORED_DEPTH)]
        kept = [entry.related_post_id for entry in stored[post_id]]
        assert all(entry.public for entry in stored[post_id])
        assert len(kept) >= min(MAX_RELATED, len(fresh)), post_id
        assert kept == fresh[: len(kept)], post_id


def test_incremental_refreshes_keep_every_list_an_exact_prefix(engine: Engine) -> None:
    site = _larger_site(engine)
    refresh(engine)
    _check_exact_prefixes(engine)
    assert len(stored_lists(engine)["post-1"]) == STORED_DEPTH

    with write_engine(engine).begin() as conn:
        conn.execute(
            update(posts)
            .where(posts.c.id == site.posts["post-4"])
            .values(title=REPAIR[0], summary=REPAIR[1], body_text=" ".join(_sentences(REPAIR, REPAIR_2)))
        )
    summary = refresh(engine, [site.posts["post-4"]])
    assert 1 <= summary.lists < 60
    _check_exact_prefixes(engine)
    # Its text is now about the repair café: so is its best related post.
    best = stored_lists(engine)["post-4"][0]
    assert int(best.removeprefix("post-")) % 3 == 2, best

    for slug, status in (("post-8", DRAFT), ("post-12", DRAFT), ("post-8", PUBLISHED)):
        with write_engine(engine).begin() as conn:
            site.set_status(conn, slug, status)
        refresh(engine, [site.posts[slug]])
        _check_exact_prefixes(engine)
    lists = stored_lists(engine)
    assert "post-12" not in lists and all("post-12" not in related for related in lists.values())


def test_concurrent_refreshes_take_turns(site: RelatedSite) -> None:
    engine = site.engine

    def edit(slug: str) -> RefreshSummary:
        with write_engine(engine).begin() as conn:
            conn.execute(
                update(posts)
                .where(posts.c.id == site.posts[slug])
                .values(body_text=posts.c.body_text + " More parcels of tins for the pantry.")
            )
            return refresh_related(conn, [site.posts[slug]])

    with ThreadPoolExecutor(max_workers=2) as pool:
        summaries = list(pool.map(edit, ["food-parcels", "food-donations"] * 3))
    assert all(summary.indexed == 1 for summary in summaries)
    lists = stored_lists(engine)
    assert set(lists) == set(TOPICS)
    assert all(len(related) == len(set(related)) for related in lists.values())

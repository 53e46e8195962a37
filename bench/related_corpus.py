"""A generated news corpus with known topic clusters, for the related-news benchmarks.

Every post belongs to one topic (the cluster a good editor would pick related posts from) and, within
it, to one story: a run of posts about the same event, place and people. Its text mixes words any post
might use, words of its topic, words some neighbouring topics share, and the names of its story. Tags
are noisy on purpose, as editors' tags are: some posts are untagged, some carry another topic's tag,
and one tag sits on most posts. Authors are staff who write about every topic; people mentioned belong
to stories. Two runs with the same seed give the same corpus.

`write_corpus(conn, corpus)` stores it directly in the store's tables (published posts, tags, people
and their links), much faster than going through content files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert

from content_api.store.tables import PUBLISHED, people, post_authors, post_people, post_tags, posts, tags

TOPICS: dict[str, tuple[str, ...]] = {
    "Food bank": (
        "food", "parcel", "pantry", "donation", "tins", "hunger", "supermarket", "shelf", "meals",
        "groceries", "nutrition", "referral", "fridge", "surplus", "breakfast", "cupboard",
    ),
    "Youth club": (
        "youth", "teenager", "club", "football", "mentor", "homework", "games", "skate", "disco",
        "apprenticeship", "school", "pupils", "summer", "camp", "trip", "coaching",
    ),
    "Allotments": (
        "allotment", "garden", "plot", "compost", "seeds", "harvest", "vegetables", "greenhouse",
        "soil", "orchard", "beds", "tomatoes", "watering", "polytunnel", "bees", "pruning",
    ),
    "Repair café": (
        "repair", "fix", "toaster", "soldering", "bicycle", "sewing", "broken", "screwdriver", "lamp",
        "electrician", "appliance", "landfill", "spare", "hinge", "workshop", "tinkering",
    ),
    "Language café": (
        "language", "conversation", "english", "speakers", "grammar", "vocabulary", "translation",
        "refugees", "fluency", "pronunciation", "dictionary", "tutors", "lessons", "arabic", "polish",
        "ukrainian",
    ),
    "Housing advice": (
        "housing", "tenant", "landlord", "rent", "eviction", "repairs", "damp", "deposit", "council",
        "homelessness", "lease", "adviser", "benefits", "arrears", "mould", "tenancy",
    ),
    "Digital skills": (
        "digital", "computer", "laptop", "internet", "email", "password", "smartphone", "online",
        "tablet", "scams", "wifi", "software", "keyboard", "printer", "browser", "accounts",
    ),
    "Older people": (
        "older", "pensioners", "lunch", "loneliness", "befriending", "bingo", "tea", "memories",
        "dementia", "carers", "chair", "exercise", "falls", "visits", "telephone", "companionship",
    ),
    "Fundraising": (
        "fundraising", "sponsor", "raffle", "marathon", "grant", "donors", "appeal", "target",
        "auction", "bake", "pledge", "charity", "trustees", "funding", "cheque", "giving",
    ),
    "Environment": (
        "climate", "litter", "recycling", "river", "trees", "planting", "wildlife", "pollution",
        "energy", "insulation", "solar", "carbon", "cleanup", "meadow", "hedgehogs", "birds",
    ),
    "Arts and music": (
        "art", "music", "choir", "painting", "exhibition", "theatre", "concert", "gallery", "mural",
        "poetry", "drawing", "singing", "rehearsal", "audience", "stage", "festival",
    ),
    "Health and wellbeing": (
        "health", "wellbeing", "walking", "yoga", "mental", "nurse", "clinic", "vaccination",
        "anxiety", "counselling", "fitness", "sleep", "stress", "pharmacy", "screening", "mindfulness",
    ),
    "Family support": (
        "parents", "toddlers", "nursery", "babies", "playgroup", "childcare", "nappies", "family",
        "buggy", "storytime", "mums", "dads", "baby", "creche", "parenting", "siblings",
    ),
    "Sport": (
        "sport", "cricket", "netball", "swimming", "tennis", "league", "match", "team", "pitch",
        "tournament", "badminton", "referee", "trophy", "training", "athletes", "boxing",
    ),
    "Volunteering": (
        "volunteers", "induction", "rota", "shift", "training", "recruitment", "thanks", "hours",
        "roles", "welcome", "safeguarding", "badge", "certificate", "celebration", "newcomers", "awards",
    ),
    "Transport": (
        "minibus", "bus", "transport", "lifts", "drivers", "route", "timetable", "wheelchair",
        "parking", "cycling", "journey", "station", "fares", "accessible", "ramp", "mileage",
    ),
}  # fmt: skip

# Words a community news post might use whatever it is about.
COMMON = (
    "community", "centre", "local", "people", "team", "support", "project", "residents", "neighbourhood",
    "event", "group", "session", "help", "together", "open", "free", "welcome", "join", "information",
    "contact", "building", "hall", "morning", "afternoon", "evening", "weekly", "monthly", "start",
    "place", "town", "street", "friends", "families", "children", "staff", "work", "working", "great",
    "good", "important", "everyone", "programme", "plans", "future", "success", "thank", "share",
    "story", "stories", "space", "room", "kitchen", "garden", "tea", "coffee", "cake", "smile",
    "fun", "busy", "happy", "proud", "hope", "idea", "ideas", "visit", "visitors", "neighbours",
    "area", "city", "road", "park", "library", "church", "school", "partners", "partnership",
    "service", "services", "needs", "care", "across", "month", "spring", "autumn", "winter",
    "summer", "weekend", "saturday", "sunday", "monday", "wednesday", "friday", "number",
    "record", "turnout", "feedback", "news", "update", "announce", "launch", "celebrate",
)  # fmt: skip

SYLLABLES = (
    "ash", "bel", "cor", "dun", "el", "fen", "gar", "hal", "ing", "kel", "lor", "mar", "nor", "ol",
    "pen", "quin", "ros", "sel", "tor", "ul", "val", "wen", "yar", "zel", "brook", "ford", "ton",
    "ley", "wick", "mere", "dale", "field", "stone", "well", "by", "worth",
)  # fmt: skip
FIRST_NAMES = (
    "Amira", "Ben", "Chidi", "Dana", "Eilidh", "Farid", "Grace", "Hamza", "Ines", "Jonah", "Keisha",
    "Liam", "Mei", "Niamh", "Priya", "Quinn", "Rosa", "Sam", "Tomasz", "Uma", "Viktor", "Wren",
)  # fmt: skip

COMMON_TAG = "Community"
TEMPLATES = (
    "The {c} {t} in {s} brought {g} {t} and {t} together this {c}.",
    "{S} told us the {t} had made a real {g} to the {c} and its {w}.",
    "Our {t} {c} at {s} now runs every {c}, with {t} and {w} for {g}.",
    "Thanks to {S}, the {t} at {s} will keep going into the {g}.",
    "{S} and {S} spoke about {t}, {w} and the {c} {g} ahead.",
    "Anyone interested in {t} can {g} the {c} at {s}.",
    "We counted more {t} than ever, a {c} {g} for the {w} {c}.",
    "The {g} of the {g} made the {c} {g} for {g} {c}.",
)
# Share of topic words a post takes from its own topic; the rest come from a neighbouring or a random one.
TOPIC_FOCUS = 0.65
SHORT_SHARE = 0.2
# Words any post may use, some often and most rarely (Zipf's law), like the long tail of real text.
GENERAL_VOCABULARY = 4000


@dataclass(frozen=True, slots=True)
class GeneratedPost:
    slug: str
    title: str
    summary: str
    body: str
    topic: str
    story: int
    published_at: datetime
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    mentioned: tuple[str, ...]


@dataclass(slots=True)
class GeneratedCorpus:
    posts: list[GeneratedPost]
    people: dict[str, str] = field(default_factory=dict)  # slug -> name
    tags: list[str] = field(default_factory=list)


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def generate(
    count: int,
    *,
    seed: int = 2026,
    story_size: int = 3,
    untagged: float = 0.2,
    mistagged: float = 0.15,
    common_tag_share: float = 0.85,
    words: tuple[int, int] = (250, 600),
) -> GeneratedCorpus:
    """`count` posts spread evenly over the topics, in stories of about `story_size` posts."""
    rng = random.Random(seed)
    topic_names = list(TOPICS)
    general = sorted({_name(rng, 3).lower() for _ in range(GENERAL_VOCABULARY)})
    rng.shuffle(general)
    zipf = [1.0 / (rank + 1) for rank in range(len(general))]
    staff = [f"{rng.choice(FIRST_NAMES)} {_name(rng, 2)}" for _ in range(12)]
    corpus = GeneratedCorpus(posts=[], tags=[*topic_names, COMMON_TAG])
    for name in staff:
        corpus.people[_slug(name)] = name
    start = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)
    story_count = max(1, count // story_size)
    stories = []
    for story in range(story_count):
        topic = topic_names[story % len(topic_names)]
        neighbour = topic_names[(story + 1 + rng.randrange(len(topic_names) - 1)) % len(topic_names)]
        place = f"{_name(rng, 2)} {rng.choice(('Road', 'Park', 'Hall', 'Green', 'Lane', 'Square'))}"
        people_names = [f"{rng.choice(FIRST_NAMES)} {_name(rng, 2)}" for _ in range(3)]
        for name in people_names:
            corpus.people[_slug(name)] = name
        details = tuple(_name(rng, 3).lower() for _ in range(6))
        stories.append((topic, neighbour, place, people_names, details))
    for index in range(count):
        story = index % story_count
        topic, neighbour, place, story_people, details = stories[story]
        own = TOPICS[topic]
        borrowed = TOPICS[neighbour] + TOPICS[rng.choice(topic_names)]

        def fill(
            template: str,
            own: tuple[str, ...] = own,
            borrowed: tuple[str, ...] = borrowed,
            place: str = place,
            details: tuple[str, ...] = details,
            story_people: list[str] = story_people,
        ) -> str:
            text = template
            while "{" in text:
                slot = text[text.index("{") : text.index("}") + 1]
                if slot == "{t}":
                    word = rng.choice(own) if rng.random() < TOPIC_FOCUS else rng.choice(borrowed)
                elif slot == "{c}":
                    word = rng.choice(COMMON)
                elif slot == "{s}":
                    word = place
                elif slot == "{g}":
                    word = rng.choices(general, weights=zipf)[0]
                elif slot == "{w}":
                    word = rng.choice(details)
                else:
                    word = rng.choice(story_people)
                text = text.replace(slot, word, 1)
            return text

        # Some posts are short notices with little to go on.
        length = rng.randint(*words) if rng.random() >= SHORT_SHARE else rng.randint(40, 100)
        sentences: list[str] = []
        while sum(len(sentence.split()) for sentence in sentences) < length:
            sentences.append(fill(rng.choice(TEMPLATES)))
        title = fill(rng.choice(("{S} and the {t} at {s}", "New {t} for {s}", "The {t} {c} is back")))
        summary = fill(rng.choice(TEMPLATES))
        chosen_tags: list[str] = []
        roll = rng.random()
        if roll >= untagged:
            chosen_tags.append(topic if roll >= untagged + mistagged else rng.choice(topic_names))
            if rng.random() < common_tag_share:
                chosen_tags.append(COMMON_TAG)
        authors = (_slug(rng.choice(staff)),)
        mentioned = tuple(
            sorted({_slug(name) for name in story_people if name in " ".join(sentences)} - set(authors))
        )
        corpus.posts.append(
            GeneratedPost(
                slug=f"post-{index:05d}",
                title=title,
                summary=summary,
                body=" ".join(sentences),
                topic=topic,
                story=story,
                published_at=start + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
                tags=tuple(dict.fromkeys(chosen_tags)),
                authors=authors,
                mentioned=mentioned,
            )
        )
    return corpus


def _slug(name: str) -> str:
    return "-".join(name.lower().split())


def write_corpus(conn: Connection, corpus: GeneratedCorpus) -> dict[str, int]:
    """Store the corpus as published posts; return the post ids by slug."""
    now = datetime.now(UTC)
    person_rows = [
        {
            "slug": slug,
            "name": name,
            "aliases": [],
            "show_pronouns": False,
            "created_at": now,
            "updated_at": now,
        }
        for slug, name in corpus.people.items()
    ]
    conn.execute(insert(people), person_rows)
    person_ids = {row.slug: row.id for row in conn.execute(people.select())}
    conn.execute(insert(tags), [{"slug": _slug(name), "name": name} for name in corpus.tags])
    tag_ids = {row.name: row.id for row in conn.execute(tags.select())}
    post_rows: list[dict[str, Any]] = [
        {
            "slug": post.slug,
            "title": post.title,
            "summary": post.summary,
            "body_format": "markdown",
            "body_source": post.body,
            "body_html": f"<p>{post.body}</p>",
            "body_text": post.body,
            "status": PUBLISHED,
            "published_at": post.published_at,
            "lang": "en-GB",
            "reading_time_minutes": max(1, len(post.body.split()) // 230),
            "pinned_related": [],
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for post in corpus.posts
    ]
    for start in range(0, len(post_rows), 2000):
        conn.execute(insert(posts), post_rows[start : start + 2000])
    post_ids = {
        row.slug: row.id for row in conn.execute(posts.select().with_only_columns(posts.c.id, posts.c.slug))
    }
    tag_links = [
        {"post_id": post_ids[post.slug], "tag_id": tag_ids[tag], "position": position}
        for post in corpus.posts
        for position, tag in enumerate(post.tags)
    ]
    author_links = [
        {"post_id": post_ids[post.slug], "person_id": person_ids[slug], "position": position}
        for post in corpus.posts
        for position, slug in enumerate(post.authors)
    ]
    mention_links = [
        {"post_id": post_ids[post.slug], "person_id": person_ids[slug], "position": position}
        for post in corpus.posts
        for position, slug in enumerate(post.mentioned)
    ]
    for table, rows in ((post_tags, tag_links), (post_authors, author_links), (post_people, mention_links)):
        if rows:
            conn.execute(insert(table), rows)
    return post_ids

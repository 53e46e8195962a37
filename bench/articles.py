"""Deterministic generator of realistic news articles for the benchmarks.

Each article is a community organisation's news post of 1,100 to 2,500 words: a feature image, sub-headings,
images with alt text and captions, quotes, lists, links and, unless ``--clean`` is given, a few of the defects
that the audit looks for (missing or file-name alt text, "click here" links, skipped heading levels, very long
sentences, pronouns shown without consent...). The same article is written as a Markdown post with YAML
front matter (``posts/NNNNN-slug.md``) and as a whole HTML document (``html/NNNNN-slug.html``), beside a
``people.yaml`` registry and the image files both refer to. Two runs with the same seed write identical files.

    python bench/articles.py OUT_DIR [--count 200] [--formats md,html] [--seed 2026] [--clean]
"""

from __future__ import annotations

import argparse
import html
import random
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

ORG = "Riverside Community Trust"
TOWN = "Eastbrook"
SITE = "https://riverside-trust.example"
MIN_WORDS = 1_100
MAX_WORDS = 2_500
IMAGE_COUNT = 24
FORMATS = ("md", "html")
DEFAULT_SEED = 2026

FIRST_NAMES = (
    "Amira", "Ben", "Chidi", "Dana", "Eilidh", "Farid", "Grace", "Hamza", "Ines", "Jonah", "Keisha", "Liam",
    "Mei", "Niamh", "Oluwaseun", "Priya", "Quinn", "Rosa", "Sam", "Tomasz", "Uma", "Viktor", "Wren", "Yusuf",
    "Zofia", "Aled", "Bronwen", "Callum", "Delia", "Emeka", "Fatima", "Gareth", "Hana", "Idris", "Joy",
    "Kofi", "Lowri", "Marek", "Nadia", "Owen",
)  # fmt: skip
SURNAMES = (
    "Haddad", "Okafor", "Campbell", "Nowak", "Singh", "Fraser", "Mensah", "Evans", "Rahman", "O'Brien",
    "Kowalski", "Patel", "Murray", "Adeyemi", "Lindqvist", "Costa", "Hughes", "Nakamura", "Byrne", "Ahmed",
    "MacLeod", "Ferreira", "Jones", "Osei",
)  # fmt: skip
ROLES = (
    "volunteer coordinator", "community gardener", "youth worker", "food bank lead", "trustee",
    "digital skills tutor", "events officer", "housing adviser", "finance officer", "repair café volunteer",
    "communications officer", "fundraising manager", "minibus driver", "library volunteer",
    "chair of trustees",
)  # fmt: skip
# (pronouns, consent to show them): a mix of consented, recorded but private, and none recorded.
PRONOUN_CHOICES = (
    ("she/her", True), ("he/him", True), ("they/them", True), ("she/they", True), ("he/they", True),
    ("she/her", False), ("he/him", False), ("they/them", False), (None, False), (None, False),
)  # fmt: skip
PLACES = (
    "the Mill Lane hall", "Eastbrook Library", "the allotments on Hazel Road", "St Anne's community centre",
    "the old fire station", "Brookside Park", "the market square", "the Riverside hub on Quay Street",
)  # fmt: skip
PARTNERS = (
    "Eastbrook Council", "the Quay Street Tenants' Association", "Brookside Primary School",
    "the Eastbrook Repair Network", "Hazel Road Allotment Society", "the county libraries service",
    "Eastbrook Disability Forum", "the Young Carers Project",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Topic:
    """The vocabulary of one kind of story; sentence templates draw their slots from it."""

    key: str
    tag: str
    titles: tuple[str, ...]
    thing: tuple[str, ...]
    activity: tuple[str, ...]
    group: tuple[str, ...]
    outcome: tuple[str, ...]
    headings: tuple[str, ...]
    list_items: tuple[str, ...]
    image_alts: tuple[str, ...]


TOPICS = (
    Topic(
        key="team", tag="Our team",
        titles=("Meet the new faces at {org}", "Welcome to our {num_small} new volunteers",
                "New team members join the {town} hub",
                "Say hello to the people behind our {month} projects"),
        thing=("welcome pack", "rota", "induction session", "mentoring scheme", "shadowing day"),
        activity=("induction evenings", "buddy shifts", "training mornings", "team lunches"),
        group=("new volunteers", "trainee coordinators", "student placements", "returning volunteers"),
        outcome=("more evening sessions", "a second drop-in day", "shorter waiting lists", "a fuller rota"),
        headings=("Who is joining us", "What they will be doing", "How the induction works",
                  "Why we are growing the team", "What our volunteers say", "How you can get involved"),
        list_items=("a two-hour induction at {place}", "a named buddy for the first month",
                    "travel costs paid on the day", "training in first aid and safeguarding",
                    "a monthly get-together with the rest of the team",
                    "flexible shifts that fit around work"),
        image_alts=("{p} and {p2} sorting donations at a long table in {place}",
                    "Six volunteers in green aprons smiling outside {place}",
                    "{p} showing a new volunteer how to use the booking tablet"),
    ),
    Topic(
        key="garden", tag="Growing",
        titles=("The {town} community garden opens its gates", "A record harvest at the allotments",
                "Raised beds bring older neighbours back to the garden", "Seed swap returns to {place}"),
        thing=("raised beds", "polytunnel", "compost bays", "rainwater tanks", "seed library", "orchard"),
        activity=("planting sessions", "weeding mornings", "harvest days", "seed swaps", "pruning workshops"),
        group=("gardeners", "families", "pupils from Brookside Primary", "older neighbours", "newcomers"),
        outcome=("fresh vegetables for the pantry", "a quieter place to sit", "less food waste",
                 "a waiting list that is finally shrinking"),
        headings=("What we grew this year", "Beds everyone can reach", "Lessons from a wet summer",
                  "What happens to the harvest", "Plans for the winter", "Join a planting session"),
        list_items=("potatoes, leeks and runner beans", "three new wheelchair-height beds",
                    "a tool shed with step-free access", "weekly sessions on {day} mornings",
                    "gloves and tools provided", "tea and cake after every session"),
        image_alts=("Runner beans climbing bamboo canes in a raised bed",
                    "{p} kneeling beside a bed of leeks with a trowel",
                    "Children from Brookside Primary watering seedlings in the polytunnel"),
    ),
    Topic(
        key="pantry", tag="Food",
        titles=("Our community pantry at one year", "How the food bank kept up with a hard winter",
                "Pay-as-you-feel lunches come to {place}", "{num} families used the pantry in {month}"),
        thing=("pantry", "chilled cabinet", "delivery van", "shopping list service", "hot lunch"),
        activity=("Saturday collections", "home deliveries", "cooking clubs", "pay-as-you-feel lunches"),
        group=("families", "older residents", "students", "carers", "people new to the area"),
        outcome=("no one turned away", "fresh food on every shelf", "{num} meals a week",
                 "shorter queues on busy days"),
        headings=("A year in numbers", "What people told us", "Keeping the shelves full",
                  "Cooking on a budget", "What we need now", "How to donate"),
        list_items=("tinned fish and meat", "long-life milk", "rice and pasta", "toiletries and nappies",
                    "fresh fruit from local growers", "gift cards for the supermarket on Quay Street"),
        image_alts=("Shelves of tins, pasta and cereal boxes in the pantry",
                    "{p} handing a bag of groceries across the counter",
                    "A volunteer loading crates of apples into the delivery van"),
    ),
    Topic(
        key="repair", tag="Repair café",
        titles=("The repair café mends its thousandth item", "Bring your broken toaster to {place}",
                "Fixing things, and fixing the waste problem", "What we mended in {month}"),
        thing=("soldering station", "sewing machine", "bike stand", "tool library", "testing bench"),
        activity=("repair evenings", "sewing circles", "bike clinics", "tool-lending days"),
        group=("fixers", "visitors", "young apprentices", "retired engineers", "neighbours"),
        outcome=("{num} kilograms kept out of landfill", "lamps and radios working again",
                 "a waiting list for bike repairs", "skills passed between generations"),
        headings=("What people bring in", "How a repair evening works", "Meet the fixers",
                  "The most unusual repair", "Safety first", "Come along"),
        list_items=("lamps, kettles and toasters", "bikes with flat tyres or worn brakes",
                    "torn coats and jeans", "laptops that will not start",
                    "wooden chairs with loose legs", "toys with missing parts"),
        image_alts=("{p} testing a toaster with a multimeter at the repair bench",
                    "A row of mended lamps with paper tags on a trestle table",
                    "Two fixers adjusting the brakes on a child's bike"),
    ),
    Topic(
        key="digital", tag="Digital skills",
        titles=("Free computer lessons at Eastbrook Library", "Getting online, one cup of tea at a time",
                "Tablets on loan for older neighbours", "Digital drop-ins move to {day}s"),
        thing=("laptop loan scheme", "drop-in session", "tablet", "data SIM", "help desk"),
        activity=("drop-in sessions", "one-to-one lessons", "video-call practice", "scam-awareness talks"),
        group=("learners", "older residents", "job seekers", "carers", "people with low vision"),
        outcome=("{num} people online for the first time", "appointments booked without help",
                 "fewer missed benefit payments", "grandchildren seen on video calls"),
        headings=("Who comes along", "What learners ask for", "Staying safe online",
                  "Borrowing a device", "Screen readers and large text", "Book a session"),
        list_items=("setting up an email account", "booking a doctor's appointment",
                    "spotting a scam message", "video calls with family",
                    "making text bigger and easier to read", "saving photos safely"),
        image_alts=("{p} pointing at a tablet screen while a learner takes notes",
                    "A learner wearing headphones using a screen reader on a laptop",
                    "Rows of laptops on a library table ready for a lesson"),
    ),
    Topic(
        key="youth", tag="Young people",
        titles=("Youth football club kicks off its spring season", "Young carers get a break at {place}",
                "Half-term activities for {num} children", "Our youth panel has its say"),
        thing=("football pitch", "youth panel", "summer scheme", "homework club", "climbing wall trip"),
        activity=("training sessions", "homework clubs", "day trips", "youth panel meetings"),
        group=("young people", "teenagers", "young carers", "parents", "coaches"),
        outcome=("a full squad for every age group", "new friendships", "better marks at school",
                 "a voice in how the money is spent"),
        headings=("What the young people chose", "A season in pictures", "Support for young carers",
                  "Coaches wanted", "What parents said", "Sign up"),
        list_items=("football on {day} evenings", "a free healthy meal at every session",
                    "trips to the coast and the climbing wall", "homework help with trained tutors",
                    "a quiet room for young carers", "transport home after late sessions"),
        image_alts=("Teenagers in red bibs running a passing drill on the pitch",
                    "{p} talking to the youth panel around a table covered in sticky notes",
                    "Young carers laughing on a beach during the summer trip"),
    ),
    Topic(
        key="transport", tag="Getting around",
        titles=("Our accessible minibus is back on the road", "Door-to-door rides for medical appointments",
                "New routes for the community minibus", "Volunteer drivers cover {num} journeys"),
        thing=("minibus", "wheelchair lift", "booking line", "driver rota", "route map"),
        activity=("shopping trips", "hospital runs", "day outings", "lunch club pick-ups"),
        group=("passengers", "wheelchair users", "older residents", "volunteer drivers", "carers"),
        outcome=("{num} journeys a month", "fewer missed hospital appointments", "weekly trips to market",
                 "a second driver on busy days"),
        headings=("Where the minibus goes", "Booking a seat", "Step-free from door to door",
                  "Our drivers", "What it costs", "Ride with us"),
        list_items=("a rear lift for wheelchairs and scooters", "space for a carer at no cost",
                    "bookings by phone or text message", "pick-ups from {place}",
                    "a fixed fare of £2.50 a trip", "trained drivers with enhanced checks"),
        image_alts=("A wheelchair user rolling onto the minibus lift while {p} operates it",
                    "The white minibus parked outside {place} with its ramp down",
                    "{p} helping a passenger with shopping bags off the bus"),
    ),
    Topic(
        key="funding", tag="News",
        titles=("A £{money} grant secures the hub for three years", "What our annual report tells us",
                "Thank you for a record year of donations", "Trustees agree plans for {year}"),
        thing=("grant", "annual report", "budget", "donation page", "business plan"),
        activity=("fundraising walks", "quiz nights", "sponsored swims", "bake sales"),
        group=("donors", "trustees", "local businesses", "members", "funders"),
        outcome=("three more years of the pantry", "a paid volunteer coordinator",
                 "a new roof for the hall", "money set aside for emergencies"),
        headings=("Where the money comes from", "Where it goes", "What changes next year",
                  "A word from the chair", "How decisions are made", "Support our work"),
        list_items=("{money} from the lottery fund", "{money} from local businesses",
                    "{money} raised by our quiz nights", "room hire income from the hall",
                    "gift aid on individual donations", "a legacy from a long-time member"),
        image_alts=("Trustees around a meeting table with the annual report open",
                    "{p} holding a large cheque outside {place}",
                    "Walkers in yellow shirts crossing the finish line of the sponsored walk"),
    ),
)  # fmt: skip

PARAGRAPH_SENTENCES = (
    "Since {month}, {group} have been coming to {place} for {activity}.",
    "We paid for the {thing} with help from {partner}, and it is already in use every week.",
    "{p}, our {prole}, has been at the heart of it from the start.",
    '"We wanted something that works for everyone, not only the people who already know us," {p} said.',
    "Last year we counted {num} visits, and this year the number is higher again.",
    "Most sessions run on {day}s from 10am to 1pm, with a quieter hour at the end for anyone who needs it.",
    "None of this would happen without {group}, who give their time for free.",
    "We asked people what they wanted, and the answer was simple: {outcome}.",
    "It has not always been easy.",
    "The building is step-free, there is a hearing loop at the desk, and the toilets are accessible.",
    "If you would like to help, the easiest way is to drop in on a {day} and say hello.",
    "{pf} started as a visitor and now runs the {activity} with two other volunteers.",
    "The {thing} took {num_small} months to plan and a single weekend to set up.",
    "Our partners at {partner} helped with the paperwork, e.g. the safety checks and the insurance.",
    "The result is {outcome}, which is exactly what we hoped for.",
    "Costs came to about £{money}, or roughly £{price} for each person who took part.",
    "Some of the {group} had never been to {place} before.",
    "Others come back week after week, and many now bring a friend.",
    "We have also learned from what did not work.",
    "Evening sessions were too late for families with young children, so we moved them to {day} afternoons.",
    "The waiting list fell from {num} names in {month} to fewer than {num_small} today.",
    "Dr. {surname} from the health centre on Quay Street joined us for one of the {activity} in {month}.",
    "Everything we do is shaped by the people who use it.",
    "The {thing} is open to anyone who lives or works in {town}.",
    "Our {group} now include people from {num_small} different countries.",
    "Bookings are not needed, but it helps to know numbers in advance.",
    "There is step-free access from the car park, and a quiet room is available on request.",
    "We will publish the full figures in our annual report in {month}.",
    "{pf} said the best part has been seeing {group} teach each other.",
    "A new group of {group} starts in {month}, and there are still places left.",
    "On a busy {day} there can be {num_small} {group} in the room at once.",
    "{pf} keeps a notebook of every suggestion, and most of them have now been tried.",
    "The first {activity} were held in a borrowed room with two tables and a kettle.",
    "Word spread quickly through the school gates and the library notice board.",
    "Our thanks go to {partner}, who lent us space while the hall was being repaired.",
    "The sessions are free, and nobody is asked to explain why they need them.",
    "Some weeks are quiet, and that is fine too.",
    "In {month} the {thing} broke down, and it took a fortnight to fix.",
    "{p} joined us as a {prole} in {month} after moving to {town}.",
    "We now run the {activity} in partnership with {partner}.",
    "A survey of {num} visitors found that most heard about us from a neighbour.",
    "Interpreters for Polish, Arabic and British Sign Language can be booked in advance.",
    "Large-print leaflets are available at the desk, and the website works with screen readers.",
    "There is a bike rack outside, and the number 12 bus stops at the door.",
    "Children are welcome, and there is a corner with books and toys.",
    "Tea, coffee and biscuits are always on the table.",
    "{pf} hopes to train {num_small} more volunteers before the end of the year.",
    "The idea came from a conversation at one of our {activity} last spring.",
    "Feedback cards are left on every table, and we read each one.",
    "Our next step is {outcome}.",
    "The council's grant covers the rent until {month}, but not the running costs.",
    "If you cannot come in person, you can phone the hub on {day}s and we will call you back.",
    "The new {thing} has made the biggest difference for {group}.",
    "Plenty of people told us they felt lonely before they started coming.",
    "By the summer we expect to reach {num} people a month.",
    "Much of the equipment was donated by local businesses.",
    "Several of our {group} now volunteer themselves.",
)
QUOTE_SENTENCES = (
    "I came for the {activity} and stayed for the people.",
    "It is the one place in the week where nobody rushes me.",
    "Before this I did not know anyone on my street, and now I know half of them.",
    "We did it together, and that is the point.",
    "It changed how I think about {town}.",
    "The {thing} made a bigger difference than any of us expected.",
)


@dataclass(frozen=True)
class Person:
    """One person in the registry; ``subject`` is the pronoun the generated prose uses for them."""

    slug: str
    name: str
    role: str
    pronouns: str | None
    show_pronouns: bool
    aliases: tuple[str, ...] = ()

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0]

    @property
    def surname(self) -> str:
        return self.name.split(" ", 1)[1]

    @property
    def subject(self) -> str:
        return self.pronouns.split("/", 1)[0] if self.pronouns else "they"

    def as_yaml(self) -> dict[str, object]:
        record: dict[str, object] = {"slug": self.slug, "name": self.name, "role": self.role.capitalize()}
        if self.pronouns:
            record["pronouns"] = self.pronouns
            record["show_pronouns"] = self.show_pronouns
        record["bio"] = f"{self.first_name} is a {self.role} at {ORG}."
        if self.aliases:
            record["aliases"] = list(self.aliases)
        return record


@dataclass
class Article:
    """One generated post: front matter fields and a Markdown body."""

    index: int
    slug: str
    title: str
    published: date
    summary: str
    authors: list[Person]
    tags: list[str]
    feature_image: dict[str, str]
    body: str
    words: int
    defects: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return f"{self.index:05d}-{self.slug}"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")


def make_people(seed: int, count: int = 40) -> list[Person]:
    """The registry every article draws on: unique names, mixed roles, pronouns and consent."""
    rng = random.Random(f"people:{seed}")
    names: list[str] = []
    firsts = list(FIRST_NAMES)
    rng.shuffle(firsts)
    for position in range(count):
        first = firsts[position % len(firsts)]
        surname = rng.choice(SURNAMES)
        while f"{first} {surname}" in names:
            surname = rng.choice(SURNAMES)
        names.append(f"{first} {surname}")
    people = []
    for name in names:
        pronouns, consent = rng.choice(PRONOUN_CHOICES)
        aliases = (name.split(" ")[0][:3],) if rng.random() < 0.1 and len(name.split(" ")[0]) > 4 else ()
        people.append(Person(slugify(name), name, rng.choice(ROLES), pronouns, consent, aliases))
    return people


class _Slots(dict[str, str]):
    """Fills ``{slot}`` names in templates, drawing a fresh value from the topic's pools on every use."""

    def __init__(self, rng: random.Random, topic: Topic, person: Person, other: Person, year: int) -> None:
        super().__init__()
        self.rng = rng
        self.topic = topic
        self.person = person
        self.other = other
        self.year = year

    def __missing__(self, key: str) -> str:
        rng, topic = self.rng, self.topic
        pool = _POOLS.get(key)
        if pool is not None:
            return self.fill(rng.choice(pool))
        topic_pool = _TOPIC_POOLS.get(key)
        if topic_pool is not None:
            return self.fill(rng.choice(getattr(topic, topic_pool)))
        if key == "p":
            return self.person.name
        if key == "pf":
            return self.person.first_name
        if key == "prole":
            return self.person.role
        if key == "p2":
            return self.other.name
        if key == "num_small":
            return str(rng.randint(3, 12))
        if key == "num":
            return str(rng.randint(20, 480))
        if key == "money":
            return f"{rng.randint(2, 90) * 500:,}"
        if key == "price":
            return f"{rng.randint(2, 40)}.{rng.choice((0, 5))}0"
        if key == "year":
            return str(self.year + 1)
        if key in _CONSTANTS:
            return _CONSTANTS[key]
        raise KeyError(f"unknown template slot {{{key}}}")

    def fill(self, template: str) -> str:
        """The template with every slot filled, as it would sit inside a sentence."""
        return template.format_map(self)

    def sentence(self, template: str) -> str:
        """The filled template with a capital first letter, to start a sentence, heading or caption."""
        text = self.fill(template)
        return text[:1].upper() + text[1:]


_POOLS: dict[str, Sequence[str]] = {
    "place": PLACES, "partner": PARTNERS, "day": WEEKDAYS, "month": MONTHS, "surname": SURNAMES,
}  # fmt: skip
_TOPIC_POOLS = {"thing": "thing", "activity": "activity", "group": "group", "outcome": "outcome"}
_CONSTANTS = {"org": ORG, "town": TOWN}


def _count_words(text: str) -> int:
    plain = re.sub(r"\]\([^)]*\)|<[^>]+>|[#>*_`\[\]|-]+(?=\s)", " ", text)
    return len(re.findall(r"[\w'’£.,]+", plain))


class _Writer:
    """Builds one article's body block by block, keeping count of its words."""

    def __init__(self, rng: random.Random, topic: Topic, people: list[Person], year: int) -> None:
        self.rng = rng
        self.topic = topic
        self.people = people
        self.year = year
        self.blocks: list[str] = []
        self.words = 0
        self.deck: list[str] = []

    def draw(self, count: int) -> list[str]:
        """The next ``count`` sentence templates; every template is used once before any is used again."""
        drawn: list[str] = []
        while len(drawn) < count:
            if not self.deck:
                self.deck = list(PARAGRAPH_SENTENCES)
                self.rng.shuffle(self.deck)
            candidate = self.deck.pop()
            if candidate not in drawn:
                drawn.append(candidate)
        return drawn

    def slots(self, person: Person | None = None) -> _Slots:
        first, second = self.rng.sample(self.people, 2)
        return _Slots(self.rng, self.topic, person or first, second, self.year)

    def add(self, block: str) -> None:
        self.blocks.append(block)
        self.words += _count_words(block)

    def paragraph(self, sentences: int, person: Person | None = None, link: bool = False) -> str:
        slots = self.slots(person)
        chosen = self.draw(sentences)
        text = " ".join(slots.sentence(sentence) for sentence in chosen)
        if link:
            anchor = slots.fill(self.rng.choice(self.topic.activity))
            url = f"{SITE}/{slugify(self.topic.tag)}/{slugify(anchor)}"
            text += f" Read more about [our {anchor.lower()}]({url})."
        return text

    def quote(self, person: Person) -> str:
        slots = self.slots(person)
        spoken = " ".join(slots.sentence(s) for s in self.rng.sample(QUOTE_SENTENCES, 2))
        return f'> "{spoken}"\n>\n> — {person.name}, {person.role}'

    def bullet_list(self, ordered: bool) -> str:
        slots = self.slots()
        picked = self.rng.sample(self.topic.list_items, self.rng.randint(3, 5))
        items = [slots.sentence(item) for item in picked]
        return "\n".join(f"{n}. {item}" if ordered else f"- {item}" for n, item in enumerate(items, 1))

    def image(self, number: int, alt: str, caption: str | None) -> str:
        src = f"../images/photo-{number:02d}.jpg"
        block = f"![{alt}]({src})"
        return f"{block}\n\n*{caption}*" if caption else block


DEFECTS = (
    "missing-alt", "filename-alt", "image-of-alt", "click-here", "skipped-heading", "empty-heading",
    "long-sentence", "pronouns-without-consent", "preferred-pronouns", "raw-url",
)  # fmt: skip


def make_article(index: int, people: list[Person], seed: int, *, defects: bool = True) -> Article:
    """Article ``index`` of the corpus for ``seed``; the same arguments always give the same article."""
    rng = random.Random(f"article:{seed}:{index}")
    topic = rng.choice(TOPICS)
    published = date(2024, 1, 8) + timedelta(days=(index * 3 + rng.randint(0, 2)) % 700)
    target = rng.randint(MIN_WORDS + 150, MAX_WORDS - 250)
    authors = rng.sample(people, rng.choice((1, 1, 2)))
    featured = rng.sample(people, 3)
    writer = _Writer(rng, topic, people, published.year)
    title = writer.slots(featured[0]).sentence(rng.choice(topic.titles))

    def alt_for_image(slots: _Slots) -> str:
        return slots.sentence(rng.choice(topic.image_alts))

    # The opening: who and what, with each featured person introduced once by name and role.
    intro = []
    openings = (
        "{name}, our {role}, has been busy this season.",
        "{name} has worked as our {role} since {year}.",
    )
    for person, opening in zip(featured[:2], openings, strict=True):
        shown = person.pronouns if person.pronouns and person.show_pronouns else None
        named = f"{person.name} ({shown})" if shown else person.name
        intro.append(opening.format(name=named, role=person.role, year=published.year - rng.randint(1, 6)))
    writer.add(" ".join(intro) + " " + writer.paragraph(3, featured[0]))
    writer.add(writer.paragraph(rng.randint(3, 5), featured[1], link=True))

    headings = list(topic.headings)
    rng.shuffle(headings)
    section = 0
    image_number = rng.randrange(IMAGE_COUNT)
    while writer.words < target - 160:
        heading = headings[section % len(headings)]
        if section >= len(headings):
            heading = f"{heading}, continued"
        writer.add(f"## {heading}")
        for part in range(rng.randint(2, 4)):
            if writer.words >= target - 160:
                break
            person = rng.choice(featured)
            writer.add(writer.paragraph(rng.randint(3, 6), person, link=rng.random() < 0.25))
            roll = rng.random()
            if part == 0 and section < 2:
                roll = (0.40, 0.25)[section]  # every article gets at least one body image and one list
            if roll < 0.18:
                writer.add(writer.quote(person))
            elif roll < 0.32:
                writer.add(writer.bullet_list(ordered=rng.random() < 0.3))
            elif roll < 0.46:
                image_number = (image_number + 1) % IMAGE_COUNT
                slots = writer.slots(person)
                caption = slots.sentence("{p} at {place} in {month}.") if rng.random() < 0.6 else None
                writer.add(writer.image(image_number, alt_for_image(slots), caption))
            if part == 1 and rng.random() < 0.3:
                writer.add(f"### {writer.slots().sentence(rng.choice(topic.activity))}")
                writer.add(writer.paragraph(rng.randint(2, 4), rng.choice(featured)))
        section += 1

    related = [writer.slots().sentence(rng.choice(rng.choice(TOPICS).titles)) for _ in range(3)]
    writer.add("## Other news you might be interested in")
    writer.add("\n".join(f"- [{title}]({SITE}/news/{slugify(title)})" for title in related))

    feature_slots = writer.slots(featured[0])
    feature = {
        "src": f"../images/photo-{rng.randrange(IMAGE_COUNT):02d}.jpg",
        "alt": alt_for_image(feature_slots),
        "caption": feature_slots.sentence("{p} at {place}."),
    }
    summary = writer.slots(featured[0]).sentence(
        rng.choice(("How {group} at {place} made {outcome} happen.", "{pf} and the team on {outcome}."))
    )

    # Defects come from a random stream of their own and go in just before the closing links, so an
    # article with defects is the same article as its clean version plus those blocks.
    defect_rng = random.Random(f"defects:{seed}:{index}")
    chosen_defects = (
        sorted(defect_rng.sample(DEFECTS, defect_rng.choice((0, 1, 1, 2, 2, 3)))) if defects else []
    )
    writer.rng = defect_rng
    closing = writer.blocks[-2:]
    del writer.blocks[-2:]
    for defect in chosen_defects:
        writer.add(_defect_block(defect, defect_rng, writer, featured, people))
    writer.blocks.extend(closing)
    return Article(
        index=index,
        slug=slugify(title) + f"-{index}",
        title=title,
        published=published,
        summary=summary,
        authors=authors,
        tags=sorted({topic.tag, rng.choice(TOPICS).tag}),
        feature_image=feature,
        body="\n\n".join(writer.blocks) + "\n",
        words=writer.words,
        defects=chosen_defects,
    )


def _defect_block(
    defect: str, rng: random.Random, writer: _Writer, featured: list[Person], people: list[Person]
) -> str:
    """One typical editing mistake, as a block placed in the article's last section."""
    person = featured[-1]
    if defect == "missing-alt":
        return f'<p><img src="../images/photo-{rng.randrange(IMAGE_COUNT):02d}.jpg"></p>'
    if defect == "filename-alt":
        return writer.image(rng.randrange(IMAGE_COUNT), f"IMG_{rng.randint(1000, 9999)}.jpg", None)
    if defect == "image-of-alt":
        return writer.image(rng.randrange(IMAGE_COUNT), f"Image of {person.name} at the hub", None)
    if defect == "click-here":
        return f"Tickets for the next event are free. To book a place, [click here]({SITE}/events/book)."
    if defect == "skipped-heading":
        # Level 5 under a level-2 or level-3 section always skips a level.
        return f"##### {writer.slots().sentence(rng.choice(writer.topic.activity))} this {rng.choice(MONTHS)}"
    if defect == "empty-heading":
        return "##"
    if defect == "long-sentence":
        return (
            f"When we first opened the doors at {rng.choice(PLACES)} we did not know whether anyone would "
            "come, and in the first few weeks there were days when only two or three people turned up, but "
            "word spread through the school gates, the library notice board and the group chats on every "
            "street, and by the end of the spring we were turning people away and asking the council for a "
            "bigger room."
        )
    if defect == "pronouns-without-consent":
        private = [p for p in people if p.pronouns and not p.show_pronouns]
        chosen = rng.choice(private)
        return f"{chosen.name} ({chosen.pronouns}) will lead the next session."
    if defect == "preferred-pronouns":
        return f"Everyone can add their preferred pronouns to a name badge at {person.first_name}'s desk."
    if defect == "raw-url":
        return f"The full timetable is on the notice board and online at <{SITE}/timetable>."
    raise ValueError(f"unknown defect {defect!r}")


def front_matter(article: Article) -> dict[str, object]:
    return {
        "title": article.title,
        "slug": article.slug,
        "date": article.published.isoformat(),
        "status": "published",
        "lang": "en-GB",
        "summary": article.summary,
        "authors": [person.slug for person in article.authors],
        "tags": article.tags,
        "feature_image": article.feature_image,
    }


def render_markdown(article: Article) -> str:
    """The post as the content folder holds it: YAML front matter, then the Markdown body."""
    meta = yaml.safe_dump(front_matter(article), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{meta}---\n\n{article.body}"


_MARKDOWN = MarkdownIt("commonmark")


def render_html(article: Article) -> str:
    """The same post as a site would serve it: a whole document with header, byline, figure and footer."""
    esc = html.escape
    feature = article.feature_image
    byline = " and ".join(
        f'<a href="/people/{person.slug}">{esc(person.name)}</a>' for person in article.authors
    )
    nav = "".join(
        f'<li><a href="/{slugify(label)}/">{esc(label)}</a></li>'
        for label in ("News", "Get involved", "Donate", "Contact")
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(article.title)} | {ORG}</title>\n"
        "<style>body{font-family:sans-serif;max-width:44rem;margin:0 auto;padding:1rem;line-height:1.5}"
        "img{max-width:100%;height:auto}</style>\n"
        "</head>\n<body>\n"
        f'<header><a href="/">{ORG}</a><nav aria-label="Main"><ul>{nav}</ul></nav></header>\n'
        "<main>\n<article>\n"
        f"<h1>{esc(article.title)}</h1>\n"
        f'<p>By {byline} · <time datetime="{article.published.isoformat()}">'
        f"{article.published.day} {MONTHS[article.published.month - 1]} {article.published.year}</time></p>\n"
        f'<figure><img src="{esc(feature["src"])}" alt="{esc(feature["alt"])}" width="800" height="533">'
        f"<figcaption>{esc(feature['caption'])}</figcaption></figure>\n"
        f"{_MARKDOWN.render(article.body)}"
        "</article>\n</main>\n"
        f"<footer><p>{ORG} is a registered charity in {TOWN}.</p></footer>\n"
        "</body>\n</html>\n"
    )


def write_images(folder: Path, seed: int) -> None:
    """Small photographs' stand-ins (800x533 JPEG), so that pages load real image files."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"images:{seed}")
    for number in range(IMAGE_COUNT):
        path = folder / f"photo-{number:02d}.jpg"
        if path.exists():
            continue
        image = Image.new("RGB", (800, 533), tuple(rng.randrange(60, 200) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(14):
            x, y = rng.randrange(800), rng.randrange(533)
            radius = rng.randrange(30, 160)
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
        image.save(path, "JPEG", quality=70)


def iter_articles(count: int, seed: int, *, defects: bool = True) -> Iterator[Article]:
    people = make_people(seed)
    for index in range(count):
        yield make_article(index, people, seed, defects=defects)


def write_corpus(
    out_dir: Path,
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    formats: Sequence[str] = FORMATS,
    defects: bool = True,
) -> list[Article]:
    """Write ``count`` articles (and ``people.yaml`` and the images) under ``out_dir``; return them."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(sorted(unknown))}")
    out_dir.mkdir(parents=True, exist_ok=True)
    people = make_people(seed)
    registry = yaml.safe_dump([p.as_yaml() for p in people], sort_keys=False, allow_unicode=True)
    (out_dir / "people.yaml").write_text(registry, encoding="utf-8")
    write_images(out_dir / "images", seed)
    folders = {"md": out_dir / "posts", "html": out_dir / "html"}
    for fmt in formats:
        shutil.rmtree(folders[fmt], ignore_errors=True)
        folders[fmt].mkdir()
    articles = []
    for article in iter_articles(count, seed, defects=defects):
        if "md" in formats:
            (folders["md"] / f"{article.stem}.md").write_text(render_markdown(article), encoding="utf-8")
        if "html" in formats:
            (folders["html"] / f"{article.stem}.html").write_text(render_html(article), encoding="utf-8")
        article.body = ""  # keep memory flat for 10,000 articles; the files hold the text
        articles.append(article)
    return articles


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write posts/, html/, images/, people.yaml")
    parser.add_argument("--count", type=int, default=200, help="number of articles (default 200)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"corpus seed (default {DEFAULT_SEED})"
    )
    parser.add_argument("--formats", default="md,html", help="comma-separated: md, html (default both)")
    parser.add_argument("--clean", action="store_true", help="write no deliberate defects")
    args = parser.parse_args(argv)
    formats = [fmt.strip() for fmt in args.formats.split(",") if fmt.strip()]
    if args.count < 1:
        parser.error("--count must be at least 1")
    if not formats or set(formats) - set(FORMATS):
        parser.error(f"--formats takes md and/or html, not {args.formats!r}")
    articles = write_corpus(args.out_dir, args.count, seed=args.seed, formats=formats, defects=not args.clean)
    words = sorted(article.words for article in articles)
    with_defects = sum(1 for article in articles if article.defects)
    print(
        f"wrote {len(articles)} articles ({', '.join(formats)}) to {args.out_dir}: "
        f"{words[0]}-{words[-1]} words, median {words[len(words) // 2]}, {with_defects} with defects"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Full-text search over posts, one interface for both databases.

SQLite answers from the FTS5 table `posts_fts` (BM25, titles weighted above summaries above bodies);
PostgreSQL from the generated `posts.search_vector` column (`ts_rank` with weights A/B/C). User input
never reaches either query language as syntax: it is split into words, each word is quoted, every word
must match, and the last word also matches as a prefix ("garde" finds "garden").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text

from content_api.store.tables import PUBLISHED

# Words are runs of letters and digits; everything else (quotes, operators, brackets) separates them.
_WORD = re.compile(r"[^\W_]+")
# Longer queries add nothing but cost; the rest of the words are ignored.
MAX_TERMS = 16
# BM25 weights for (title, summary, body_text) on SQLite.
_SQLITE_WEIGHTS = "10.0, 4.0, 1.0"
# Only live posts in the requested statuses are ever found.
_FILTER = "posts.status IN :statuses AND posts.deleted_at IS NULL"


# PostgreSQL's English dictionary ignores these words; dropping them on both databases keeps the
# answers the same ("the garden" finds what "garden" finds, on SQLite too).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can did do does doing don down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself
    no nor not now of off on once only or other our ours ourselves out over own s same she should so some
    such t than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with you your yours
    yourself yourselves""".split()  # noqa: SIM905 - a word block reads better than 127 quoted items
)


def search_terms(query: str) -> list[str]:
    """The words of a user's query, lower-cased, without stop words, at most `MAX_TERMS`."""
    words = [word.lower() for word in _WORD.findall(query)]
    return [word for word in words if word not in STOP_WORDS][:MAX_TERMS]


def _fts5_query(terms: Sequence[str]) -> str:
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery(terms: Sequence[str]) -> str:
    quoted = [f"'{term}'" for term in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def _match_clause(conn: Connection) -> tuple[str, str]:
    """SQL fragments for this database: FROM and WHERE (match and filters), and the rank ordering."""
    if conn.dialect.name == "postgresql":
        return (
            "FROM posts, to_tsquery('english', :q) AS query "
            f"WHERE posts.search_vector @@ query AND {_FILTER}",
            "ts_rank(posts.search_vector, query) DESC",
        )
    return (
        f"FROM posts_fts JOIN posts ON posts.id = posts_fts.rowid WHERE posts_fts MATCH :q AND {_FILTER}",
        f"bm25(posts_fts, {_SQLITE_WEIGHTS})",
    )


def _query_text(conn: Connection, terms: Sequence[str]) -> str:
    return _tsquery(terms) if conn.dialect.name == "postgresql" else _fts5_query(terms)


def search_post_ids(
    conn: Connection,
    query: str,
    *,
    statuses: Sequence[str] = (PUBLISHED,),
    limit: int,
    offset: int = 0,
) -> list[int]:
    """Ids of the posts matching `query` with one of `statuses`, best match first, ties by id."""
    terms = search_terms(query)
    if not terms or not statuses or limit <= 0:
        return []
    source, rank = _match_clause(conn)
    statement = text(
        f"SELECT posts.id {source} ORDER BY {rank}, posts.id LIMIT :limit OFFSET :offset"
    ).bindparams(bindparam("statuses", expanding=True))
    rows = conn.execute(
        statement,
        {
            "q": _query_text(conn, terms),
            "statuses": list(statuses),
            "limit": limit,
            "offset": max(offset, 0),
        },
    )
    return [int(row[0]) for row in rows]


def count_search(conn: Connection, query: str, *, statuses: Sequence[str] = (PUBLISHED,)) -> int:
    """How many posts with one of `statuses` match `query`."""
    terms = search_terms(query)
    if not terms or not statuses:
        return 0
    source, _rank = _match_clause(conn)
    statement = text(f"SELECT count(*) {source}").bindparams(bindparam("statuses", expanding=True))
    return int(
        conn.execute(statement, {"q": _query_text(conn, terms), "statuses": list(statuses)}).scalar_one()
    )

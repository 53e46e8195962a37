"""The GraphQL documents the benchmarks send: a front end's post page and its news list."""

from __future__ import annotations

_POST_PAGE = """
query PostPage($slug: String!) {
  post(slug: $slug) {
    id slug title summary bodyHtml publishedAt updatedAt lang readingTimeMinutes
    featureImage { url alt caption width height }
    authors { id slug name pronouns role }
    tags { id slug name }%s
  }
}
""".strip()

# The post with its body, feature image, authors and tags.
POST_PAGE_QUERY = _POST_PAGE % ""
# The same with three related posts and their feature images, as the post page has.
_RELATED = "related(first: 3) { slug title summary publishedAt featureImage { url alt } }"
POST_PAGE_WITH_RELATED_QUERY = _POST_PAGE % f"\n    {_RELATED}"

# Twenty posts of the news list with their total, cursors, feature images, authors and tags.
LIST_QUERY = """
query NewsList($first: Int!) {
  posts(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id slug title summary publishedAt readingTimeMinutes
        featureImage { url alt width height }
        authors { slug name }
        tags { slug name }
      }
    }
  }
}
""".strip()

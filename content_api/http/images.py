"""`/images/{path}`: image files from the store, with validators for caching.

Only images a reader may see are served (see `store.queries.public_image_file`); any other path,
including an image that only a draft uses, is a plain 404.
"""

from __future__ import annotations

from email.utils import format_datetime

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from content_api.schema.permissions import scope_for_request
from content_api.store.image_urls import image_path_for_url
from content_api.store.queries import ImageFile, public_image_file

MAX_PATH_LENGTH = 500


class ImageEndpoint:
    def __init__(self, engine: Engine, max_age: int) -> None:
        self.engine = engine
        self.max_age = max_age

    def _load(self, path: str, request: Request) -> ImageFile | None:
        with self.engine.connect() as conn:
            return public_image_file(conn, scope_for_request(request), path)

    async def handle(self, request: Request) -> Response:
        path = image_path_for_url("/images/" + str(request.path_params["path"]))
        if path is None or len(path) > MAX_PATH_LENGTH or "\x00" in path:
            return PlainTextResponse("Not found\n", status_code=404)
        image = await run_in_threadpool(self._load, path, request)
        if image is None:
            return PlainTextResponse("Not found\n", status_code=404)
        etag = f'"{image.sha256}"'
        headers = {
            "ETag": etag,
            "Cache-Control": f"public, max-age={self.max_age}",
            "Last-Modified": format_datetime(image.updated_at, usegmt=True),
            "X-Content-Type-Options": "nosniff",
        }
        if etag in _etags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        return Response(image.data, media_type=image.media_type, headers=headers)


def _etags(header: str) -> set[str]:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
    return tags

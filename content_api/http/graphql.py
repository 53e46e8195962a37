"""`/graphql`: GraphQL over HTTP (GET and POST) per the GraphQL-over-HTTP specification.

Responses are `application/graphql-response+json` when the client accepts it (a request that fails to
parse, validate or coerce its variables gets status 400 and no `data` key), and the legacy
`application/json` otherwise (status 200 for every well-formed request). Mutations are refused over
GET with 405. GraphiQL is served to browsers in development mode only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import orjson
from graphql import GraphQLError
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.types.graphql import OperationType

from content_api.context import Context, RequestDatabase
from content_api.http.batch import batch_items, run_batch
from content_api.http.cache import HttpCaching
from content_api.http.errors import PAYLOAD_TOO_LARGE, Rejection, database_unavailable, is_database_outage
from content_api.http.guard import RequestGuard
from content_api.http.negotiation import JSON, accepts_html, choose_media_type
from content_api.http.planned import PlannedReads
from content_api.schema.errors import Stage, format_error, is_expected
from content_api.schema.permissions import scope_for_request
from content_api.schema.schema import ContentSchema
from content_api.services.auth import ANONYMOUS, AuthenticationFailed, Principal, authenticate
from content_api.settings import Settings

BAD_REQUEST = "BAD_REQUEST"
UNAUTHENTICATED = "UNAUTHENTICATED"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"


class RequestProblem(Exception):
    """The HTTP request is not a GraphQL request this endpoint can run."""

    def __init__(
        self, status: int, message: str, code: str = BAD_REQUEST, headers: dict[str, str] | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = headers or {}


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


@cache
def _graphiql_html() -> str:
    return get_graphql_ide_html("graphiql")


class GraphQLEndpoint:
    """Runs GraphQL requests against `schema`, with a fresh `Context` per request."""

    def __init__(self, schema: ContentSchema, engine: Engine, settings: Settings) -> None:
        self.schema = schema
        self.engine = engine
        self.settings = settings
        self.caching = HttpCaching(engine, settings)
        # Limits, persisted queries, timeouts and database faults (content_api/http/guard.py).
        self.guard = RequestGuard(schema._schema, engine, settings.limits, dev_mode=settings.dev_mode)
        # Read queries through compiled plans, graphql-core for everything else (content_api/http/planned.py).
        self.planned = (
            PlannedReads(
                schema._schema,
                engine,
                settings.limits.query_timeout,
                settings.reads_in_flight,
                json_answers=settings.json_answers,
            )
            if settings.compiled_plans
            else None
        )

    def close(self) -> None:
        """Let go of what the endpoint keeps between requests (at shutdown)."""
        self.caching.close()
        if self.planned is not None:
            self.planned.close()

    async def handle(self, request: Request) -> Response:
        known = await self.caching.replay_known(request)
        if known is not None:
            return known
        media_type = choose_media_type(request.headers.get("accept"))
        if (
            request.method in ("GET", "HEAD")
            and self.settings.dev_mode
            and accepts_html(request.headers.get("accept"))
            and "query" not in request.query_params
        ):
            return HTMLResponse(_graphiql_html())
        if media_type is None:
            return Response(
                "Not acceptable: ask for application/graphql-response+json or application/json.\n",
                status_code=406,
                media_type="text/plain",
            )
        try:
            reads_url = request.method in ("GET", "HEAD")
            params = await (self._from_get(request) if reads_url else self._from_post(request))
        except RequestProblem as problem:
            return self._problem_response(problem, media_type)
        except Rejection as rejection:
            return self._rejection_response(rejection, media_type)
        if isinstance(params, list):
            return await run_batch(params, lambda item: self._guarded(request, item, media_type), media_type)
        return await self._guarded(request, params, media_type)

    async def _guarded(
        self, request: Request, params: GraphQLRequest | dict[str, Any], media_type: str
    ) -> Response:
        """Run one operation under the limits, the timeout and the database fault handling."""
        try:
            if isinstance(params, dict):  # an operation of a batch, not yet read
                params = _parse_params(self.guard.resolve(params))
            self.guard.check(params.query, params.variables, params.extensions)
            return await self._execute(request, params, media_type)
        except RequestProblem as problem:
            return self._problem_response(problem, media_type)
        except Rejection as rejection:
            return self._rejection_response(rejection, media_type)
        except DBAPIError as error:
            if not is_database_outage(error):
                raise
            return self._rejection_response(database_unavailable(), media_type)

    # --- reading the request ----------------------------------------------------------------------

    async def _from_get(self, request: Request) -> GraphQLRequest:
        query_params = request.query_params
        return _parse_params(
            self.guard.resolve(
                {
                    "query": query_params.get("query"),
                    "variables": _json_param(query_params.get("variables"), "variables"),
                    "operationName": query_params.get("operationName"),
                    "extensions": _json_param(query_params.get("extensions"), "extensions"),
                }
            )
        )

    async def _from_post(self, request: Request) -> GraphQLRequest | list[dict[str, Any]]:
        content_type = request.headers.get("content-type", "")
        mime, _, parameters = content_type.partition(";")
        if mime.strip().lower() != "application/json":
            raise RequestProblem(415, "POST requests need Content-Type: application/json.")
        charset = _charset(parameters)
        if charset not in (None, "utf-8", "utf8"):
            raise RequestProblem(415, "Request bodies must be UTF-8 encoded.")
        max_body = self.settings.limits.max_body_bytes
        too_large = RequestProblem(413, f"Request body larger than {max_body} bytes.", PAYLOAD_TOO_LARGE)
        declared = request.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > max_body:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            chunks.append(chunk)
            size += len(chunk)
            if size > max_body:
                raise too_large
        body = b"".join(chunks)
        if not body:
            raise RequestProblem(400, "The request body is empty; send a JSON object with a `query`.")
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise RequestProblem(400, "The request body is not valid JSON.") from None
        if isinstance(payload, list):
            return batch_items(payload, self.settings.limits.max_batch)
        if not isinstance(payload, dict):
            raise RequestProblem(400, "The request body must be a JSON object.")
        return _parse_params(self.guard.resolve(payload))

    # --- running it -------------------------------------------------------------------------------

    async def _execute(self, request: Request, params: GraphQLRequest, media_type: str) -> Response:
        allowed = (
            {OperationType.QUERY}
            if request.method in ("GET", "HEAD")
            else {OperationType.QUERY, OperationType.MUTATION}
        )
        try:
            principal = await self._principal(request)
        except AuthenticationFailed as error:
            problem = RequestProblem(401, str(error), UNAUTHENTICATED, {"WWW-Authenticate": "Bearer"})
            return self._problem_response(problem, media_type)
        scope = scope_for_request(request, principal)
        base_url = self._image_base_url(request)
        lookup = await self.caching.lookup(
            params.query, params.variables, params.operation_name, principal, scope, media_type, base_url
        )
        if lookup.answer is not None:
            return self.caching.replay(lookup, request)
        if self.planned is not None:
            data = await self.planned.answer(
                params.query,
                params.operation_name,
                params.variables,
                scope=scope,
                image_base_url=base_url,
                principal=principal,
            )
            if data is not None:
                response = _json_response({"data": data}, 200, media_type)
                return self.caching.finish(lookup, request, response, succeeded=True)
        context = Context.create(self.engine, scope, base_url, principal)
        try:
            result = await self.guard.execute(
                self.schema.execute(
                    params.query,
                    variable_values=params.variables,
                    context_value=context,
                    operation_name=params.operation_name,
                    allowed_operation_types=allowed,
                    operation_extensions=params.extensions,
                )
            )
        except InvalidOperationTypeError as error:
            if error.operation_type is OperationType.MUTATION:
                problem = RequestProblem(
                    405, "Mutations are only accepted over POST.", METHOD_NOT_ALLOWED, {"Allow": "POST"}
                )
            else:
                problem = RequestProblem(400, "Subscriptions are not supported over HTTP.")
            return self._problem_response(problem, media_type)
        except CannotGetOperationTypeError as error:
            problem = RequestProblem(400, error.as_http_error_reason(), "GRAPHQL_VALIDATION_FAILED")
            return self._problem_response(problem, media_type, status_for_json=200)
        response = self._result_response(result, media_type)
        return self.caching.finish(lookup, request, response, succeeded=not result.errors)

    async def _principal(self, request: Request) -> Principal:
        header = request.headers.get("authorization")
        if header is None:
            return ANONYMOUS

        def check(conn: Connection) -> Principal:
            return authenticate(conn, header)

        return await RequestDatabase(self.engine).run(check)

    def _image_base_url(self, request: Request) -> str:
        if self.settings.public_url:
            return self.settings.public_url
        scope = request.scope
        server = scope.get("server")
        return _base_url(
            scope.get("scheme", "http"),
            tuple(server) if server is not None else None,
            request.headers.get("host"),
            scope.get("app_root_path", scope.get("root_path", "")),
        )

    # --- writing the response ---------------------------------------------------------------------

    def _result_response(self, result: ExecutionResult, media_type: str) -> Response:
        errors = list(result.errors or [])
        stage = _stage_of(result, errors)
        body: dict[str, Any] = {}
        if stage is Stage.EXECUTION:
            body["data"] = result.data
        if errors:
            body["errors"] = [format_error(error, stage) for error in errors]
        # Legacy application/json answers 200 to every well-formed request.
        status = 200 if stage is Stage.EXECUTION or media_type == JSON else 400
        if any(not is_expected(error) for error in errors) and stage is not Stage.EXECUTION:
            status = 500
        return _json_response(body, status, media_type)

    def _problem_response(
        self, problem: RequestProblem, media_type: str, *, status_for_json: int | None = None
    ) -> Response:
        status = status_for_json if status_for_json is not None and media_type == JSON else problem.status
        body = {"errors": [{"message": str(problem), "extensions": {"code": problem.code}}]}
        return _json_response(body, status, media_type, problem.headers)

    def _rejection_response(self, rejection: Rejection, media_type: str) -> Response:
        use_json_status = rejection.status_for_json is not None and media_type == JSON
        status = rejection.status_for_json if use_json_status else rejection.status
        return _json_response(
            {"errors": [rejection.error()]}, status or rejection.status, media_type, rejection.headers
        )


@lru_cache(maxsize=256)
def _base_url(scheme: str, server: tuple[str, int] | None, host: str | None, root_path: str) -> str:
    """The request's base URL (as Starlette's `Request.base_url` gives it) without a trailing slash;
    worked out once per host a server is reached by."""
    scope = {
        "type": "http",
        "scheme": scheme,
        "server": server,
        "path": "/",
        "root_path": root_path,
        "query_string": b"",
        "headers": [] if host is None else [(b"host", host.encode("latin-1"))],
    }
    return str(Request(scope).base_url).rstrip("/")


def _stage_of(result: ExecutionResult, errors: list[GraphQLError]) -> Stage:
    if isinstance(result, PreExecutionError):
        return Stage.DOCUMENT
    if result.data is None and errors and all(error.path is None for error in errors):
        # graphql-core stops before resolving anything when the variables do not coerce.
        return Stage.VARIABLES
    return Stage.EXECUTION


def _json_response(
    body: dict[str, Any], status: int, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    response = Response(
        orjson.dumps(body), status_code=status, media_type=f"{media_type}; charset=utf-8", headers=headers
    )
    response.headers["Vary"] = "Accept"
    return response


def _charset(parameters: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _json_param(raw: str | None, name: str) -> Any:
    if raw is None or raw == "":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise RequestProblem(400, f"The `{name}` parameter is not valid JSON.") from None


def _parse_params(payload: dict[str, Any]) -> GraphQLRequest:
    query = payload.get("query")
    if query is None:
        raise RequestProblem(400, "Missing `query`: send the GraphQL document as a string.")
    if not isinstance(query, str):
        raise RequestProblem(400, "`query` must be a string.")
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestProblem(400, "`variables` must be a JSON object or null.")
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestProblem(400, "`operationName` must be a string or null.")
    extensions = payload.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestProblem(400, "`extensions` must be a JSON object or null.")
    return GraphQLRequest(query, variables, operation_name, extensions)

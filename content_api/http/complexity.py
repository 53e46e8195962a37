"""Checks a GraphQL document against the limits before anything resolves.

Runs on every request ahead of execution, so a refused document costs one parse and one walk of its
syntax tree, and no resolver, loader or database call. Parsing stops at the token limit, so an
oversized document is refused without being read to its end.

Cost estimates how many fields a document will resolve: every field costs 1 for each time it is
resolved. A list field with a `first` argument, or the list (`edges`) directly inside a connection
field with one, resolves its selections up to `first` times (the given value, a variable's value, or
the argument's default); any other list field `UNBOUNDED_LIST_SIZE` times. `first` counts at most 100,
the bound every resolver enforces with BAD_USER_INPUT. Fragments are
measured once each, so a document cannot make the walk itself expensive.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    VariableNode,
    get_named_type,
    parse,
    value_from_ast_untyped,
)

from content_api.http.errors import (
    BAD_REQUEST,
    INTROSPECTION_DISABLED,
    QUERY_TOO_COMPLEX,
    QUERY_TOO_DEEP,
    QUERY_TOO_LONG,
    TOO_MANY_ALIASES,
    TOO_MANY_TOKENS,
    Rejection,
    document_rejection,
)
from content_api.http.limits import Limits
from content_api.http.screen import screen
from content_api.schema.pagination import MAX_PAGE_SIZE

# Assumed length of a list field without `first` (a post's tags or authors, the tag list).
UNBOUNDED_LIST_SIZE = 10
# Documents whose analysis is kept; front ends send a small, fixed set of queries.
CACHE_SIZE = 512
# Costs kept per document, by the values of its page-size variables.
COSTS_PER_DOCUMENT = 64
# A variable the request did not give (its default applies), told apart from an explicit null.
_UNSET = object()
# Validation compares every two selections with the same response name in a selection set, at about
# 1.4 µs a pair; legitimate documents repeat a field only where fragments overlap (`id`, `slug`).
MAX_REPEATED_PAIRS = 500
# Costs stop growing here, so a fragment bomb's estimate stays a small number.
_COST_CEILING = 10**15
# Refused in production: the whole schema in one answer. `__type(name:)` stays available there (the
# schema is public as schema.graphql, and GraphQL-over-HTTP conformance checks rely on it), but its
# depth and cost count like any other field's; in development introspection is exempt from both, so
# GraphiQL's deep introspection query runs.
_SCHEMA_DUMP = "__schema"


@dataclass(slots=True)
class _Document:
    """What a document is, independent of its variables."""

    node: DocumentNode | None
    # A refusal that does not depend on the variables (tokens, depth, aliases, introspection).
    rejection: Rejection | None = None
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    # The variables its cost depends on (those given as `first`), once a first walk has found them,
    # and its costs by their values: the walk runs once per document and set of page sizes.
    cost_variables: tuple[str, ...] | None = None
    costs: dict[tuple[Any, ...], int] = field(default_factory=dict)


class DocumentGuard:
    """Refuses documents over `limits`; keeps the verdicts of recent documents."""

    def __init__(self, schema: GraphQLSchema, limits: Limits, *, introspection: bool) -> None:
        self._schema = schema
        self._limits = limits
        self._introspection = introspection
        self._cache: OrderedDict[str, _Document] = OrderedDict()

    def check(self, query: str, variables: Mapping[str, Any] | None) -> None:
        """Raise `Rejection` when `query` with `variables` is over a limit.

        A document that does not parse for any other reason passes: the executor then reports the
        syntax error the usual way (GRAPHQL_PARSE_FAILED).
        """
        if not query:
            raise Rejection(400, "The `query` is empty; send a GraphQL document.", BAD_REQUEST)
        document = self._document(query)
        if document.rejection is not None:
            raise document.rejection
        if document.node is None:
            return
        cost = self._cost(document, variables or {})
        if cost > self._limits.max_cost:
            raise document_rejection(
                f"Query cost {_shown(cost)} exceeds the limit of {self._limits.max_cost}; ask for fewer "
                "items (`first`) or fewer nested lists.",
                QUERY_TOO_COMPLEX,
                limit=self._limits.max_cost,
                cost=_shown(cost),
            )

    def _cost(self, document: _Document, variables: Mapping[str, Any]) -> int:
        key: tuple[Any, ...] | None = None
        if document.cost_variables is not None:
            key = tuple(variables.get(name, _UNSET) for name in document.cost_variables)
            if all(value is _UNSET or type(value) is int for value in key):
                known = document.costs.get(key)
                if known is not None:
                    return known
            else:
                key = None  # not page sizes at all: the executor refuses them; no need to keep this
        assert document.node is not None
        walk = _CostWalk(
            self._schema, document.fragments, variables, exempt_introspection=self._introspection
        )
        cost = walk.document(document.node)
        if document.cost_variables is None:
            document.cost_variables = tuple(sorted(walk.variables_read))
            key = tuple(variables.get(name, _UNSET) for name in document.cost_variables)
            if not all(value is _UNSET or type(value) is int for value in key):
                key = None
        if key is not None and len(document.costs) < COSTS_PER_DOCUMENT:
            document.costs[key] = cost
        return cost

    def _document(self, query: str) -> _Document:
        cached = self._cache.get(query)
        if cached is not None:
            self._cache.move_to_end(query)
            return cached
        document = self._analyse(query)
        self._cache[query] = document
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return document

    def _analyse(self, query: str) -> _Document:
        limits = self._limits
        if len(query) > limits.max_query_chars:
            rejection = document_rejection(
                f"The query is longer than {limits.max_query_chars} characters; pass large values as "
                "variables.",
                QUERY_TOO_LONG,
                limit=limits.max_query_chars,
            )
            return _Document(None, rejection)
        screening = screen(
            query,
            max_tokens=limits.max_tokens,
            max_aliases=limits.max_aliases,
            max_depth=limits.max_depth,
            exempt_introspection=self._introspection,
        )
        if screening.over == "tokens":
            return _Document(None, _too_many_tokens(limits))
        if screening.over == "aliases":
            return _Document(None, _too_many_aliases(limits))
        if screening.over == "depth":
            return _Document(None, _too_deep(limits))
        try:
            node = parse(query, no_location=True, max_tokens=limits.max_tokens)
        except GraphQLSyntaxError as error:
            return _Document(None, _syntax_rejection(error, limits))
        except RecursionError:
            return _Document(None, _too_deep(limits))
        fragments = {
            definition.name.value: definition
            for definition in node.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        try:
            walk = _ShapeWalk(
                self._schema, fragments, limits.max_depth, exempt_introspection=self._introspection
            )
            shape = walk.document(node)
        except RecursionError:
            return _Document(None, _too_deep(limits))
        if shape.depth > limits.max_depth:
            return _Document(None, _too_deep(limits))
        if shape.aliases > limits.max_aliases:
            return _Document(None, _too_many_aliases(limits))
        if shape.repeated_pairs > MAX_REPEATED_PAIRS:
            rejection = document_rejection(
                "The query repeats the same fields too often; ask for each field once per selection.",
                QUERY_TOO_COMPLEX,
                repeatedPairs=shape.repeated_pairs,
            )
            return _Document(None, rejection)
        if shape.introspects and not self._introspection:
            rejection = document_rejection(
                "Introspection is disabled on this server; the schema is published as schema.graphql.",
                INTROSPECTION_DISABLED,
            )
            return _Document(None, rejection)
        return _Document(node, None, fragments)


def _syntax_rejection(error: GraphQLSyntaxError, limits: Limits) -> Rejection | None:
    message = error.message
    if "more than" in message and "tokens" in message:
        return _too_many_tokens(limits)
    if "nested too deeply" in message:
        return _too_deep(limits)
    return None


def _too_many_tokens(limits: Limits) -> Rejection:
    return document_rejection(
        f"The query has more than {limits.max_tokens} tokens.", TOO_MANY_TOKENS, limit=limits.max_tokens
    )


def _too_many_aliases(limits: Limits) -> Rejection:
    return document_rejection(
        f"The query uses more than {limits.max_aliases} aliases.", TOO_MANY_ALIASES, limit=limits.max_aliases
    )


def _too_deep(limits: Limits) -> Rejection:
    return document_rejection(
        f"The query nests fields deeper than the limit of {limits.max_depth}.",
        QUERY_TOO_DEEP,
        limit=limits.max_depth,
    )


def _shown(cost: int) -> int:
    return min(cost, _COST_CEILING)


def _field_definition(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if name == "__type":
        return TypeMetaFieldDef
    if name == "__schema":
        return SchemaMetaFieldDef
    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        return parent.fields.get(name)
    return None


@dataclass(slots=True)
class _Shape:
    depth: int = 0
    aliases: int = 0
    introspects: bool = False
    # Pairs of selections with the same response name in one selection set (fragments expanded).
    repeated_pairs: int = 0


class _ShapeWalk:
    """Depth (nested fields, as Strawberry's depth limiter counts them), aliases and introspection.

    Aliases are counted where they are written, so a fragment's aliases count once. The walk stops
    descending once the depth is over the limit, which also bounds its recursion.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        limit: int,
        *,
        exempt_introspection: bool,
    ):
        self._schema = schema
        self._fragments = fragments
        self._limit = limit
        self._exempt = exempt_introspection
        self._fragment_depth: dict[str, int] = {}
        self._open: set[str] = set()
        self._names_of: dict[str, Counter[str]] = {}
        self._open_names: set[str] = set()
        self.shape = _Shape()

    def document(self, node: DocumentNode) -> _Shape:
        for definition in node.definitions:
            if isinstance(definition, (OperationDefinitionNode, FragmentDefinitionNode)):
                self._count_aliases(definition.selection_set)
        for definition in node.definitions:
            if isinstance(definition, OperationDefinitionNode):
                depth = self._selection_depth(definition.selection_set, 0)
                self.shape.depth = max(self.shape.depth, depth)
        return self.shape

    def _count_aliases(self, selection_set: SelectionSetNode) -> None:
        stack = [selection_set]
        while stack:
            current = stack.pop()
            self._count_repeats(current)
            for selection in current.selections:
                if isinstance(selection, FieldNode):
                    if selection.alias is not None:
                        self.shape.aliases += 1
                    if selection.name.value == _SCHEMA_DUMP:
                        self.shape.introspects = True
                if isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set:
                    stack.append(selection.selection_set)

    def _count_repeats(self, selection_set: SelectionSetNode) -> None:
        names = self._response_names(selection_set)
        self.shape.repeated_pairs += sum(count * (count - 1) // 2 for count in names.values())

    def _response_names(self, selection_set: SelectionSetNode) -> Counter[str]:
        """How often each response name occurs in `selection_set`, with its fragments expanded."""
        names: Counter[str] = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, InlineFragmentNode):
                names.update(self._response_names(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                names.update(self._fragment_names(selection.name.value))
        return names

    def _fragment_names(self, name: str) -> Counter[str]:
        fragment = self._fragments.get(name)
        if fragment is None or name in self._open_names:
            return Counter()  # unknown or cyclic: validation reports it
        known = self._names_of.get(name)
        if known is None:
            self._open_names.add(name)
            known = self._response_names(fragment.selection_set)
            self._open_names.discard(name)
            self._names_of[name] = known
        return known

    def _selection_depth(self, selection_set: SelectionSetNode, reached: int) -> int:
        """The deepest nesting below `selection_set`, which sits `reached` fields below the root."""
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.selection_set is None or (
                    self._exempt and selection.name.value.startswith("__")
                ):
                    continue
                if reached + 1 > self._limit:
                    return self._limit + 1
                deepest = max(deepest, 1 + self._selection_depth(selection.selection_set, reached + 1))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self._selection_depth(selection.selection_set, reached))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._spread_depth(selection.name.value, reached))
            if deepest > self._limit:
                return deepest
        return deepest

    def _spread_depth(self, name: str, reached: int) -> int:
        fragment = self._fragments.get(name)
        if fragment is None or name in self._open:
            return 0  # unknown or cyclic: validation reports it
        known = self._fragment_depth.get(name)
        if known is None:
            self._open.add(name)
            known = self._selection_depth(fragment.selection_set, 0)
            self._open.discard(name)
            self._fragment_depth[name] = known
        return known


class _CostWalk:
    """The estimated number of field resolutions of a document's most expensive operation."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        *,
        exempt_introspection: bool,
    ) -> None:
        self._exempt = exempt_introspection
        self._schema = schema
        self._fragments = fragments
        self._variables = variables
        self._defaults: dict[str, Any] = {}
        self._fragment_cost: dict[tuple[str, int | None], int] = {}
        self._open: set[str] = set()
        # Names of the variables whose values the estimate used (given as `first`).
        self.variables_read: set[str] = set()

    def document(self, node: DocumentNode) -> int:
        worst = 0
        for definition in node.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            self._defaults = {
                variable.variable.name.value: value_from_ast_untyped(variable.default_value)
                for variable in definition.variable_definitions or ()
                if variable.default_value is not None
            }
            root = self._schema.get_root_type(definition.operation)
            worst = max(worst, self._selection_cost(definition.selection_set, root))
        return worst

    def _selection_cost(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, bound: int | None = None
    ) -> int:
        """Cost of one resolution of `selection_set`; `bound` is the `first` its list fields obey."""
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent, bound)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._schema.get_type(condition.name.value) if condition is not None else parent
                total += self._selection_cost(selection.selection_set, inner, bound)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._spread_cost(selection.name.value, bound)
        return min(total, _COST_CEILING)

    def _spread_cost(self, name: str, bound: int | None) -> int:
        fragment = self._fragments.get(name)
        if fragment is None or name in self._open:
            return 0  # unknown or cyclic: validation reports it
        known = self._fragment_cost.get((name, bound))
        if known is None:
            self._open.add(name)
            condition = self._schema.get_type(fragment.type_condition.name.value)
            known = self._selection_cost(fragment.selection_set, condition, bound)
            self._open.discard(name)
            self._fragment_cost[(name, bound)] = known
        return known

    def _field_cost(self, node: FieldNode, parent: GraphQLNamedType | None, bound: int | None) -> int:
        name = node.name.value
        if name == "__typename" or (self._exempt and name.startswith("__")):
            return 0
        if node.selection_set is None:
            return 1
        definition = _field_definition(parent, name)
        if definition is None:
            return 1  # an unknown field: validation reports it
        field_type = definition.type
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        is_list = isinstance(field_type, GraphQLList)
        child_bound = None
        if "first" in definition.args:
            first = self._first(node, definition)
            # A list with `first` repeats by it; a connection passes it on to its `edges`.
            repeats, child_bound = (first, None) if is_list else (1, first)
        elif is_list:
            repeats = bound if bound is not None else UNBOUNDED_LIST_SIZE
        else:
            repeats = 1
        inner = self._selection_cost(node.selection_set, get_named_type(definition.type), child_bound)
        return min(1 + repeats * inner, _COST_CEILING)

    def _first(self, node: FieldNode, definition: GraphQLField) -> int:
        value: Any = definition.args["first"].default_value
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                name = argument.value.name.value
                self.variables_read.add(name)
                value = self._variables.get(name, self._defaults.get(name, value))
        if type(value) is not int:
            return MAX_PAGE_SIZE  # not an integer: the executor refuses it; assume the worst meanwhile
        return max(0, min(value, MAX_PAGE_SIZE))

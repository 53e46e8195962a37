"""Compiled plans: read queries answered without graphql-core's executor.

A front end sends the same few queries all day. For each distinct document (and operation name) this
module works out once, ahead of any request, what graphql-core would otherwise work out for every
field of every request: which fields each selection set collects (fragments and aliases merged), how
each field gets its value (an attribute of the object, or the schema's own resolver), how it is
completed (leaf serialisers, lists, nested objects, non-null checks) and which arguments are fixed.
Running a plan then costs a loop over prepared steps per object.

Nothing about the answers is written twice: a plan calls the same resolver functions with arguments
converted by Strawberry's own `convert_arguments` (Strawberry's wrapper around them is reproduced in
one frame for fields without extensions, see `_direct_call`), the same loaders batch the same store
calls, and leaves go through the serialisers graphql-core uses (the built-in scalars' values that
serialise to themselves skip the call). Only the scheduling differs: resolvers run in `waves.Waves`
instead of asyncio tasks, with every store call made synchronously on one connection.

What a plan does not cover it refuses up front (`compile_plan` returns None): mutations and
subscriptions, documents that do not validate, `@skip`/`@include` and other directives, introspection
beyond `__typename`, fields of interface or union type. And when anything goes wrong while a plan
runs (a resolver raises, a non-null field is null, variables do not coerce, a resolver waits on
something other than a loader) `execute` raises `PlanAbandoned` (and a fault in the compiler itself
leaves the document without a plan); the caller then runs the request
through graphql-core, which produces the answer with its errors exactly as before. Reads have no side
effects, so running a request twice changes nothing but its cost.
"""

from __future__ import annotations

import keyword
import logging
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from types import CoroutineType
from typing import Any, NamedTuple

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    default_field_resolver,
    get_nullable_type,
    get_operation_ast,
    parse,
    specified_rules,
)
from graphql.execution.get_variable_signature import GraphQLVariableSignature, get_variable_signature
from graphql.execution.values import (
    VariableValues,
    VariableValueSource,
    get_argument_values,
    get_variable_values,
)
from strawberry.schema.schema import validate_document

from content_api.schema.compiling import STRAWBERRY_DEFINITION, argument_converter, uses_variables
from content_api.schema.json_plans import JsonPlan, compile_json_plan
from content_api.schema.waves import Waves

_log = logging.getLogger(__name__)

# Compiled documents kept per process (front ends send a small, fixed set).
PLAN_CACHE_SIZE = 512


class Unsupported(Exception):
    """The document uses something plans do not cover; graphql-core runs it instead."""


class PlanAbandoned(Exception):
    """A plan stopped partway; the request must be answered by graphql-core."""


class _Null(Exception):
    """A non-null field resolved to null."""


# ---------------------------------------------------------------------------------------------------
# Running a plan


class _ResolveInfo:
    """What the schema's resolvers are given as graphql-core's resolve info.

    Strawberry wraps it in its `Info`; the resolvers read `info.context` only. Anything else they
    might read is missing, so a resolver that needs more abandons the plan instead of misbehaving.
    """

    __slots__ = ("context", "field_name", "parent_type", "return_type")

    def __init__(
        self, context: Any, field_name: str, return_type: GraphQLOutputType, parent_type: GraphQLObjectType
    ) -> None:
        self.context = context
        self.field_name = field_name
        self.return_type = return_type
        self.parent_type = parent_type


class _Run:
    """One request's execution of a plan."""

    __slots__ = ("context", "infos", "variables", "waves")

    def __init__(self, waves: Waves, context: Any, variables: Any) -> None:
        self.waves = waves
        self.context = context
        self.variables = variables
        # The resolve info of each resolver step, made on its first call in this request.
        self.infos: dict[object, Any] = {}


Complete = Callable[[Any, _Run], Any]

_TYPENAME, _ATTRIBUTE, _RESOLVER = 0, 1, 2


@dataclass(slots=True)
class _Step:
    """How one response key of an object's answer is produced."""

    key: str
    kind: int
    # The type name (`__typename`) or the attribute read (a field without a resolver).
    name: str
    complete: Complete
    resolve: Callable[..., Any] | None = None
    args: dict[str, Any] | None = None
    # Set when the arguments use variables: they are coerced per request from these.
    field_def: GraphQLField | None = None
    node: FieldNode | None = None
    parent_type: GraphQLObjectType | None = None
    # For String, ID, Boolean and Int fields: the test (on `v`) that a value is already what serialising
    # it gives (see `_PASSTHROUGH`), so the generated code can skip the call.
    passthrough: str | None = None
    # A Strawberry resolver the generated code calls itself (see `_Compiler._direct`).
    direct: _Direct | None = None


@dataclass(frozen=True, slots=True)
class _Direct:
    """How Strawberry calls a field's resolver function, for fields without extensions."""

    function: Callable[..., Any]
    takes_self: bool
    info_name: str | None
    root_name: str | None
    # Strawberry's `Info` for the field, from graphql-core's resolve info.
    make_info: Callable[[Any], Any]
    # Converts graphql-core's argument values to the function's keyword arguments (None: it takes none).
    convert: Callable[[dict[str, Any], Any], dict[str, Any]] | None
    # The converted keyword arguments, when they are fixed in the document and plain scalars.
    converted: dict[str, Any] | None


class _Deliver:
    """Completes a resolver's result into its place once the resolver has finished."""

    __slots__ = ("complete", "key", "out", "run")

    def __init__(self, out: dict[str, Any], key: str, complete: Complete, run: _Run) -> None:
        self.out = out
        self.key = key
        self.complete = complete
        self.run = run

    def __call__(self, value: Any) -> None:
        self.out[self.key] = self.complete(value, self.run)


def _or_null(complete_value: Complete, nullable: bool) -> Complete:
    """`complete_value` for values that are not None; None is the answer, or an error if not nullable."""

    def complete(value: Any, run: _Run) -> Any:
        if value is None:
            if nullable:
                return None
            raise _Null
        return complete_value(value, run)

    return complete


def _leaf(type_: GraphQLScalarType | GraphQLEnumType) -> Complete:
    coerce = type_.coerce_output_value

    def serialise(value: Any) -> Any:
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise _Null
        return coerced

    # The built-in scalars give these values back as they are (graphql-core's serialisers return them
    # unchanged); skipping the call is all the shortcut does. Anything else is serialised.
    if type_ is GraphQLString or type_ is GraphQLID:

        def complete_text(value: Any, run: _Run) -> Any:
            return value if type(value) is str else serialise(value)

        return complete_text
    if type_ is GraphQLBoolean:

        def complete_boolean(value: Any, run: _Run) -> Any:
            return value if type(value) is bool else serialise(value)

        return complete_boolean
    if type_ is GraphQLInt:

        def complete_int(value: Any, run: _Run) -> Any:
            return (
                value
                if type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT
                else serialise(value)
            )

        return complete_int

    def complete(value: Any, run: _Run) -> Any:
        return serialise(value)

    return complete


_BUILT_IN_SCALARS = (GraphQLString, GraphQLID, GraphQLBoolean, GraphQLInt)
_BUILT_IN_INPUTS = (*_BUILT_IN_SCALARS, GraphQLFloat)


def _list(inner: Complete) -> Complete:
    def complete(value: Any, run: _Run) -> Any:
        if isinstance(value, (str, bytes, dict)):
            raise PlanAbandoned("a list field returned a non-list")
        return [inner(item, run) for item in value]

    return complete


# For the built-in scalars: the test that a value `v` is one graphql-core's serialiser gives back
# unchanged (the same as `_leaf`'s shortcuts), written into generated code.
_PASSTHROUGH = {
    "String": "type(v) is str",
    "ID": "type(v) is str",
    "Boolean": "type(v) is bool",
    "Int": f"type(v) is int and {GRAPHQL_MIN_INT} <= v <= {GRAPHQL_MAX_INT}",
}
# Strawberry marks an object cast to a type with this attribute (`strawberry.cast`).
_CAST_ATTRIBUTE = "__as_strawberry_type__"

Fill = Callable[[Any, _Run], dict[str, Any]]


def _generate_fill(type_: GraphQLObjectType, steps: tuple[_Step, ...]) -> Fill:
    """A function writing the answer for one object of `type_`: one statement per response key.

    Generating the code once per selection set (as graphql-jit does for JavaScript) replaces the loop
    over steps, and its calls and branches per key, with straight-line code; what each key does is
    exactly what its step says. Values are passed in through the function's namespace, never written
    into its source, except response keys and names (GraphQL names, written with `repr`).
    """
    namespace: dict[str, Any] = {
        "CoroutineType": CoroutineType,
        "_ResolveInfo": _ResolveInfo,
        "_Deliver": _Deliver,
        "PlanAbandoned": PlanAbandoned,
        "get_argument_values": get_argument_values,
    }
    lines = ["def fill(source, run):"]
    is_type_of = type_.is_type_of
    if is_type_of is not None:
        # Strawberry's check, skipped when the value is a plain instance of the type's own class.
        definition = (type_.extensions or {}).get(STRAWBERRY_DEFINITION)
        namespace["is_type_of"] = is_type_of
        namespace["ORIGIN"] = getattr(definition, "origin", None)
        message = f"a resolver returned something that is not a {type_.name}"
        lines += [
            f"    if type(source) is not ORIGIN or getattr(source, {_CAST_ATTRIBUTE!r}, None) is not None:",
            "        if not is_type_of(source, None):",
            f"            raise PlanAbandoned({message!r})",
        ]
    lines.append("    out = {}")
    for index, step in enumerate(steps):
        key = repr(step.key)
        complete = f"complete{index}"
        namespace[complete] = step.complete
        if step.kind == _TYPENAME:
            lines.append(f"    out[{key}] = {step.name!r}")
            continue
        if step.kind == _ATTRIBUTE:
            name = step.name
            read = (
                f"source.{name}"
                if name.isidentifier() and not keyword.iskeyword(name)
                else f"getattr(source, {name!r})"
            )
            lines.append(f"    v = {read}")
            if step.passthrough is not None:
                lines.append(f"    out[{key}] = v if {step.passthrough} else {complete}(v, run)")
            else:
                lines.append(f"    out[{key}] = {complete}(v, run)")
            continue
        assert step.field_def is not None
        lines += _resolver_call(step, index, namespace)
        lines += [
            "    if type(r) is CoroutineType:",
            f"        out[{key}] = None  # holds the key's place; filled when the resolver finishes",
            f"        run.waves.start(r, _Deliver(out, {key}, {complete}, run))",
            "    else:",
            f"        out[{key}] = {complete}(r, run)",
        ]
    lines.append("    return out")
    exec(compile("\n".join(lines), f"<plan for {type_.name}>", "exec"), namespace)
    fill: Fill = namespace["fill"]
    return fill


def _resolver_call(step: _Step, index: int, namespace: dict[str, Any]) -> list[str]:
    """Lines setting `r` to the result of the step's resolver, with its info made once per request."""
    assert step.field_def is not None
    slot = f"slot{index}"
    namespace[slot] = object()
    namespace[f"make{index}"] = _info_maker(step)
    lines = [
        f"    info = run.infos.get({slot})",
        "    if info is None:",
        f"        info = run.infos[{slot}] = make{index}(run.context)",
    ]
    if step.args is None:
        namespace[f"field{index}"] = step.field_def
        namespace[f"node{index}"] = step.node
        values = f"get_argument_values(field{index}, node{index}, run.variables)"
    else:
        namespace[f"args{index}"] = step.args
        values = f"args{index}"
    direct = step.direct
    if direct is None:
        namespace[f"resolve{index}"] = step.resolve
        arguments = f", **{values}" if step.args is None or step.args else ""
        return [*lines, f"    r = resolve{index}(source, info{arguments})"]
    namespace[f"function{index}"] = direct.function
    parts = ["source"] if direct.takes_self else []
    if direct.info_name is not None:
        parts.append(f"{direct.info_name}=info")
    if direct.root_name is not None:
        parts.append(f"{direct.root_name}=source")
    if direct.converted is not None:
        namespace[f"converted{index}"] = direct.converted
        parts.append(f"**converted{index}")
    elif direct.convert is not None:
        namespace[f"convert{index}"] = direct.convert
        parts.append(f"**convert{index}({values}, info)")
    return [*lines, f"    r = function{index}({', '.join(parts)})"]


def _info_maker(step: _Step) -> Callable[[Any], Any]:
    assert step.field_def is not None
    name, return_type, parent = step.name, step.field_def.type, step.parent_type
    direct = step.direct
    if direct is None:
        return lambda context: _ResolveInfo(context, name, return_type, parent)  # type: ignore[arg-type]
    make = direct.make_info
    return lambda context: make(_ResolveInfo(context, name, return_type, parent))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Plan:
    """A compiled query operation."""

    operation: OperationDefinitionNode
    fill: Fill
    schema: GraphQLSchema
    # Per variable, when every variable is a built-in scalar without a default (see
    # `_coerce_plainly`); None sends every request's variables through graphql-core.
    plain_variables: tuple[_PlainVariable, ...] | None = None
    # The same answer as one statement writing JSON (`json_plans`), when the document allows it.
    json: JsonPlan | None = None

    def coerce(self, variables: dict[str, Any] | None) -> Any:
        """The request's variables as graphql-core coerces them (None when the operation has none);
        `PlanAbandoned` when they do not coerce."""
        if not self.operation.variable_definitions:
            return None
        coerced: Any = self._coerce_plainly(variables or {})
        if coerced is None:
            coerced = get_variable_values(self.schema, self.operation.variable_definitions, variables or {})
        if isinstance(coerced, list):
            raise PlanAbandoned("the variables do not coerce")
        return coerced

    def execute(
        self, context: Any, waves: Waves, variables: dict[str, Any] | None, *, coerced: Any = Undefined
    ) -> dict[str, Any]:
        """The `data` of the answer; `PlanAbandoned` when graphql-core must answer instead.

        `context` must read through `waves` (its loaders made by `waves.loader`) and through a
        database whose calls complete at once (`content_api.context.HeldConnection`). `coerced`:
        the variables already coerced by `coerce`.
        """
        if coerced is Undefined:
            coerced = self.coerce(variables)
        run = _Run(waves, context, coerced)
        try:
            data = self.fill(None, run)
            waves.run()
        except PlanAbandoned:
            waves.abandon()
            raise
        except Exception as error:
            waves.abandon()
            raise PlanAbandoned(f"{type(error).__name__}: {error}") from error
        return data

    def _coerce_plainly(self, variables: dict[str, Any]) -> VariableValues | None:
        """The coerced variables when graphql-core would give them back unchanged, else None.

        Only values that graphql-core's coercion returns as they are pass (a string for String or
        ID, an int in range for Int, a bool for Boolean, a finite float for Float, null for a
        nullable variable); anything else, including every value it would convert or refuse, is
        left to graphql-core. A variable not given is left out, as graphql-core leaves it out.
        """
        specs = self.plain_variables
        if specs is None:
            return None
        sources: dict[str, VariableValueSource] = {}
        coerced: dict[str, Any] = {}
        for name, signature, accepts, non_null in specs:
            if name not in variables:
                if non_null:
                    return None
                sources[name] = VariableValueSource(signature)
                continue
            value = variables[name]
            if value is None:
                if non_null:
                    return None
            elif not accepts(value):
                return None
            sources[name] = VariableValueSource(signature, value)
            coerced[name] = value
        return VariableValues(sources, coerced)


class _PlainVariable(NamedTuple):
    name: str
    signature: GraphQLVariableSignature
    accepts: Callable[[Any], bool]
    non_null: bool


_PLAIN_INPUTS: dict[str, Callable[[Any], bool]] = {
    "String": lambda value: type(value) is str,
    "ID": lambda value: type(value) is str,
    "Int": lambda value: type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT,
    "Boolean": lambda value: type(value) is bool,
    "Float": lambda value: type(value) is float and math.isfinite(value),
}


def _plain_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode
) -> tuple[_PlainVariable, ...] | None:
    specs = []
    for definition in operation.variable_definitions or ():
        if definition.default_value is not None or definition.directives:
            return None
        signature = get_variable_signature(schema, definition)
        if isinstance(signature, GraphQLError):
            return None
        non_null = isinstance(signature.type, GraphQLNonNull)
        named = get_nullable_type(signature.type)
        if named not in _BUILT_IN_INPUTS:
            return None
        accepts = _PLAIN_INPUTS[named.name]  # type: ignore[union-attr]
        specs.append(_PlainVariable(signature.name, signature, accepts, non_null))
    return tuple(specs)


# ---------------------------------------------------------------------------------------------------
# Compiling a document


class _Compiler:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments

    def fields(
        self, type_: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        """The fields the selection sets collect on `type_` by response key (fragments, aliases merged)."""
        grouped: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for selection_set in selection_sets:
            self._collect(type_, selection_set, grouped, visited)
        return grouped

    def selection(
        self, type_: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> tuple[_Step, ...]:
        grouped = self.fields(type_, selection_sets)
        return tuple(self._step(type_, key, nodes) for key, nodes in grouped.items())

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        condition_type = self.schema.get_type(condition)
        if condition_type is type_:
            return True
        if condition_type is None or isinstance(condition_type, GraphQLObjectType):
            return False
        return self.schema.is_sub_type(condition_type, type_)  # type: ignore[arg-type]

    def _collect(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode,
        grouped: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise Unsupported("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, type_):
                    self._collect(type_, selection.selection_set, grouped, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = self.fragments.get(name)
                if fragment is not None and self._applies(fragment.type_condition.name.value, type_):
                    self._collect(type_, fragment.selection_set, grouped, visited)
            else:
                raise Unsupported(type(selection).__name__)

    def _step(self, parent: GraphQLObjectType, key: str, nodes: list[FieldNode]) -> _Step:
        node = nodes[0]
        name = node.name.value
        if name == "__typename":
            return _Step(key, _TYPENAME, parent.name, _leaf_passthrough)
        field_def = parent.fields.get(name)
        if field_def is None:
            raise Unsupported(f"field {parent.name}.{name}")  # introspection, or not valid
        sub_sets = [n.selection_set for n in nodes if n.selection_set is not None]
        complete = self._completer(field_def.type, sub_sets)
        resolve = field_def.resolve
        strawberry_field = (field_def.extensions or {}).get(STRAWBERRY_DEFINITION)
        if resolve is not None and getattr(resolve, "_is_default", False) and strawberry_field is not None:
            named = get_nullable_type(field_def.type)
            passthrough = _PASSTHROUGH.get(named.name) if named in _BUILT_IN_SCALARS else None
            return _Step(key, _ATTRIBUTE, strawberry_field.python_name, complete, passthrough=passthrough)
        step = _Step(key, _RESOLVER, name, complete, resolve or default_field_resolver)
        step.field_def, step.node, step.parent_type = field_def, node, parent
        if not any(uses_variables(argument.value) for argument in node.arguments or ()):
            step.args = get_argument_values(field_def, node)
        if resolve is not None and strawberry_field is not None:
            step.direct = self._direct(strawberry_field, step.args)
        return step

    def _direct(self, field: Any, fixed_args: dict[str, Any] | None) -> _Direct | None:
        """How Strawberry calls the field's resolver function, for the generated code to do the same.

        Strawberry's resolver for a field with no field extensions and no exception handlers builds
        its `Info`, converts the arguments and calls the function: the generated code does that
        itself, without Strawberry's wrapping layers (and with the `Info` made once per request, the
        arguments converted once per plan when they are fixed scalars). Any other field keeps
        Strawberry's resolver.
        """
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        resolver = field.base_resolver
        if strawberry_schema is None or resolver is None or field.extensions:
            return None
        converter = strawberry_schema.schema_converter
        if getattr(converter, "_exception_handler_specs", None) != ():
            return None
        if resolver.parent_parameter is not None:
            return None
        root_name = resolver.root_parameter.name if resolver.root_parameter is not None else None
        info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None
        if not all(
            name is None or (name.isidentifier() and not keyword.iskeyword(name))
            for name in (root_name, info_name)
        ):
            return None
        arguments = field.arguments
        info_class = strawberry_schema.config.info_class

        def make_info(raw_info: Any) -> Any:
            return info_class(_raw_info=raw_info, _field=field)

        convert = argument_converter(strawberry_schema, field)

        converted = None
        if arguments and fixed_args is not None and all(_is_plain(argument.type) for argument in arguments):
            converted = convert(fixed_args, None)
        return _Direct(
            function=resolver.wrapped_func,
            takes_self=resolver.self_parameter is not None,
            info_name=info_name,
            root_name=root_name,
            make_info=make_info,
            convert=convert if arguments else None,
            converted=converted if arguments else None,
        )

    def _completer(self, type_: GraphQLOutputType, sub_sets: list[SelectionSetNode]) -> Complete:
        nullable = True
        if isinstance(type_, GraphQLNonNull):
            nullable = False
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            return _or_null(_list(self._completer(type_.of_type, sub_sets)), nullable)
        if isinstance(type_, (GraphQLScalarType, GraphQLEnumType)):
            return _or_null(_leaf(type_), nullable)
        if isinstance(type_, GraphQLObjectType):
            return _or_null(_generate_fill(type_, self.selection(type_, sub_sets)), nullable)
        raise Unsupported(f"fields of type {type_}")


def _is_plain(type_: Any) -> bool:
    """True for the Python types of arguments whose converted value is the value itself."""
    return type_ in (str, int, float, bool) or (
        getattr(type_, "of_type", None) is not None and _is_plain(type_.of_type)
    )


def _leaf_passthrough(value: Any, run: _Run) -> Any:
    return value


def compile_plan(schema: GraphQLSchema, query: str, operation_name: str | None) -> Plan | None:
    """The plan for the query operation `operation_name` of `query`, or None when plans do not cover it
    (including documents that do not parse or validate: graphql-core reports those)."""
    try:
        document = parse(query)
        if validate_document(schema, document, tuple(specified_rules)):
            return None
        operation = get_operation_ast(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        if operation.directives:
            return None
        fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        root = schema.query_type
        if root is None:
            return None
        compiler = _Compiler(schema, fragments)
        steps = compiler.selection(root, [operation.selection_set])
        fill = _generate_fill(root, steps)
        json_plan = compile_json_plan(schema, root, operation.selection_set, compiler.fields)
    except (Unsupported, GraphQLError, RecursionError):
        return None
    return Plan(operation, fill, schema, _plain_variables(schema, operation), json_plan)


class PlanCache:
    """Compiled plans by document and operation name, bounded; None is remembered too."""

    def __init__(self, schema: GraphQLSchema, size: int = PLAN_CACHE_SIZE) -> None:
        self._schema = schema
        self._size = size
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()

    def get(self, query: str, operation_name: str | None) -> Plan | None:
        key = (query, operation_name)
        plans = self._plans
        if key in plans:
            plans.move_to_end(key)
            return plans[key]
        try:
            plan = compile_plan(self._schema, query, operation_name)
        except Exception:  # a fault in the compiler must not cost the request: graphql-core answers
            _log.exception("could not compile a plan; graphql-core answers this document")
            plan = None
        plans[key] = plan
        if len(plans) > self._size:
            plans.popitem(last=False)
        return plan

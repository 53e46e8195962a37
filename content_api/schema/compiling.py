"""What compiled plans (`plans.py`) and JSON plans (`json_plans.py`) both read from a document and
from Strawberry's definitions behind the graphql-core schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import ListValueNode, ObjectValueNode, ValueNode, VariableNode
from strawberry.types.arguments import convert_arguments

# Strawberry keeps its own field (and type) definition on each graphql-core field (and type) under
# this key.
STRAWBERRY_DEFINITION = "strawberry-definition"

# Converts graphql-core's argument values (and the resolve info, or None) to a resolver's keyword
# arguments.
ArgumentConverter = Callable[[dict[str, Any], Any], dict[str, Any]]


def uses_variables(value: ValueNode) -> bool:
    """Whether an argument's value refers to a variable anywhere inside it."""
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(uses_variables(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(uses_variables(field.value) for field in value.fields)
    return False


def argument_converter(strawberry_schema: Any, field: Any) -> ArgumentConverter:
    """Strawberry's own conversion of a field's arguments, as its resolver wrapper does it."""
    arguments = field.arguments
    config = strawberry_schema.config
    registry = strawberry_schema.schema_converter.scalar_registry

    def convert(values: dict[str, Any], info: Any) -> dict[str, Any]:
        converted: dict[str, Any] = convert_arguments(
            values, arguments, scalar_registry=registry, config=config, info=info
        )
        return converted

    return convert

"""The base of every model (a mashumaro dataclass), and what to say when one cannot be read.

mashumaro does the reading; this module adds what the clouds' loose answers
need on top (an object where an object belongs, an array where an array
belongs, optionally "" and PHP's `[]` for an empty object as missing) and
turns mashumaro's nested errors into one line naming the member the way the
answer spells it: `reponse[0].weekSchedule[1][0].end: required member is missing`.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from dataclasses import dataclass
import types
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin, get_type_hints

from mashumaro import DataClassDictMixin
from mashumaro.exceptions import InvalidFieldValue, MissingField
from mashumaro.types import Alias

from .strategies import Unreadable, expected

#: What reading a model may raise; the request path turns these into CloudResponseError.
MODEL_ERRORS = (LookupError, ValueError, TypeError)


@dataclass(frozen=True, slots=True)
class _Member:
    """One field of a model as the answer spells it."""

    name: str
    type: Any
    aliases: tuple[str, ...]
    kind: type | None  # tuple for arrays, a model for objects, None for anything else
    custom: bool  # read by a function of its own, which does its own checks


class Model(DataClassDictMixin):
    """A model read from a cloud's JSON; subclasses are frozen kw-only dataclasses.

    Unknown members are ignored, as mashumaro does by default.
    """

    __slots__ = ()

    #: Whether "" (and `[]` where an object belongs) reads as a missing member.
    BLANKS_ARE_MISSING: ClassVar[bool] = False

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """Check the shape mashumaro takes on trust (objects, arrays)."""
        if not isinstance(d, Mapping):
            raise expected("an object", d)
        shape = _shape(cls)
        if cls.BLANKS_ARE_MISSING:
            objects = shape.objects
            d = {k: v for k, v in d.items() if v != "" and not (v == [] and k in objects)}
        for member in shape.arrays:
            value = _value(d, member.aliases)
            if value is not None and not isinstance(value, list):
                raise InvalidFieldValue(member.name, member.type, value, cls) from expected(
                    "an array", value
                )
        return dict(d)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the pre-pass checks of one model, worked out once (it runs for every object)."""

    arrays: tuple[_Member, ...]  # members that must be arrays
    objects: frozenset[str]  # aliases of members that are objects


_SHAPES: dict[type, _Shape] = {}


def _shape(cls: type) -> _Shape:
    if (shape := _SHAPES.get(cls)) is None:
        members = [member for member in _members(cls) if not member.custom]
        shape = _SHAPES[cls] = _Shape(
            arrays=tuple(m for m in members if m.kind is tuple),
            objects=frozenset(
                alias for m in members if m.kind not in (None, tuple) for alias in m.aliases
            ),
        )
    return shape


def prepare_models(base: type[Model] = Model) -> None:
    """Work out every model's shape now, while its module is imported.

    Reading a model's type hints takes milliseconds: left to its first answer,
    that would be done in the event loop. Called at the end of each module of models.
    """
    for cls in base.__subclasses__():
        if hasattr(cls, "__dataclass_fields__"):  # not the bases without members
            _shape(cls)
        prepare_models(cls)


def _value(data: Mapping[Any, Any], aliases: tuple[str, ...]) -> Any:
    """The member under the first alias present, None when none is."""
    return next((data[alias] for alias in aliases if alias in data), None)


_MEMBERS: dict[type, tuple[_Member, ...]] = {}


def _members(cls: type) -> tuple[_Member, ...]:
    """The fields of a model, worked out once per model."""
    if cls in _MEMBERS:
        return _MEMBERS[cls]
    hints = get_type_hints(cls, include_extras=True)
    _MEMBERS[cls] = members = tuple(
        _Member(
            name=field.name,
            type=hints[field.name],
            aliases=_aliases(field, hints[field.name]),
            kind=_kind(hints[field.name]),
            custom=field.metadata.get("deserialize") is not None,
        )
        for field in dataclasses.fields(cls)
    )
    return members


def _aliases(field: dataclasses.Field[Any], hint: Any) -> tuple[str, ...]:
    """The member's names in the answer, in the order mashumaro tries them.

    Models spell aliases as `Annotated[..., Alias("roomId")]`, never in field metadata.
    """
    names = [extra.name for extra in getattr(hint, "__metadata__", ()) if isinstance(extra, Alias)]
    return tuple(names) or (field.name,)


def _kind(hint: Any) -> type | None:
    """Tuple for an array member, the model for an object member, None otherwise."""
    if get_origin(hint) is Annotated:
        hint = get_args(hint)[0]
    if get_origin(hint) in (Union, types.UnionType):
        hint = next((arg for arg in get_args(hint) if arg is not type(None)), None)
    if get_origin(hint) is tuple:
        return tuple
    return hint if isinstance(hint, type) and issubclass(hint, Model) else None


# -- what went wrong -----------------------------------------------------------------------


def describe(err: BaseException) -> str:
    """Where in the answer a model failed, and why; never a value of the answer.

    mashumaro chains one `InvalidFieldValue` per nesting level; each names a
    field and holds the member's value, in which the next level is found.
    """
    path = ""
    while isinstance(err, InvalidFieldValue):
        inner = err.__cause__ or err.__context__
        path = _join(path, _names(err.holder_class, err.field_name)[0])
        path += _index(err.field_value, inner)
        if inner is None:
            break
        err = inner
    if isinstance(err, MissingField):
        names = _names(err.holder_class, err.field_name)
        if len(names) == 1:
            return f"{_join(path, names[0])}: required member is missing"
        reason = "neither " + " nor ".join(repr(name) for name in names) + " is present"
    elif isinstance(err, Unreadable):
        reason = str(err)
    else:
        reason = f"unreadable ({type(err).__name__})"
    return f"{path}: {reason}" if path else reason


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _names(holder: type, field_name: str) -> tuple[str, ...]:
    member = next((m for m in _members(holder) if m.name == field_name), None)
    return member.aliases if member is not None else (field_name,)


def _index(value: Any, inner: BaseException | None) -> str:
    """The position ("[1][0]") of the item of an array that caused `inner`, if found."""
    if not isinstance(value, list):
        return ""
    for position, item in enumerate(value):
        if isinstance(item, list) and (deeper := _index(item, inner)):
            return f"[{position}]{deeper}"
        if _caused(item, inner):
            return f"[{position}]"
    return ""


def _caused(item: Any, err: BaseException | None) -> bool:
    """Whether this item of an array is the one `err` was raised for."""
    if isinstance(err, Unreadable):
        return item is err.value
    if not isinstance(item, Mapping):
        return False
    if isinstance(err, InvalidFieldValue):
        names = _names(err.holder_class, err.field_name)
        return any(item.get(name) is err.field_value for name in names)
    if isinstance(err, MissingField):
        names = _names(err.holder_class, err.field_name)
        return all(item.get(name) in (None, "") for name in names)
    return False

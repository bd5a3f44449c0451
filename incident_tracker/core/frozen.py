"""A quicker `__init__` for the frozen, slotted dataclasses the engine builds by the thousand.

A frozen dataclass's generated `__init__` stores every field through `object.__setattr__(self,
"name", value)`, which looks the name up again for each field; an `Obligation` has 27 of them. The
`__init__` made here stores each field straight through its slot descriptor: the same signature,
defaults and values, the instance as frozen as before (assignment still raises
`FrozenInstanceError`), in about half the time.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Replace the `__init__` of a `@dataclass(frozen=True, slots=True)` class (applied above
    the `@dataclass` line). Fields must take plain defaults (no factories, no `init=False`)."""
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    assert vars(cls)["__dataclass_params__"].frozen and hasattr(cls, "__slots__")
    assert not hasattr(cls, "__post_init__")
    namespace: dict[str, Any] = {}
    signature: list[str] = []
    body: list[str] = []
    for f in params:
        assert f.init and f.default_factory is dataclasses.MISSING, f.name
        if f.default is dataclasses.MISSING:
            signature.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            signature.append(f"{f.name}=_default_{f.name}")
        namespace[f"_store_{f.name}"] = getattr(cls, f.name).__set__
        body.append(f"    _store_{f.name}(self, {f.name})\n")
    source = f"def __init__(self, {', '.join(signature)}):\n{''.join(body)}"
    exec(source, namespace)  # the same technique `dataclasses` uses to make `__init__`
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    init.__annotations__ = dict(cls.__init__.__annotations__)
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


__all__ = ["quick_init"]

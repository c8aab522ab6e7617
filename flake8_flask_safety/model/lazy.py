"""``cached_property`` without a lock.

Python 3.11's ``functools.cached_property`` takes a lock on the first read of every instance's
property (3.12 dropped it); the model computes about thirty per linted file. A file's model is
used by one thread, so the lock buys nothing here.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar, overload

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 (named as the functools one it stands for)
    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        # A non-data descriptor: once stored, the instance's own value is found first.
        value = instance.__dict__[self.name] = self.compute(instance)
        return value

"""Interface compliance of a loaded plugin object: the methods each kind must have.

- adapter: a subclass of ``atp_core.protocol.Adapter`` with ``async execute(request, sink)``
  and an attrs ``config_type``; built as ``cls(config)``.
- evaluator: a class with an attrs ``config_type`` and ``async evaluate(ctx)``; built as
  ``cls(config, spec)``.
- reporter: a class with ``render(result) -> str`` (optionally an attrs ``config_type``,
  then built as ``cls(config)``), or a renderer function ``fn(result, options) -> str``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import attrs

from atp_core.plugins._discovery import PluginKind
from atp_core.protocol import Adapter


def interface_problems(kind: PluginKind, obj: object) -> list[str]:
    """Every way ``obj`` fails the interface of ``kind`` (empty when it complies)."""
    checks: dict[PluginKind, Callable[[Any], list[str]]] = {
        "adapter": _adapter, "evaluator": _evaluator, "reporter": _reporter,
    }
    return checks[kind](obj)


def _adapter(obj: Any) -> list[str]:
    if not (inspect.isclass(obj) and issubclass(obj, Adapter)):
        return [f"{_what(obj)} is not a subclass of atp_core.protocol.Adapter"]
    problems = _method(obj, "execute", ("request", "sink"), is_async=True)
    missing = sorted(getattr(obj, "__abstractmethods__", ()))
    problems += [f"abstract method {name!r} is not implemented" for name in missing
                 if name != "execute"]
    problems += _config_type(obj, required=True)
    problems += _constructor(obj, 1)
    return problems


def _evaluator(obj: Any) -> list[str]:
    if not inspect.isclass(obj):
        return [f"{_what(obj)} is not a class"]
    problems = _method(obj, "evaluate", ("ctx",), is_async=True)
    problems += _config_type(obj, required=True)
    problems += _constructor(obj, 2)
    return problems


def _reporter(obj: Any) -> list[str]:
    if inspect.isfunction(obj):
        return _arity(obj, 2, "renderer function")
    if not inspect.isclass(obj):
        return [f"{_what(obj)} is neither a class nor a renderer function"]
    problems = _method(obj, "render", ("result",), is_async=False)
    problems += _config_type(obj, required=False)
    problems += _constructor(obj, 1 if getattr(obj, "config_type", None) is not None else 0)
    return problems


def _method(cls: type, name: str, params: tuple[str, ...], *, is_async: bool) -> list[str]:
    method = inspect.getattr_static(cls, name, None)
    shown = f"{'async ' if is_async else ''}{name}({', '.join(params)})"
    if method is None or getattr(method, "__isabstractmethod__", False):
        return [f"missing method {shown}"]
    if not callable(method):
        return [f"{name!r} is not a method"]
    if inspect.iscoroutinefunction(method) != is_async:
        return [f"{name} must be {'async' if is_async else 'a plain (not async) method'}: "
                f"{shown}"]
    return _arity(method, len(params) + 1, f"method {shown}")


def _arity(fn: Callable[..., Any], count: int, what: str) -> list[str]:
    try:
        inspect.signature(fn).bind(*range(count))
    except TypeError:
        return [f"{what} must accept {count} positional argument"
                f"{'s' if count != 1 else ''}"]
    except ValueError:
        return []  # builtins without a signature cannot be checked; nothing to say
    return []


def _constructor(cls: type, count: int) -> list[str]:
    try:
        inspect.signature(cls).bind(*range(count))
    except TypeError:
        args = ("config", "spec")[:count]
        return [f"{cls.__name__}({', '.join(args)}) cannot be called: the constructor "
                f"must accept {count} positional argument{'s' if count != 1 else ''}"]
    except ValueError:
        return []
    return []


def _config_type(cls: type, *, required: bool) -> list[str]:
    config_type = getattr(cls, "config_type", None)
    if config_type is None:
        return ["missing config_type (an attrs class)"] if required else []
    if not (inspect.isclass(config_type) and attrs.has(config_type)):
        return [f"config_type {_what(config_type)} is not an attrs class"]
    return []


def _what(obj: object) -> str:
    return repr(getattr(obj, "__qualname__", None) or type(obj).__name__)

"""The version of the plugin API this ATP offers, and the check of a plugin's declared range."""

from __future__ import annotations

PLUGIN_API_VERSION = "1.0"
"""The ATP plugin API version. A plugin declares the range it supports as a PEP 440
specifier (``atp_plugin_api = ">=1.0,<2"``); a plugin whose range excludes this version is
unavailable."""


def api_problem(declared: object) -> str | None:
    """Why a declared plugin API range rules this ATP out, or ``None`` if it is compatible."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    if not isinstance(declared, str) or not declared.strip():
        return "declares no plugin API range (set atp_plugin_api, e.g. '>=1.0,<2')"
    try:
        spec = SpecifierSet(declared)
    except InvalidSpecifier:
        return f"plugin API range {declared!r} is not a PEP 440 version specifier"
    if PLUGIN_API_VERSION not in spec:
        return f"supports plugin API {declared!r}, but this ATP offers {PLUGIN_API_VERSION}"
    return None

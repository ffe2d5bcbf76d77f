"""Protocol version tolerance: any 1.x is accepted, other majors are refused."""

from __future__ import annotations

from atp_core.errors import ProtocolVersionError

SUPPORTED_MAJOR = 1


def check_version(version: object) -> str:
    """Return ``version`` if it is a supported ``MAJOR.MINOR`` string, else raise."""
    if not isinstance(version, str):
        raise ProtocolVersionError(f"protocol version must be a string like '1.0', got {version!r}")
    major, dot, minor = version.partition(".")
    if not (major.isdigit() and dot and minor.isdigit()):
        raise ProtocolVersionError(f"protocol version must look like MAJOR.MINOR, got {version!r}")
    if int(major) != SUPPORTED_MAJOR:
        raise ProtocolVersionError(
            f"protocol version {version} is not supported; this ATP speaks {SUPPORTED_MAJOR}.x"
        )
    return version

"""The one error tree of ATP.

::

    AtpError
    ├── ConfigError            bad configuration (file, environment, flag)
    ├── SuiteError             a suite file is invalid; carries every SuiteProblem
    ├── ProtocolVersionError   a message speaks an unsupported major version
    ├── AdapterError           the agent could not be used; ``kind`` names why
    │   ├── AgentTimeout       (also a TimeoutError) the deadline passed
    │   ├── AgentUnreachable   cannot connect, non-2xx, process would not start
    │   ├── AgentCrashed       the agent process died without a response
    │   └── AgentProtocolError the agent answered with something that is not ATP
    ├── EvaluatorError         an evaluator could not decide (becomes verdict ``error``)
    ├── SandboxError           the sandbox could not be set up
    ├── BudgetExceeded         a cost budget stops further runs
    └── StorageError           the results store failed

Errors inside a run become data in the run record; only the CLI turns them into
terminal output, without a traceback.
"""

from __future__ import annotations

import attrs


class AtpError(Exception):
    """Base of every error ATP raises on purpose."""


class ConfigError(AtpError):
    """Configuration could not be read or is invalid."""


@attrs.frozen(kw_only=True)
class SuiteProblem:
    """One problem in a suite file, located in the file."""

    message: str
    path: str = "$"
    file: str = "<suite>"
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line == 0:  # about the file as a whole (it cannot be read): no position
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message} (at {self.path})"


class SuiteError(AtpError):
    """A suite file is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[SuiteProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ProtocolVersionError(AtpError):
    """A message declares a protocol version this ATP does not speak."""


class AdapterError(AtpError):
    """The agent could not be used; ``kind`` is a short machine-readable reason."""

    kind: str = "adapter_error"


class AgentTimeout(AdapterError, TimeoutError):
    """The agent did not answer before its deadline."""

    kind = "timeout"


class AgentUnreachable(AdapterError):
    """The agent could not be reached (connection refused, non-2xx, no such command)."""

    kind = "unreachable"


class AgentCrashed(AdapterError):
    """The agent process ended without a valid response."""

    kind = "crashed"


class AgentProtocolError(AdapterError):
    """The agent's reply is not a valid ATP message."""

    kind = "protocol_error"


class EvaluatorError(AtpError):
    """An evaluator failed to judge a run; the run's verdict becomes ``error``."""


class SandboxError(AtpError):
    """Untrusted code could not be confined as requested."""


class BudgetExceeded(AtpError):
    """A cost budget was reached; remaining runs are cancelled."""


class StorageError(AtpError):
    """The results store could not read or write."""

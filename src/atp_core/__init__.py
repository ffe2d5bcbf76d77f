"""ATP core: the protocol, adapters, evaluators, runner and store of the Agent Test Platform.

Importing ``atp_core`` is light: submodules are imported on use.
"""

__version__ = "0.1.0"

"""An example ATP plugin: one adapter, one evaluator and one reporter."""

__version__ = "0.1.0"

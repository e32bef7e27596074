"""dialoog: a workbench for dialogue research with LHBT residents in Dutch municipalities."""

__version__ = "0.1.0"

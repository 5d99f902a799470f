"""The normalized spec: data model (`model`), type grammar (`types`), YAML I/O (`load`, `dump`)."""

from .dump import dump_spec
from .load import SpecError, load_spec, parse_spec
from .model import Spec

__all__ = ["Spec", "SpecError", "dump_spec", "load_spec", "parse_spec"]

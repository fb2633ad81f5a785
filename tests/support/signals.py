"""The signals the application declares, found the way a reader finds them: roadshow/<domain>/signals.py."""
from importlib import import_module
from pathlib import Path

from blinker import Signal

import roadshow

PACKAGE = Path(roadshow.__file__).parent


def declared_signals() -> dict[str, Signal]:
    """Every signal a domain declares in its signals.py, by 'domain.name'."""
    found = {}
    for path in sorted(PACKAGE.glob("*/signals.py")):
        module = import_module(f"roadshow.{path.parent.name}.signals")
        found |= {f"{path.parent.name}.{name}": value for name, value in vars(module).items()
                  if isinstance(value, Signal)}
    return found

"""Guard a child process of the tests against leaving the machine.

``cli.local_stack`` puts this folder first on the PYTHONPATH of the servers it
starts when COACH_NETWORK_GUARD=1 (tests/conftest.py sets it), so Python runs
this at start-up, before Rasa, uvicorn or the action server import anything.
A sitecustomize further down sys.path (a distribution's own) still runs.
"""

import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))

if os.environ.get("COACH_NETWORK_GUARD", "") == "1":
    if _here not in sys.path:
        sys.path.insert(0, _here)
    import coach_netguard

    coach_netguard.install()


def _run_shadowed_sitecustomize() -> None:
    from importlib.machinery import PathFinder

    others = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]
    spec = PathFinder.find_spec("sitecustomize", others)
    if spec is not None and spec.loader is not None and spec.origin != __file__:
        from importlib.util import module_from_spec

        spec.loader.exec_module(module_from_spec(spec))


_run_shadowed_sitecustomize()

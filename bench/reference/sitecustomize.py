# Benchmark-only shim, put on PYTHONPATH for the reference fence_evacuate run (never installed).
# fence_evacuate calls inspect.getargspec(), which Python 3.11 removed; give it back, built on
# inspect.getfullargspec(), only when it is missing. Nothing else is changed.
import inspect as _inspect

if not hasattr(_inspect, "getargspec"):
    import collections as _collections

    ArgSpec = _collections.namedtuple("ArgSpec", "args varargs keywords defaults")

    def getargspec(func):
        spec = _inspect.getfullargspec(func)
        return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)

    _inspect.ArgSpec = ArgSpec
    _inspect.getargspec = getargspec

# This file shadows the interpreter's own sitecustomize (Debian's installs an apport hook when
# available): run that one too, so the environment differs from the stock one only by the shim.
def _chain():
    import importlib.machinery
    import importlib.util
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

try:
    _chain()
except Exception:
    pass
del _chain

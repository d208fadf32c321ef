from .trace import Trace, TraceStartError, trace_of, trace_start

__all__ = ["Trace", "TraceStartError", "trace_of", "trace_start"]

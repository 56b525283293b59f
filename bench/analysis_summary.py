"""The analysis summary of a `vantage analyze` JSON report (it sits in a
check's evidence), shared by the capture benchmarks."""
import json


def find(o):
    if isinstance(o, dict):
        if "flows_cut_short" in o:
            return o
        for v in o.values():
            r = find(v)
            if r:
                return r
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r:
                return r
    return None


def load(path):
    s = find(json.load(open(path)))
    if s is None:
        raise SystemExit(f"{path}: no analysis summary in the report")
    return s

"""Checks a trace file against the Trace Event format (the JSON that
Perfetto and chrome://tracing open) and summarises it, for the tests of
mars-run --trace, the cluster and Python's execute(trace=...).

    trace_format.py FILE [--expect CAT:NAME=COUNT ...] [--expect-at-least ...]
                         [--process NAME ...]

validate(doc) raises ValueError naming the first event that breaks the
format:
  * the document is {"traceEvents": [...], ...};
  * every event has a name, a phase ("ph") and a pid; spans ("X") a ts and
    a non-negative dur in microseconds and a tid; counters ("C") numeric
    args; metadata ("M") a process_name or thread_name with args.name;
    async begin/end ("b"/"e") pairs share cat, name, pid and id, and the
    end does not come before the begin;
  * spans on one track (pid, tid) nest: a span that starts inside another
    ends inside it (a viewer draws them as a stack);
  * every track with spans is named.
"""

import argparse
import collections
import json
import sys

# Spans measured on one clock may start a rounding step before their parent.
EPS = 0.002


def _fail(i, event, why):
    raise ValueError("event %d %s: %s" % (i, json.dumps(event)[:200], why))


def validate(doc):
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"),
                                                   list):
        raise ValueError("not a trace: no traceEvents list")
    events = doc["traceEvents"]
    spans = collections.defaultdict(list)
    names = {}
    open_async = {}
    for i, e in enumerate(events):
        if not isinstance(e, dict):
            _fail(i, e, "not an object")
        for key in ("name", "ph", "pid"):
            if key not in e:
                _fail(i, e, "no %r" % key)
        if not isinstance(e["pid"], int):
            _fail(i, e, "pid is not an integer")
        ph = e["ph"]
        if ph == "M":
            if e["name"] not in ("process_name", "thread_name"):
                _fail(i, e, "unknown metadata")
            if not isinstance(e.get("args", {}).get("name"), str):
                _fail(i, e, "metadata without args.name")
            tid = e.get("tid") if e["name"] == "thread_name" else None
            names[(e["pid"], tid)] = e["args"]["name"]
            continue
        if not isinstance(e.get("ts"), (int, float)) or e["ts"] < 0:
            _fail(i, e, "no non-negative ts")
        if "cat" not in e:
            _fail(i, e, "no category")
        if ph == "X":
            if not isinstance(e.get("dur"), (int, float)) or e["dur"] < 0:
                _fail(i, e, "a span without a non-negative dur")
            if not isinstance(e.get("tid"), int):
                _fail(i, e, "a span without a tid")
            spans[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"],
                                                i, e))
        elif ph == "C":
            args = e.get("args")
            if not args or not all(isinstance(v, (int, float))
                                   for v in args.values()):
                _fail(i, e, "a counter needs numeric args")
        elif ph in ("b", "e"):
            key = (e["cat"], e["name"], e["pid"], e.get("id"))
            if e.get("id") is None:
                _fail(i, e, "an async event without an id")
            if ph == "b":
                if key in open_async:
                    _fail(i, e, "async id begun twice")
                open_async[key] = e["ts"]
            else:
                if key not in open_async:
                    _fail(i, e, "async end without its begin")
                if e["ts"] + EPS < open_async.pop(key):
                    _fail(i, e, "async end before its begin")
        else:
            _fail(i, e, "unknown phase %r" % ph)
        if "args" in e and not isinstance(e["args"], dict):
            _fail(i, e, "args is not an object")
    if open_async:
        raise ValueError("async spans never ended: %s" % list(open_async)[:3])
    for track, items in spans.items():
        if (track[0], None) not in names or track not in names:
            raise ValueError("track %s has spans but no name" % (track,))
        # Nesting: sorted by start (longest first), each span must end
        # inside every open span it starts inside.
        items.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for start, end, i, e in items:
            while stack and stack[-1][1] <= start + EPS:
                stack.pop()
            if stack and end > stack[-1][1] + EPS:
                _fail(i, e, "overlaps span %d on its track without nesting"
                      % stack[-1][2])
            stack.append((start, end, i))
    return events


def summary(events):
    """Counts of spans by (category, name), and the named tracks."""
    counts = collections.Counter()
    for e in events:
        if e["ph"] in ("X", "b"):
            counts[(e["cat"], e["name"])] += 1
    tracks = {e["args"]["name"] for e in events if e["ph"] == "M"}
    return counts, tracks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--expect", action="append", default=[],
                    help="CAT:NAME=COUNT spans exactly")
    ap.add_argument("--expect-at-least", action="append", default=[],
                    help="CAT:NAME=COUNT spans at least (NAME '*': any)")
    ap.add_argument("--track", action="append", default=[],
                    help="a track of this name exists")
    args = ap.parse_args()
    with open(args.file) as f:
        doc = json.load(f)
    try:
        events = validate(doc)
    except ValueError as e:
        print("invalid trace: %s" % e)
        return 1
    counts, tracks = summary(events)
    ok = True

    def count(spec):
        key, n = spec.rsplit("=", 1)
        cat, name = key.split(":", 1)
        if name == "*":
            got = sum(v for (c, _), v in counts.items() if c == cat)
        else:
            got = counts[(cat, name)]
        return key, int(n), got

    for spec in args.expect:
        key, n, got = count(spec)
        if got != n:
            print("expected %d spans %s, found %d" % (n, key, got))
            ok = False
    for spec in args.expect_at_least:
        key, n, got = count(spec)
        if got < n:
            print("expected at least %d spans %s, found %d" % (n, key, got))
            ok = False
    for t in args.track:
        if t not in tracks:
            print("no track named %r (tracks: %s)" % (t, sorted(tracks)))
            ok = False
    if ok:
        print("valid trace: %d events" % len(events))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

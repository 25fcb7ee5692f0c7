"""When, in CPU time, each photo's codes came and which pass found them (issue 19: what the budget can drop to).

    .venv/bin/python bench/barcodes/trace.py                  # every photo, the default 0.25 s CPU budget
    .venv/bin/python bench/barcodes/trace.py --size 12MP --late 0.2 --budget 0.6

One process, one photo at a time, budget and times in this process's CPU time (as run.py --cpu-clock). For each
photo: the CPU ms at which every expected code had been offered and confirmed, the step that offered the last one,
the locator's count of areas and whether the whole-view rows pass found anything; then the photos found late, and
what an early stop ("nothing located and nothing read by the first passes") would lose and save.
Needs the corpus cached by run.py.
"""

import argparse
import json
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus


def traced_search(data: bytes, budget: float, known: Callable[[str], bool]) -> tuple[Any, list, list]:
    """One photo's search with every read noted: (the search or None if refused, events, timeline).

    events: (CPU ms, step, gtin, confirmed) each time a code appears or becomes confirmed; timeline: (CPU ms after
    the read, step, the view's pixels) for every read.
    """
    from claimkit.adapters.decoders import Photo, ScanRefused
    from claimkit.adapters.decoders.search import _Search

    events: list[tuple[float, str, str, bool]] = []
    timeline: list[tuple[float, str, int]] = []
    started = time.process_time()

    class Traced(_Search):
        def read(self, decoder: str, reader: Any, view: Any, step: str) -> None:
            super().read(decoder, reader, view, step)
            ms = (time.process_time() - started) * 1000
            timeline.append((round(ms, 1), step, view.image.width * view.image.height))
            for candidate in self.candidates.values():
                state = self.confirmed(candidate)
                if not any(gtin == candidate.scan.gtin and ok == state for _, _, gtin, ok in events):
                    events.append((ms, step, candidate.scan.gtin, state))

    try:
        search = Traced(Photo(data), budget, True, known)
        search.run()
    except ScanRefused:
        return None, events, timeline
    return search, events, timeline


def trace(directory: Path, samples: list[corpus.Sample], budget: float) -> list[dict]:
    """Runs each photo's search, noting the CPU time and step of every new code (see `traced_search`)."""
    from claimkit.adapters.decoders import search as decoder_search

    clock = types.SimpleNamespace(monotonic=time.process_time, process_time=time.process_time)
    decoder_search.time = clock  # type: ignore[assignment]
    known = frozenset(corpus.load_codes()[0]).__contains__
    rows = []
    for sample in samples:
        data = (directory / f"{sample.name}.jpg").read_bytes()
        started = time.process_time()
        search, events, timeline = traced_search(data, budget, known)
        total = (time.process_time() - started) * 1000
        codes = sample.codes
        offered = {gtin: (ms, step) for ms, step, gtin, _ in reversed(events)}
        confirmed = {gtin: ms for ms, _, gtin, ok in reversed(events) if ok}
        steps = search.steps if search else []
        located = next((int(s.split()[1]) for s in steps if s.startswith("located")), -1)
        rows.append(
            {
                "name": sample.name,
                "size": sample.size,
                "decodable": sample.decodable,
                "kind": sample.kind,
                "tags": sample.tags,
                "total": total,
                "offered_at": max((offered[c][0] for c in codes), default=None) if codes <= set(offered) else None,
                "confirmed_at": max((confirmed[c] for c in codes), default=None) if codes <= set(confirmed) else None,
                "step": max((offered[c] for c in codes), default=(0, ""))[1] if codes <= set(offered) else "",
                "first_any": min((ms for ms, *_ in events), default=None),
                "wrong": sorted(set(offered) - codes),
                "located": located,
                "steps": steps,
                "timeline": timeline,
                "regions": [(r.energy, r.direction) for r in getattr(search, "located", [])],
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget", type=float, default=0.25)
    parser.add_argument("--size", default="", help="only this size class (12MP, 8MP, ...)")
    parser.add_argument("--late", type=float, default=0.2, help="list decodable photos offered after this (s)")
    parser.add_argument("--names", default="", help="comma-separated photo names only")
    parser.add_argument("--json", default="", help="also write every row to this file")
    args = parser.parse_args()
    directory, samples = corpus.build(6, 400, 1)
    if args.size:
        samples = [s for s in samples if s.size == args.size]
    if args.names:
        samples = [s for s in samples if s.name in args.names.split(",")]
    rows = trace(directory, samples, args.budget)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=0))
    decodable = [r for r in rows if r["decodable"]]
    print(f"budget {args.budget} s CPU, {len(rows)} photos, {len(decodable)} decodable")
    late = [r for r in decodable if r["offered_at"] is None or r["offered_at"] > args.late * 1000]
    print(f"decodable offered after {args.late * 1000:.0f} ms or never:")
    for r in sorted(late, key=lambda r: r["offered_at"] or 1e9):
        at = "never" if r["offered_at"] is None else f"{r['offered_at']:.0f} ms"
        print(f"  {r['name']} {r['size']:>6} {r['kind']:<10} {','.join(r['tags']):<20} {at:>9}  {r['step']}")
    for budget_ms in (250, 270, 280, 300, 350, 400, 500):
        hit = sum(r["offered_at"] is not None and r["offered_at"] <= budget_ms for r in decodable)
        print(f"  offered within {budget_ms} ms: {hit}/{len(decodable)}")
    found_by: dict[str, int] = {}
    for r in decodable:
        if r["step"]:
            key = r["step"].rsplit("@", 1)[0]
            found_by[key] = found_by.get(key, 0) + 1
    print(
        "step offering the last code: "
        + ", ".join(f"{k} {v}" for k, v in sorted(found_by.items(), key=lambda x: -x[1]))
    )
    # Early stop: nothing located and no read at all by the end of the first (rows) pass and the regions.
    nothing = [r for r in rows if r["located"] == 0]
    lost = [r for r in nothing if r["decodable"] and r["offered_at"] is not None]
    print(
        f"located 0 areas: {len(nothing)} photos ({sum(r['kind'] == 'none' for r in nothing)} without a code, "
        f"{sum(r['decodable'] for r in nothing)} decodable, of which offered: {[r['name'] for r in lost]})"
    )
    for size in corpus.SIZES:
        times = [r["total"] for r in rows if r["size"] == size]
        if times:
            ordered = sorted(times)
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            print(f"{size:>6}: median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  (n={len(times)})")


if __name__ == "__main__":
    main()

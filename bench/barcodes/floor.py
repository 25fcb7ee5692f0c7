"""How fast could a 12 MP photo be done at best? The JPEG decoding floor and what each coarse level can read
(issue 19: the 12 MP median <= 30 ms goal).

    .venv/bin/python bench/barcodes/floor.py                 # the 12 MP photos of the cached corpus
    .venv/bin/python bench/barcodes/floor.py --repeat 5 --size 8MP

One process, CPU time, one photo at a time. Per photo: Pillow's bare decode (`draft("L")` then `load`: libjpeg-turbo's
DCT scaling, luminance only, no EXIF, no rotation) at 1/8, 1/4, 1/2 and full size, best of `--repeat`; then, on the
view of each coarse level, the time of `locate` and of five whole-view reads and whether each offered every code of
the photo. Then three counts of the photos that could be *finished* within the goal, each generous:
- reading for free: decoded at the coarsest level where the photo's narrowest module is still >= T px;
- the cheapest whole-view read that offered the codes, on top of its level's decode;
- or `locate` and a crop read costing nothing, at a level where the narrowest module is >= the smallest size any read
  offered a code at.
A photo without a code cannot be finished early (nothing tells it from a code not found yet), so the median is
<= the goal only if more than half of all the photos are finished within it. Needs the corpus cached by run.py.
"""

import argparse
import io
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

LEVELS = (8, 4, 2, 1)


def bare_decode(data: bytes, level: int) -> float:
    """CPU seconds of one grayscale decode at 1/level (what every search must pay at least once)."""
    from PIL import Image

    started = time.process_time()
    image = Image.open(io.BytesIO(data))
    image.draft("L", (math.ceil(image.width / level), math.ceil(image.height / level)))
    image.load()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="12MP")
    parser.add_argument("--repeat", type=int, default=3, help="decodes per photo and level, the best kept")
    parser.add_argument("--goal", type=float, default=30.0, help="ms")
    args = parser.parse_args()

    from claimkit.adapters.decoders import Photo, locate, readers
    from claimkit.domain.barcodes import interpret

    reads = {
        "zxing_level": readers.zxing_level,
        "zxing_matrix": readers.zxing_matrix,
        "zxing_fast": readers.zxing_fast,
        "zbar_sparse": readers.zbar_sparse,
        "zbar_read": readers.zbar_read,
    }
    directory, samples = corpus.build(6, 400, 1)
    samples = [s for s in samples if s.size == args.size]
    clock = time.process_time
    rows = []
    for sample in samples:
        data = (directory / f"{sample.name}.jpg").read_bytes()
        decode = {lv: 1000 * min(bare_decode(data, lv) for _ in range(args.repeat)) for lv in LEVELS}
        level_rows = {}
        for level in LEVELS[:3]:
            photo = Photo(data)
            view = photo.level(level)  # decoded at that level, as a search starting there would
            started = clock()
            locate(photo.level(max(level, 4)))  # on the ~1000 px view from 1/2 (its reduction not counted)
            located_ms = 1000 * (clock() - started)
            found = {}
            for name, reader in reads.items():
                started = clock()
                hits = reader(view)
                ms = 1000 * (clock() - started)
                gtins = {scan.gtin for hit in hits if hit.raw and (scan := interpret(hit.raw))}
                found[name] = (ms, bool(sample.codes) and sample.codes <= gtins)
            level_rows[level] = (located_ms, found)
        rows.append((sample, decode, level_rows))

    print(f"{len(rows)} {args.size} photos, CPU time, bare decode best of {args.repeat}")
    for level in LEVELS:
        values = sorted(decode[level] for _, decode, _ in rows)
        print(
            f"  decode 1/{level}: median {statistics.median(values):5.1f} ms  p10 {values[len(values) // 10]:5.1f}"
            f"  max {values[-1]:5.1f}"
        )
    for level in LEVELS[:3]:
        located = statistics.median(level_rows[level][0] for _, _, level_rows in rows)
        cells = []
        for name in reads:
            ms = statistics.median(level_rows[level][1][name][0] for _, _, level_rows in rows)
            offered = sum(level_rows[level][1][name][1] for _, _, level_rows in rows)
            cells.append(f"{name} {ms:4.1f} ms {offered:>3}")
        print(f"  at 1/{level}: locate {located:4.1f} ms; whole view (median ms, photos offered): " + ", ".join(cells))
    any_read = [
        sample.params["module"] / level
        for sample, _, level_rows in rows
        for level in LEVELS[:3]
        for _, ok in level_rows[level][1].values()
        if ok
    ]
    smallest = min(any_read, default=1.0)
    needed = len(rows) // 2 + 1
    print(f"smallest narrowest-module size any whole-view read offered a code at: {smallest:.2f} px")
    coded = [row for row in rows if row[0].kind != "none"]
    print(f"photos with a code: {len(coded)} of {len(rows)}; a median <= {args.goal:g} ms needs {needed} finished")
    for threshold in (0.5, smallest, 1.0, 1.4):
        count = sum(
            min([decode[lv] for lv in LEVELS if sample.params["module"] / lv >= threshold] or [math.inf]) <= args.goal
            for sample, decode, _ in coded
        )
        print(f"  reading for free, narrowest module >= {threshold:.2f} px at the level: {count}")
    best = []
    for sample, decode, level_rows in coded:
        costs = [math.inf]
        for level in LEVELS[:3]:
            located_ms, found = level_rows[level]
            costs += [decode[level] + ms for ms, ok in found.values() if ok]
            if sample.params["module"] / level >= smallest:
                costs.append(decode[level] + located_ms)
        best.append(min(costs))
    print(
        f"  cheapest measured whole-view read, or locate + a free crop read: {sum(c <= args.goal for c in best)}"
        f" (within 35 ms: {sum(c <= 35 for c in best)}, 40 ms: {sum(c <= 40 for c in best)})"
    )


if __name__ == "__main__":
    main()

"""起诉书 field extraction: speed on one core and per-field precision and recall (issue 5 figures).

    python bench/extraction.py [--rounds 20]

Speed: the hand-written 起诉书 in tests/data/extract/indictments, extracted `--rounds` times over in
one process (one core), as documents per second of CPU time and of wall time. The first pass warms
the compiled patterns and the charge catalogue and is not counted.

Quality: a predicted field is correct when its name, group (defendant number) and value all equal a
field of the document's hand-checked expectation (NN.json); precision = correct / predicted,
recall = correct / expected, per field name over the whole set. The other document kinds
(tests/data/extract/other) are scored in a second table, and the held-out 起诉书
(tests/data/extract/heldout, written after the extractor was built) in a third.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bihuan.documents.extract import extract_fields  # noqa: E402
from bihuan.documents.extract.evaluation import load_set, score  # noqa: E402

DATA = ROOT / "tests" / "data" / "extract"


def speed(texts: list[str], rounds: int) -> tuple[float, float, int]:
    for text in texts:
        extract_fields("indictment", text)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            extract_fields("indictment", text)
    count = rounds * len(texts)
    return count / (time.process_time() - cpu), count / (time.perf_counter() - wall), count


def quality_table(title: str, items: list[tuple[str, str, dict]]) -> None:
    table = score([(extract_fields(e.get("kind", "indictment"), text), e) for _stem, text, e in items])
    print(f"\n{title}: {len(items)} documents")
    print(f"{'field':<22}{'expected':>9}{'predicted':>10}{'precision':>11}{'recall':>9}")
    totals = {"tp": 0, "fp": 0, "fn": 0}
    for name in sorted(table):
        row = table[name]
        for key in totals:
            totals[key] += row[key]
        print_row(name, row)
    print_row("(all fields)", totals)


def print_row(name: str, row: dict[str, int]) -> None:
    predicted, expected = row["tp"] + row["fp"], row["tp"] + row["fn"]
    precision = row["tp"] / predicted if predicted else 1.0
    recall = row["tp"] / expected if expected else 1.0
    print(f"{name:<22}{expected:>9}{predicted:>10}{precision:>11.3f}{recall:>9.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the hand-written set")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    indictments = load_set(DATA / "indictments")
    texts = [text for _stem, text, _e in indictments]
    per_cpu, per_wall, count = speed(texts, args.rounds)
    chars = sum(map(len, texts)) / len(texts)
    print(f"起诉书 extraction: {count} documents (average {chars:.0f} characters), one core")
    print(f"  {per_cpu:,.0f} documents/s of CPU time, {per_wall:,.0f} documents/s of wall time")
    quality_table("起诉书 (hand-written set)", indictments)
    quality_table("Other kinds (hand-written set)", load_set(DATA / "other"))
    quality_table("起诉书 (held-out set, written after the extractor)", load_set(DATA / "heldout"))


if __name__ == "__main__":
    main()

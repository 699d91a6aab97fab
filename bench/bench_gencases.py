"""`bihuan gencases` at a million cases: throughput and flat memory (issue 2 figure).

    python bench/bench_gencases.py [--cases 1000000] [--seed 1] [--out bench/out/gencases.jsonl] [--keep]

Runs `bihuan gencases` as a subprocess, reads its resident memory (VmRSS in /proc/PID/status)
every second together with the lines written so far, and prints the cases per second (of wall
time and of CPU time) and the memory when 10 %, 50 % and 100 % of the cases were written, plus
the peak (VmHWM). Flat memory means the three readings stay alike. The output file is deleted afterwards unless --keep.
"""

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "gencases.jsonl"


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a running process, in KiB (empty once it has exited)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except (FileNotFoundError, ProcessLookupError):
        return {}
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM") if key in fields}


class LineCounter:
    """Counts the newlines appended to a growing file since the last call."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.lines = path, 0, 0

    def update(self) -> int:
        if self.path.exists():
            with self.path.open("rb") as f:
                f.seek(self.offset)
                while chunk := f.read(1 << 24):
                    self.lines += chunk.count(b"\n")
                    self.offset += len(chunk)
        return self.lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.unlink(missing_ok=True)

    command = [sys.executable, "-m", "bihuan", "gencases", "--cases", str(args.cases), "--seed", str(args.seed)]
    command += ["--out", str(args.out)]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    counter = LineCounter(args.out)
    samples: list[tuple[float, int, int]] = []  # (seconds, lines written, VmRSS KiB)
    peak = 0
    first_line_at = None
    while process.poll() is None:
        time.sleep(1)
        memory = memory_kib(process.pid)
        lines = counter.update()
        if lines and first_line_at is None:
            first_line_at = time.monotonic() - started
        if memory:
            samples.append((time.monotonic() - started, lines, memory["VmRSS"]))
            peak = max(peak, memory.get("VmHWM", 0))
    elapsed = time.monotonic() - started
    written = counter.update()
    if process.returncode != 0 or written != args.cases:
        print(f"gencases failed: exit status {process.returncode}, {written} of {args.cases} lines", file=sys.stderr)
        return 1

    size = args.out.stat().st_size
    print(f"gencases --cases {args.cases} --seed {args.seed}: {written} lines, {size / 2**20:.0f} MiB")
    print(f"wall time {elapsed:.1f} s (first line after {first_line_at or 0:.1f} s)")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    print(f"throughput {args.cases / elapsed:,.0f} cases/s of wall time (start-up included)")
    # On a shared machine the wall time includes waiting for the CPU; this does not.
    print(f"CPU time {cpu:.1f} s: {args.cases / cpu:,.0f} cases per CPU second")
    print("resident memory (VmRSS) while writing:")
    for percent in (10, 50, 100):
        wanted = args.cases * percent // 100
        # The last sample taken before that share was reached shows the memory at that point.
        before = [s for s in samples if s[1] <= wanted] or samples[:1]
        at, lines, rss = before[-1]
        print(f"  {percent:3d} %: {rss / 1024:7.1f} MiB  ({lines:,} lines at {at:.0f} s)")
    print(f"  peak (VmHWM): {peak / 1024:.1f} MiB")
    if not args.keep:
        args.out.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())

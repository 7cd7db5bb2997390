"""`make bench`: the production-path benchmarks in one go.

1. bench/api_turn_overhead.py: the API's own time per turn (Rasa answering instantly);
2. bench/training_time.py, only with --train: training the full assistant
   (2+ minutes of both cores; otherwise the recorded bench/results/training.json is reported);
3. bench/load_benchmark.py: latency at 1/20/50/100 kiosks, embedded and production,
   API and straight to Rasa side by side; peak RSS per process.

    .venv/bin/python -m bench.run_all [--train] [load benchmark options, e.g. --levels 1,20]

Every step writes bench/results/*.json (+ load.md) and prints it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="measure training time again")
    args, load_args = parser.parse_known_args(argv)
    # The overhead bench imports the app with its own settings: a separate process keeps them apart.
    subprocess.run([sys.executable, str(ROOT / "bench" / "api_turn_overhead.py")], cwd=ROOT, check=True)
    if args.train:
        from bench import training_time

        training_time.main()
    from bench import load_benchmark

    load_benchmark.main(
        load_args,
        command=" ".join(["python -m bench.run_all", *(argv if argv is not None else sys.argv[1:])]),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

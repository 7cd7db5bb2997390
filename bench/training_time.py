"""How long training the full assistant takes, and its peak memory.

Runs the same `rasa train` command as `coach train --force` (cli/training.py),
but into a temporary folder, so the model in models/ that running servers and
other tests use is never replaced.

    .venv/bin/python -m bench.training_time

Writes bench/results/training.json and prints it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cli.paths import venv_bin  # noqa: E402
from cli.training import _rules_path, ensure_spacy_pipeline, fingerprint  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "training.json"


def main() -> dict:
    ensure_spacy_pipeline()
    before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="coach-train-bench-") as out:
        cmd = [
            str(venv_bin("rasa")),
            "train",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "data/nlu",
            "data/stories",
            _rules_path(),
            "--out",
            out,
            "--fixed-model-name",
            "bench",
        ]
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        started = time.monotonic()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        seconds = time.monotonic() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "source": "measured by `python -m bench.training_time` (the `coach train --force` command into a temp folder)",
        "trained_s": round(seconds, 1),
        "cpu_s": round(children.ru_utime + children.ru_stime, 1),
        "peak_rss_mib": round(children.ru_maxrss / 1024, 1),
        "fingerprint": fingerprint(),
        "loadavg_before": [round(x, 2) for x in before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()

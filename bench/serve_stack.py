"""Start the whole stack (Rasa, actions, API) for a measurement and keep it up until Ctrl-C.

    python bench/serve_stack.py --workdir /tmp/stack [--model models/x.tar.gz] [--kiosk-key KEY]

Prints the API URL and the kiosk key, then writes them to ``<workdir>/stack.json`` so a
benchmark in another shell can read them (``bench/safety_firstlook.py --via-api …``).
The stack is the one the end-to-end tests use (``cli/local_stack.py``), on its own
SQLite database in the work folder.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_KEY = "bench-kiosk-key-0123456789abcdef"


def main(argv=None) -> int:
    from cli.local_stack import LocalStack
    from cli.training import train

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--model", type=Path, help="a trained model (default: train or reuse models/)")
    parser.add_argument("--kiosk-key", default=DEFAULT_KEY)
    args = parser.parse_args(argv)

    model = args.model or train(quiet=True)
    stack = LocalStack(model=model, workdir=args.workdir, env_overrides={"COACH_KIOSK_KEY": args.kiosk_key})
    stack.prepare_database(kiosk_key=args.kiosk_key, kiosk_label="bench")
    stack.start(timeout_s=600)
    info = {"api_url": stack.api_url, "kiosk_key": args.kiosk_key, "model": str(model), "pid": os.getpid()}
    (args.workdir / "stack.json").write_text(json.dumps(info), encoding="utf-8")
    print(json.dumps(info), flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

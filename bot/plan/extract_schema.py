"""Extract the action-plan JSON Schema from a Markdown brief.

``bot/plan/action_plan.schema.json`` is the schema the code reads (described in
``docs/specs/action-plan.md`` §6). It was copied from the JSON block of the
"## 6. JSON Schema" section of the original domain brief, so the code never
parses Markdown at run time. To import a newer brief's schema:

    python -m bot.plan.extract_schema path/to/brief.md

The brief is the product's domain brief, kept beside the repository, not in it; the
path is always given, so nothing here reaches outside the repository on its own.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Optional

SCHEMA_FILE = Path(__file__).with_name("action_plan.schema.json")
SECTION_HEADING = re.compile(r"^## 6\. JSON Schema", re.MULTILINE)
JSON_BLOCK = re.compile(r"```json\n(.*?)\n```", re.DOTALL)


class SchemaNotFound(ValueError):
    pass


def extract_schema(markdown: str) -> dict:
    """The JSON Schema in §6: the first json block there holding a ``$schema`` key."""
    heading = SECTION_HEADING.search(markdown)
    if heading is None:
        raise SchemaNotFound("no '## 6. JSON Schema' section in the brief")
    next_heading = re.search(r"^## ", markdown[heading.end() :], re.MULTILINE)
    section = (
        markdown[heading.end() : heading.end() + next_heading.start()]
        if next_heading
        else markdown[heading.end() :]
    )
    for block in JSON_BLOCK.findall(section):
        if '"$schema"' in block:
            return json.loads(block)
    raise SchemaNotFound("§6 holds no json block with a $schema key")


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: Optional[list] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m bot.plan.extract_schema path/to/brief.md", file=sys.stderr)
        return 2
    brief = Path(argv[0])
    if not brief.is_file():
        print(f"no brief at {brief}", file=sys.stderr)
        return 2
    schema = extract_schema(brief.read_text(encoding="utf-8"))
    SCHEMA_FILE.write_text(render(schema), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE} from {brief}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

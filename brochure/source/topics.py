"""Topic folders: where content lives and which topics and languages it holds.

In: the content roots (``./content`` first, then the built-in sample content). Out: topic
names mapped to their folders, and each topic's languages (the source language first).
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..errors import ContentError


def content_roots() -> list[Path]:
    """Content folders, nearest first: ./content, then the built-in sample content."""
    roots = []
    local = Path.cwd() / "content"
    if local.is_dir():
        roots.append(local)
    roots.append(paths.builtin("content"))
    return roots


def find_topics(roots: list[Path] | None = None) -> dict[str, Path]:
    """Every topic folder (one holding language files) by name."""
    found: dict[str, Path] = {}
    for root in reversed(roots or content_roots()):
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            if folder.name.startswith("."):  # hidden folders are never topics
                continue
            if folder.name not in ("locales", "clinics", "vocabulary") and languages_of(folder):
                found[folder.name] = folder
    return dict(sorted(found.items()))


def resolve_topic(topic: str | Path) -> Path:
    """A topic folder or content file, from a path or a topic name."""
    path = Path(topic)
    if path.exists():
        return path
    known = find_topics()
    if str(topic) in known:
        return known[str(topic)]
    raise ContentError(f"no topic or file {str(topic)!r}; topics found: "
                       + (", ".join(known) or "none"))


def languages_of(topic: Path) -> list[str]:
    """The languages a topic folder has files for (source language first if known)."""
    if topic.is_file():
        return [topic.stem]
    langs = sorted(p.stem for p in topic.glob("*.yaml") if not p.name.startswith("."))
    return sorted(langs, key=lambda lang: lang != "en")

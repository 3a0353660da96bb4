"""The loket's shipped content: one file per topic and language in `content/<language>/`.

A file is front matter between `---` lines (`title`, `summary`, `position`, `checked`, and one
`source: title | address` line per source), then the text in the format of `welkom.loket.text`.
`welkom loket_content` loads what is not yet in the database; it never overwrites a text that
staff have edited, so it is safe to run on every deployment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class ContentFileError(ValueError):
    pass


@dataclass(frozen=True)
class ContentFile:
    slug: str
    language: str
    title: str
    summary: str
    position: int
    checked: date
    body: str
    sources: tuple[str, ...] = field(default=())


def content_file_parse(path: Path, language: str) -> ContentFile:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentFileError(f"{path}: the file must start with a line '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentFileError(f"{path}: the front matter has no closing '---'") from None
    meta: dict[str, str] = {}
    sources: list[str] = []
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ContentFileError(f"{path}:{number}: expected 'key: value'")
        key, value = key.strip(), value.strip()
        if key == "source":
            if "|" not in value:
                raise ContentFileError(f"{path}:{number}: a source is 'title | address'")
            sources.append(value)
        else:
            meta[key] = value
    missing = {"title", "summary", "position", "checked"} - meta.keys()
    if missing:
        raise ContentFileError(f"{path}: missing {', '.join(sorted(missing))}")
    try:
        checked = date.fromisoformat(meta["checked"])
        position = int(meta["position"])
    except ValueError as error:
        raise ContentFileError(f"{path}: {error}") from None
    return ContentFile(
        slug=path.stem,
        language=language,
        title=meta["title"],
        summary=meta["summary"],
        position=position,
        checked=checked,
        body="\n".join(lines[end + 1 :]).strip() + "\n",
        sources=tuple(sources),
    )


def content_files(directory: Path = CONTENT_DIR) -> list[ContentFile]:
    """Every shipped content file, Dutch (the source language) first."""
    files = []
    for language_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
        for path in sorted(language_dir.glob("*.md")):
            files.append(content_file_parse(path, language_dir.name))
    return sorted(files, key=lambda f: (f.language != "nl", f.language, f.position, f.slug))

"""The docs: links that resolve, and code that cites only what the repository holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
API_NOTES = ROOT / "docs" / "clockify.md"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE = sorted(
    path
    for folder in ("tap_clockify", "tests", "benchmarks", "scripts")
    for path in (ROOT / folder).rglob("*")
    if path.is_file() and (path.suffix == ".py" or path.parent.name == "scripts")
)
PLUGIN_FILES = [ROOT / "meltano.yml", *sorted((ROOT / "hub").rglob("*.yml"))]

#: Citations of notes that are not part of the repository: an API notes file kept
#: elsewhere, and the source tags it used.
OUTSIDE_CITATION = re.compile(r"clockify-api\.md|\[(?:DISC|OFF|CS|PL|GDISC|FIX)\b")
#: `(docs/clockify.md, Paging and Endpoints)`: a pointer to sections of the API notes.
POINTER = re.compile(r"docs/clockify\.md,\s+([^).]*)")
#: `[text](target)` links in Markdown.
LINK = re.compile(r"\[[^]]*\]\(([^)\s]+)\)")


def headings(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    return [line.lstrip("#").strip() for line in lines if re.match(r"#+ ", line)]


def test_nothing_cites_notes_outside_the_repository() -> None:
    """Code, docs and plugin files say things in their own words, or point to docs/."""
    citing = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in [*CODE, *DOCUMENTS, *PLUGIN_FILES]
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE_CITATION.search(line)
    ]
    assert citing == []


@pytest.mark.parametrize(
    "document",
    [*DOCUMENTS, ROOT / "meltano.yml", *sorted((ROOT / "hub").rglob("*.yml"))],
    ids=lambda path: path.relative_to(ROOT).as_posix(),
)
def test_docs_and_plugin_files_cite_no_notes_outside_the_repository(document: Path) -> None:
    citing = [
        number
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE_CITATION.search(line)
    ]
    assert citing == [], f"{document.relative_to(ROOT)}: lines {citing}"


def test_pointers_to_the_api_notes_name_their_sections() -> None:
    sections = sorted(headings(API_NOTES), key=len, reverse=True)
    pointers = [
        (path.relative_to(ROOT), " ".join(re.sub(r"[#:]", " ", found).split()))
        for path in CODE
        for found in POINTER.findall(path.read_text(errors="replace"))
    ]
    assert len(pointers) > 10
    for where, pointer in pointers:
        rest = pointer
        for section in sections:
            rest = rest.replace(section, "")
        assert set(rest.replace("and", "").replace(",", "").split()) == set(), (where, pointer)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_relative_links_resolve(document: Path) -> None:
    for target in LINK.findall(document.read_text()):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (document.parent / file).resolve() if file else document
        assert linked.exists(), f"{document.name}: {target}"
        if anchor and linked.suffix == ".md":
            slugs = {re.sub(r"[^\w\- ]", "", h).lower().replace(" ", "-") for h in headings(linked)}
            assert anchor in slugs, f"{document.name}: {target}"

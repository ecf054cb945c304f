"""Ingest: articles as they come, into titled sources with stable paragraph ids."""

from __future__ import annotations

from collections import Counter

import pytest

from generator.errors import InputError
from generator.formats.identity import title_from_sentence
from generator.ingest import ingest, paragraph_id, parse_txt, read_source


def write(folder, name, text: str | bytes):
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_a_short_first_line_is_the_title_and_metadata_is_not_body():
    parsed = parse_txt("Talks resume in Paris\nLeaders met today in Paris to talk.\nSource: example.com\n")
    assert parsed.title == "Talks resume in Paris"
    assert parsed.publisher == "example.com"
    assert [b.text for b in parsed.blocks] == ["Leaders met today in Paris to talk."]


def test_a_date_prefix_is_metadata_and_the_rest_of_its_line_is_body():
    parsed = parse_txt(" date 2025-03-27 French President Emmanuel Macron on Thursday was hosting leaders.\n\nMore text here.\n")
    assert parsed.date == "2025-03-27"
    assert parsed.blocks[0].text.startswith("French President")
    assert parsed.title is None  # no headline: ingest titles it from its first sentence


def test_short_title_like_lines_inside_the_text_are_headings():
    parsed = parse_txt("Title here\nA paragraph that ends like a sentence.\n'Strong Decisions'\nAnother paragraph of body text.\n")
    assert [b.heading for b in parsed.blocks] == [False, True, False]


def test_a_derived_title_skips_a_leading_quotation():
    assert title_from_sentence('"We will get it done." The President said he remains committed.') == "The President said he remains committed"


def test_paragraph_ids_survive_edits_elsewhere_in_the_article(tmp_path):
    write(tmp_path, "a.txt", "Title line\nFirst paragraph here.\nSecond paragraph here.\n")
    [before], _ = read_source(tmp_path / "a.txt", tmp_path)
    write(tmp_path, "a.txt", "Title line\nFirst paragraph, edited.\nSecond paragraph here.\n")
    [after], _ = read_source(tmp_path / "a.txt", tmp_path)
    assert before.paragraphs[1].id == after.paragraphs[1].id
    assert before.paragraphs[0].id != after.paragraphs[0].id


def test_a_repeated_paragraph_is_kept_once_and_repeated_text_gets_distinct_ids(tmp_path):
    write(tmp_path, "a.txt", "Title line\nSame words.\nOther words.\nSame words.\n")
    [source], _ = read_source(tmp_path / "a.txt", tmp_path)
    assert [p.text for p in source.paragraphs] == ["Same words.", "Other words."]
    seen: Counter[str] = Counter()
    assert len({paragraph_id("Same words.", seen), paragraph_id("Same words.", seen)}) == 2


def test_markdown_front_matter_and_blocks(tmp_path):
    write(
        tmp_path, "a.md", "---\ntitle: Talks\ndate: 2025-03-01\npublisher: Example News\nurl: https://example.com/a\n---\n# Section\n\nA *paragraph* with [a link](https://x.org).\n\n- a list item\n"
    )
    [source], _ = read_source(tmp_path / "a.md", tmp_path)
    assert (source.title, source.date, source.publisher, source.url) == ("Talks", "2025-03-01", "Example News", "https://example.com/a")
    assert [(p.text, p.heading) for p in source.paragraphs] == [("Section", True), ("A paragraph with a link.", False), ("a list item", False)]


def test_invalid_front_matter_names_file_and_line(tmp_path):
    write(tmp_path, "a.md", "---\ntitle: ok\ndate: [unclosed\n---\nBody text.\n")
    with pytest.raises(InputError) as err:
        read_source(tmp_path / "a.md", tmp_path)
    assert str(err.value).startswith(f"{tmp_path.name}/a.md:3:16: invalid YAML front matter")


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", "  \n\n", "the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "a binary file"),
        ("latin1.txt", "Caf\xe9 au lait\n".encode("latin-1"), "not UTF-8 text"),
        ("notes.docx", "x", "not an article"),
    ],
)
def test_unreadable_files_are_skipped_with_a_warning_naming_them(tmp_path, name, content, reason):
    write(tmp_path, "good.txt", "Title line\nA paragraph of text.\n")
    write(tmp_path, name, content)
    sources, warnings = ingest(tmp_path)
    assert [s.file for s in sources] == ["good.txt"]
    assert len(warnings) == 1 and name in str(warnings[0]) and reason in str(warnings[0])


def test_editor_swap_and_hidden_files_are_not_articles(tmp_path):
    for name in (".a.txt.swp", "a.txt~", ".hidden.txt", "#a.txt#"):
        write(tmp_path, name, "x")
    assert ingest(tmp_path) == ((), ())


@pytest.mark.parametrize("name", [".notes.txt", ".article.txt.swp", "article.txt~", "#article.txt#", "~$article.md", "4913", "draft.md.part"])
def test_editor_and_tool_scratch_files_are_not_articles(tmp_path, name):
    from generator.userfiles import is_editor_temp

    assert is_editor_temp(name)
    (tmp_path / "real.txt").write_text("A real title\n\nA paragraph of the article.\n", encoding="utf-8")
    (tmp_path / name).write_text("A scratch copy\n\nNot an article.\n", encoding="utf-8")
    sources, warnings = ingest(tmp_path)
    assert [s.file for s in sources] == ["real.txt"] and warnings == ()


def test_a_front_matter_date_not_written_yyyy_mm_dd_is_kept_with_a_warning_naming_its_line(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Talks resume\ndate: March 2025\n---\n\nDelegations met in Geneva.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Talks end\ndate: 2025-03-28\n---\n\nDelegations left Geneva.\n", encoding="utf-8")
    sources, warnings = ingest(tmp_path)
    assert [s.date for s in sources] == ["March 2025", "2025-03-28"]
    assert [(w.file, w.line) for w in warnings] == [(f"{tmp_path.name}/a.md", 3)]
    assert "YYYY-MM-DD" in warnings[0].message


def test_articles_in_subfolders_are_read_in_path_order_and_hidden_or_linked_folders_are_not(tmp_path):
    seeds, elsewhere = tmp_path / "seeds", tmp_path / "elsewhere"
    for rel in ("a-b.txt", "a/b.txt", "a/c/d.txt", "z.txt", ".git/e.txt", "drafts~/f.txt"):
        (seeds / rel).parent.mkdir(parents=True, exist_ok=True)
        (seeds / rel).write_text(f"Title of {rel}\n\nA paragraph of {rel}.\n", encoding="utf-8")
    (elsewhere / "g.txt").parent.mkdir()
    (elsewhere / "g.txt").write_text("Linked\n\nA paragraph.\n", encoding="utf-8")
    (seeds / "linked").symlink_to(elsewhere, target_is_directory=True)
    (seeds / "h.txt").symlink_to(elsewhere / "g.txt")
    sources, warnings = ingest(seeds)
    # Part by part, as paths sort: the folder "a" before the file "a-b.txt", though "/" > "-".
    assert [s.file for s in sources] == ["a/b.txt", "a/c/d.txt", "a-b.txt", "h.txt", "z.txt"]
    assert warnings == ()

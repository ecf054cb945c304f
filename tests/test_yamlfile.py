"""The one YAML reader with positions (yamlfile.py): content/, front matter and gold files alike."""

from pathlib import Path

import pytest

from generator.content import load_content
from generator.errors import InputError
from generator.evaluate import load_gold
from generator.ingest import read_front_matter
from generator.yamlfile import FrontMatter, split_front_matter


@pytest.mark.parametrize(
    "text, expected",
    [
        ("---\ntitle: A\n---\nBody.\n", FrontMatter("title: A", "Body.\n")),
        ("---  \r\ntitle: A\r\n...\r\nBody.\r\n", FrontMatter("title: A", "Body.\r\n")),
        ("---\n---\nBody.\n", FrontMatter("", "Body.\n")),
        ("---\ntitle: A\n---", FrontMatter("title: A", "")),
        ("---\ntitle: A\nBody.\n", FrontMatter(None, "---\ntitle: A\nBody.\n")),
        ("Body.\n---\n", None),
        ("...\ntitle: A\n...\n", None),
        ("", None),
    ],
)
def test_front_matter_is_split_at_its_fences(text, expected):
    assert split_front_matter(text) == expected


def test_broken_front_matter_is_reported_at_the_same_place_in_an_article_and_a_page(tmp_path: Path):
    front = "---\ntitle: About\nsubtitle: [x\n---\nText.\n"
    with pytest.raises(InputError) as article:
        read_front_matter(front, "seeds/a.md")
    (tmp_path / "content" / "pages").mkdir(parents=True)
    (tmp_path / "content" / "pages" / "about.md").write_text(front, encoding="utf-8")
    with pytest.raises(InputError) as page:
        load_content(tmp_path / "content")
    assert [(p.line, p.column) for p in article.value.problems] == [(p.line, p.column) for p in page.value.problems] == [(3, 13)]


def test_a_gold_file_is_read_as_content_is(tmp_path: Path):
    gold = tmp_path / "gold.yaml"
    gold.write_bytes(b"people:\n  - name: \xff\n")
    with pytest.raises(InputError) as raised:
        load_gold(gold)
    assert [str(p) for p in raised.value.problems] == [f"{gold}:2:11: is not UTF-8 text; save the file as UTF-8"]
    gold.write_text("people:\n\t- A\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_gold(gold)
    assert str(raised.value.problems[0]).endswith("; indent with spaces, not tabs")

"""docs/reference.md is generated from the declarations content.py reads by: it never drifts."""

import re

from generator import content
from generator.reference import REFERENCE, reference


def test_the_committed_reference_is_what_the_declarations_make_now():
    assert REFERENCE.read_text(encoding="utf-8") == reference(), "run `python -m generator.reference` and commit docs/reference.md"


def test_the_reference_documents_exactly_the_keys_content_reads():
    tables = re.findall(r"^## .*?(?=^## |\Z)", reference(), re.MULTILINE | re.DOTALL)
    documented = [key for table in tables for key in re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)]
    read = content.SITE_KEYS + content.ENTITIES_FILE_KEYS + content.ENTITY_KEYS + content.LINK_KEYS + content.TOPICS_FILE_KEYS + content.TOPIC_KEYS + content.PAGE_KEYS
    assert documented == list(read)

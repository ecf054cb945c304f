"""The link stage on hand-made sources, entities and mentions (no model): the
passages each entity page quotes, related entities, timelines, source pages
and the indexes."""

from __future__ import annotations

from conftest import article, entity, mentioned
from generator.link import LinkMemo, Site, link

ZELENSKY = entity("person", "Volodymyr Zelensky", "Zelensky")
UKRAINE = entity("country", "Ukraine")
KYIV = entity("place", "Kyiv")


def site_of(*articles, entities=(ZELENSKY, UKRAINE, KYIV), subthemes=None) -> Site:
    """`articles`: (source, extraction, names) with names as (entity, surface) pairs."""
    return link(
        tuple(source for source, _, _ in articles),
        {source.slug: extraction for source, extraction, _ in articles},
        entities,
        tuple(mentioned(source, *names) for source, _, names in articles),
        subthemes or {},
        {},
    )


def with_names(slug, *paragraphs, **fields):
    source, extraction = article(slug, *paragraphs, **fields)
    return source, extraction, ((ZELENSKY, "Zelensky"), (UKRAINE, "Ukraine"), (KYIV, "Kyiv"))


def page_of(site: Site, e):
    return next(p for p in site.entity_pages if p.entity is e)


def as_text(passage) -> str:
    """The passage with its marked mentions in brackets."""
    return "".join(f"[{s.text}]" if s.entity is not None else s.text for s in passage.segments)


def test_each_sentence_that_names_an_entity_is_one_passage_with_every_mention_in_it_marked():
    site = site_of(with_names("a", "Zelensky spoke in Kyiv. Ukraine will hold, Zelensky said, and Ukraine agreed."))
    passages = [as_text(p) for _, ps in page_of(site, UKRAINE).passages_by_source for p in ps]
    assert passages == ["[Ukraine] will hold, Zelensky said, and [Ukraine] agreed."]
    passages = [as_text(p) for _, ps in page_of(site, ZELENSKY).passages_by_source for p in ps]
    assert passages == ["[Zelensky] spoke in Kyiv.", "Ukraine will hold, [Zelensky] said, and Ukraine agreed."]
    first = page_of(site, ZELENSKY).passages_by_source[0][1][0]
    assert first.href == "sources/a.html#p-1" and first.segments[0].entity == ZELENSKY.link


def test_a_sentence_inside_a_quotation_is_quoted_from_where_the_quotation_opens():
    site = site_of(with_names("a", "Crowds gathered. “We will hold. We have to prove it,” Zelensky said."))
    [(_, [passage])] = page_of(site, ZELENSKY).passages_by_source
    assert as_text(passage) == "“We will hold. We have to prove it,” [Zelensky] said."


def test_an_entity_page_counts_mentions_and_sources_newest_source_first_with_a_timeline_of_dated_ones():
    site = site_of(
        with_names("old", "Zelensky met envoys. Zelensky left.", date="2025-03-01"),
        with_names("new", "Zelensky spoke.", date="2025-03-09"),
        with_names("undated", "Zelensky was quoted."),
    )
    page = page_of(site, ZELENSKY)
    assert [source.slug for source, _ in page.passages_by_source] == ["new", "old", "undated"]
    assert (page.mention_count, page.source_count) == (4, 3)
    assert page.timeline == (("2025-03-01", 2), ("2025-03-09", 1))
    assert (page.first_seen, page.last_seen) == ("2025-03-01", "2025-03-09")


def test_related_entities_are_counted_once_per_paragraph_they_share_most_shared_first():
    site = site_of(
        with_names("a", "Zelensky and Ukraine. Ukraine again, with Zelensky.", "Zelensky visited Kyiv."),
        with_names("b", "Ukraine thanked Zelensky.", "Zelensky alone."),
    )
    assert [(e.name, n) for e, n in page_of(site, ZELENSKY).related] == [("Ukraine", 2), ("Kyiv", 1)]
    assert [(e.name, n) for e, n in page_of(site, KYIV).related] == [("Volodymyr Zelensky", 1)]


def test_an_entity_no_source_names_gets_no_page():
    site = site_of(with_names("a", "Zelensky spoke."))
    assert [p.entity for p in site.entity_pages] == [ZELENSKY]
    assert site.by_kind["country"] == () and site.top["person"] == (page_of(site, ZELENSKY),)


def test_a_source_page_links_every_mention_and_lists_what_it_names_by_kind_most_named_first():
    site = site_of(with_names("a", "Kyiv", "Ukraine and Kyiv. Zelensky in Kyiv.", headings=(0,)))
    [page] = site.source_pages
    assert [(p.id, p.heading) for p in page.paragraphs] == [("p-1", True), ("p-2", False)]
    assert [(s.text, s.entity.id if s.entity else None) for s in page.paragraphs[1].segments] == [
        ("Ukraine", "countries/ukraine"),
        (" and ", None),
        ("Kyiv", "places/kyiv"),
        (". ", None),
        ("Zelensky", "people/volodymyr-zelensky"),
        (" in ", None),
        ("Kyiv", "places/kyiv"),
        (".", None),
    ]
    assert [(kind, [(e.name, n) for e, n in chips]) for kind, chips in page.entities] == [
        ("person", [("Volodymyr Zelensky", 1)]),
        ("country", [("Ukraine", 1)]),
        ("place", [("Kyiv", 3)]),
    ]
    assert page.mention_count == 5


def test_sources_go_newest_first_then_the_undated_by_title_and_indexes_a_to_z_accents_folded():
    elysee, zurich, ankara = entity("place", "Élysée"), entity("place", "Zurich"), entity("place", "Ankara")
    names = ((elysee, "Élysée"), (zurich, "Zurich"), (ankara, "Ankara"))
    site = site_of(
        (*article("x", "Élysée. Zurich. Zurich.", title="Beta", date="2025-01-02")[:2], names),
        (*article("y", "Ankara. Zurich.", title="Alpha")[:2], names),
        (*article("z", "Élysée.", title="Gamma", date="2025-02-01")[:2], names),
        (*article("w", "Nothing named.", title="aardvark")[:2], names),
        entities=(zurich, elysee, ankara),
    )
    assert [s.slug for s in site.sources] == ["z", "x", "w", "y"]
    assert [p.entity.name for p in site.by_kind["place"]] == ["Ankara", "Élysée", "Zurich"]
    assert [p.entity.name for p in site.top["place"]] == ["Zurich", "Élysée", "Ankara"]


def test_a_topic_page_carries_its_subthemes():
    ceasefire = entity("topic", "ceasefire")
    source, extraction = article("a", "The ceasefire held.")
    site = site_of((source, extraction, ((ceasefire, "ceasefire"),)), entities=(ceasefire,), subthemes={ceasefire.id: ("energy ceasefire",)})
    assert page_of(site, ceasefire).subthemes == ("energy ceasefire",)


def test_a_relink_gathers_again_only_the_passages_of_the_entities_an_edited_source_names_or_named():
    a = with_names("a", "Zelensky spoke in Kyiv.", date="2025-03-01")
    b = with_names("b", "Ukraine will hold.", date="2025-03-02")
    c = with_names("c", "Zelensky visited Kyiv and Ukraine.", date="2025-03-03")
    edited = with_names("c", "Zelensky visited Ukraine.", date="2025-03-03")  # Kyiv is gone, Ukraine stays
    entities = (ZELENSKY, UKRAINE, KYIV)
    # As the overlaps stage hands them on: the very same object for an unchanged article.
    mentions = {id(article): mentioned(article[0], *article[2]) for article in (a, b, c, edited)}

    def linked(articles, memo):
        by_source = tuple(mentions[id(article)] for article in articles)
        return link(tuple(s for s, _, _ in articles), {s.slug: e for s, e, _ in articles}, entities, by_source, {}, {}, memo=memo)

    memo = LinkMemo()
    kept = [linked([a, b, c], memo) for _ in range(2)]
    assert page_of(kept[1], UKRAINE).passages_by_source is page_of(kept[0], UKRAINE).passages_by_source  # nothing changed
    after = linked([a, b, edited], memo)
    fresh = linked([a, b, edited], LinkMemo(keep=False))
    assert after.entity_pages == fresh.entity_pages
    assert [s.slug for s, _ in page_of(after, KYIV).passages_by_source] == ["a"] and page_of(after, ZELENSKY).mention_count == 2

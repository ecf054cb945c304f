"""The graphs on a hand-made linked site (no model): who sits where around one
entity, what the whole picture keeps, and that it stays inside its frame and
the same from one build to the next."""

from __future__ import annotations

from conftest import article, entity, mentioned
from generator.graph import ego_graph, label_width, whole_graph, wrap
from generator.link import link
from generator.memo import LastRun

PEOPLE = [entity("person", f"Person {c}") for c in "ABCDE"]
MEETINGS = ["Person A met Person B.", "Person A met Person C.", "Person A and Person B.", "Person D and Person A.", "Person E alone."]


def site_of(texts=MEETINGS, people=PEOPLE):
    articles = [article(f"s{i}", text) for i, text in enumerate(texts)]
    return link(
        tuple(source for source, _ in articles),
        {source.slug: extraction for source, extraction in articles},
        tuple(people),
        tuple(mentioned(source, *((p, p.name) for p in people)) for source, _ in articles),
        {},
        {},
    )


def pages_of(site):
    return {page.entity.id: page for page in site.entity_pages}


def test_the_ego_graph_has_the_entity_in_the_middle_and_its_companions_clockwise_from_the_top_by_passages_shared():
    pages = pages_of(site_of())
    graph = ego_graph(pages["people/person-a"], pages)
    centre, *ring = graph.nodes
    assert centre.centre and (centre.entity_id, centre.x, centre.y) == ("people/person-a", graph.width / 2, graph.height / 2)
    assert [(n.entity_id, n.weight) for n in ring] == [("people/person-b", 2), ("people/person-c", 1), ("people/person-d", 1)]
    top = ring[0]
    assert top.x == centre.x and top.y < centre.y and top.r > ring[1].r  # the closest companion on top, and larger
    assert ring[1].x > centre.x > ring[2].x  # then clockwise
    assert [(n.entity_id, w) for n, w in graph.links_of("people/person-a")] == [
        ("people/person-b", 2),
        ("people/person-c", 1),
        ("people/person-d", 1),
    ]
    spokes = {e.b: e for e in graph.edges if e.a == "people/person-a"}
    assert all(e.strong for e in spokes.values()) and spokes["people/person-b"].width > spokes["people/person-c"].width


def test_an_ego_graph_whose_picture_is_the_same_compares_equal_though_a_rim_link_counts_more():
    """The rim (between two companions) draws only a line's width: its count is left out,
    so a page whose picture did not change is reused by the next build (see render.RenderMemo)."""
    once, twice = (pages_of(site_of(MEETINGS + ["Person B and Person C."] * n)) for n in (1, 2))
    assert once["people/person-b"].related != twice["people/person-b"].related
    before, after = (ego_graph(pages["people/person-a"], pages) for pages in (once, twice))
    assert before == after
    rim = [e for e in after.edges if not e.strong]
    assert [(e.a, e.b, e.weight) for e in rim] == [("people/person-b", "people/person-c", None)]


def test_a_kept_memo_hands_back_the_same_graph_while_what_it_is_drawn_from_is_equal():
    memo: LastRun = LastRun()

    def graph_of(texts):
        pages = pages_of(site_of(texts))
        kept = ego_graph(pages["people/person-a"], pages, memo=memo)
        memo.finish()
        assert kept == ego_graph(pages["people/person-a"], pages)
        return kept

    first = graph_of(MEETINGS)
    assert graph_of(MEETINGS + ["Person E alone again."]) is first  # nothing around Person A changed
    assert graph_of(MEETINGS + ["Person A met Person C."]) is not first


def test_an_entity_with_no_companion_has_no_ego_graph_and_a_site_of_one_entity_no_whole_graph():
    pages = pages_of(site_of())
    assert ego_graph(pages["people/person-e"], pages) is None
    assert whole_graph(site_of(["Person A alone."], PEOPLE[:1])) is None


def test_the_whole_graph_keeps_every_node_inside_its_frame_larger_for_more_mentions():
    graph = whole_graph(site_of())
    by_id = {n.entity_id: n for n in graph.nodes}
    assert set(by_id) == {p.id for p in PEOPLE}
    for n in graph.nodes:
        assert n.r <= n.x <= graph.width - n.r and n.r <= n.y <= graph.height - n.r, n
    assert by_id["people/person-a"].r > by_id["people/person-b"].r > by_id["people/person-e"].r
    assert {(e.a, e.b, e.weight) for e in graph.edges} == {
        ("people/person-a", "people/person-b", 2),
        ("people/person-a", "people/person-c", 1),
        ("people/person-a", "people/person-d", 1),
    }
    assert [e.strong for e in graph.edges] == [False, False, True]  # the heaviest drawn strong, and last (on top)


def test_the_same_site_gives_the_same_picture():
    assert whole_graph(site_of()) == whole_graph(site_of())
    assert whole_graph(site_of()) != whole_graph(site_of(MEETINGS + ["Person E met Person C."]))


def test_a_long_name_wraps_between_words_and_is_cut_only_past_three_lines_or_in_a_word_too_wide():
    assert wrap("Volodymyr Zelensky", 200, 14) == ("Volodymyr Zelensky",)
    assert wrap("Organisation for Security", 120, 14) == ("Organisation for", "Security")
    lines = wrap("Organisation for Security and Co-operation in Europe", 120, 14)
    assert lines == ("Organisation for", "Security and", "Co-operation in…")
    assert all(label_width(line, 14) <= 120 for line in lines)
    assert wrap("Oleksandrovych", 60, 14) == ("Oleksa…",)

"""The topics stage on hand-made articles (no model): which phrases become themes,
what their pages quote, and how content/topics.yaml adds, replaces and hides them.
Keyphrase candidates, which the model would hand over, are marked [like this]."""

from __future__ import annotations

from conftest import article, entity
from generator.content import load_content
from generator.overrides import Overrides
from generator.topics import PhraseMemo, _keys_by_word, _phrase_holding, build_topics


def topics_of(*articles, overrides: Overrides | None = None, entities=()):
    sources = tuple(source for source, _ in articles)
    extractions = {extraction.source_slug: extraction for _, extraction in articles}
    return build_topics(sources, extractions, overrides or Overrides(), entities=entities)


def curated(tmp_path, topics_yaml: str) -> Overrides:
    content = tmp_path / "content"
    content.mkdir()
    (content / "topics.yaml").write_text(topics_yaml, encoding="utf-8")
    overrides, _ = load_content(content)
    return overrides


def quoted(result, name: str) -> list[tuple[str, str, str]]:
    """Where a topic's page quotes it: (source, paragraph, words)."""
    topic = next(e for e in result.entities if e.name == name)
    return [(m.source, m.paragraph, m.text) for m in result.mentions if m.entity_id == topic.id]


CORPUS = (
    article("a", "Talks on a [ceasefire] stalled as [drone attacks] hit Odesa.", "The [prime minister] spoke to [people] there."),
    article("b", "A [ceasefire] was proposed after [drone attacks] on the port.", "[Volunteers] met [people] in the square."),
    article("c", "Both sides broke the [ceasefires] within hours.", "Another [drone attack] followed, [Zelensky] said."),
)


def test_a_phrase_several_sources_use_is_a_theme_singular_and_plural_as_one():
    result = topics_of(*CORPUS)
    assert sorted(e.name for e in result.entities) == ["ceasefire", "drone attacks"]  # the form written most
    assert quoted(result, "ceasefire") == [("a", "p-1", "ceasefire"), ("b", "p-1", "ceasefire"), ("c", "p-1", "ceasefires")]
    assert quoted(result, "drone attacks") == [("a", "p-1", "drone attacks"), ("b", "p-1", "drone attacks"), ("c", "p-2", "drone attack")]
    assert {e.id: e.kind for e in result.entities} == {"topics/ceasefire": "topic", "topics/drone-attacks": "topic"}
    assert result.warnings == ()


def test_a_kept_memo_finds_the_topics_a_fresh_build_finds_and_keeps_the_same_mentions():
    memo = PhraseMemo()

    def kept_and_fresh(*articles, entities=()):
        sources, extractions = tuple(s for s, _ in articles), {e.source_slug: e for _, e in articles}
        kept = build_topics(sources, extractions, Overrides(), memo, entities)
        assert kept == topics_of(*articles, entities=entities)
        return kept

    def mentions_of(result, name):
        topic = next(e for e in result.entities if e.name == name)
        return [m for m in result.mentions if m.entity_id == topic.id]

    first = kept_and_fresh(*CORPUS)
    edited = (*CORPUS[:2], article("c", "Both sides broke the [ceasefires] within hours.", "[Volunteers] said another [drone attack] followed."))
    kept_and_fresh(*edited)
    assert memo.salience.reused > 0 and memo.display.reused > 0 and memo.topic_mentions.reused == 1  # the ceasefire's, whose occurrences are as they were
    # A new article names the ceasefire: its mentions are made again, and those that were there are the same objects.
    third = kept_and_fresh(*edited, article("d", "The [ceasefire] held."))
    assert len(mentions_of(third, "ceasefire")) == 4
    assert all(new is old for new, old in zip(mentions_of(third, "ceasefire"), mentions_of(first, "ceasefire"), strict=False))
    # Other names weigh every phrase again.
    assert "ceasefire" not in [e.name for e in kept_and_fresh(*edited, entities=(entity("organization", "Ceasefire", confidence=0.9),)).entities]


def test_roles_vague_words_capitalised_names_and_one_offs_are_no_theme():
    names = {e.name for e in topics_of(*CORPUS).entities}
    # "prime minister" is a role; "people" too common to say anything; "Zelensky" written as a name;
    # "volunteers" in one source only, once.
    assert not names & {"prime minister", "people", "zelensky", "volunteers", "volunteer"}


def test_a_rare_word_one_article_keeps_using_is_a_theme():
    result = topics_of(article("a", "The [mobilisation] began on Monday.", "Critics said the [mobilisation] came late."), article("b", "Markets were calm."))
    assert [e.name for e in result.entities] == ["mobilisation"]


def test_a_name_resolution_is_sure_of_is_no_theme():
    corpus = [article(s, f"Members of the [coalition] met in {city}.") for s, city in (("a", "Paris"), ("b", "London"), ("c", "Rome"))]
    assert [e.name for e in topics_of(*corpus).entities] == ["coalition"]
    sure = entity("organization", "Coalition", confidence=0.9)
    doubtful = entity("organization", "Coalition", confidence=0.3)
    assert topics_of(*corpus, entities=(sure,)).entities == ()
    assert [e.name for e in topics_of(*corpus, entities=(doubtful,)).entities] == ["coalition"]


def test_longer_phrases_that_end_in_a_theme_are_its_subthemes():
    corpus = [
        article("a", "An [energy ceasefire] was agreed.", "The [ceasefire] held.", "A [ceasefire] is fragile."),
        article("b", "The [energy ceasefire] was broken.", "Another [ceasefire] failed."),
        article("c", "A [ceasefire] was announced.", "The [ceasefire] began."),
    ]
    result = topics_of(*corpus)
    [topic] = result.entities
    assert topic.name == "ceasefire" and topic.patterns == ("ceasefire", "energy ceasefire")
    assert result.subthemes[topic.id] == ("energy ceasefire",)
    assert len(quoted(result, "ceasefire")) == 7  # the head's passages include the sub-theme's


def test_curated_topics_match_their_patterns_with_plurals_and_prefixes(tmp_path):
    overrides = curated(tmp_path, ("topics:\n  - name: Mobilisation\n    description: The *call-up* of reservists.\n    patterns: [mobilis*, call-up]\n"))
    result = topics_of(article("a", "Kyiv mobilised more men.", "Two call-ups came in May."), article("b", "The mobilisation law passed. Nobody mobilises alone."), overrides=overrides)
    [topic] = result.entities
    assert (topic.id, topic.name, topic.confidence, topic.patterns) == ("topics/mobilisation", "Mobilisation", 1.0, ("mobilis*", "call-up"))
    assert topic.description == "The *call-up* of reservists."
    assert quoted(result, "Mobilisation") == [
        ("a", "p-1", "mobilised"),
        ("a", "p-2", "call-ups"),
        ("b", "p-1", "mobilisation"),
        ("b", "p-1", "mobilises"),
    ]


def test_a_curated_topic_replaces_the_automatic_one_of_its_name_and_hidden_ones_go(tmp_path):
    overrides = curated(tmp_path, ("topics:\n  - name: Ceasefire\n    patterns: [ceasefire, truce]\n  - name: drone attacks\n    hidden: true\n"))
    result = topics_of(*CORPUS, article("d", "A truce was signed."), overrides=overrides)
    assert [(e.name, e.confidence) for e in result.entities] == [("Ceasefire", 1.0)]
    assert ("d", "p-1", "truce") in quoted(result, "Ceasefire")


def test_automatic_false_keeps_only_the_curated_topics(tmp_path):
    overrides = curated(tmp_path, "automatic: false\ntopics:\n  - name: Grain\n    patterns: [grain]\n")
    result = topics_of(*CORPUS, article("d", "Grain prices rose."), overrides=overrides)
    assert [e.name for e in result.entities] == ["Grain"]


def test_curated_rules_that_match_nothing_are_warned_about_where_they_are_written(tmp_path):
    overrides = curated(tmp_path, ("topics:\n  - name: Grain corridor\n    patterns: [grain corridor]\n  - name: exit poll\n    hidden: true\n"))
    result = topics_of(*CORPUS, overrides=overrides)
    assert "Grain corridor" not in {e.name for e in result.entities}
    assert sorted(str(w) for w in result.warnings) == [
        "content/topics.yaml:2:5: topic 'Grain corridor': no passage matches its patterns",
        "content/topics.yaml:4:5: hidden topic 'exit poll' is not among the automatic topics; nothing to hide",
    ]


def test_a_word_that_only_modifies_the_nouns_of_recurring_phrases_is_no_theme():
    result = topics_of(
        article("a", "An [interim government] took over.", "The [interim government] met.", "An [interim solution] is in place."),
        article("b", "They chose an [interim solution].", "The [interim] [mobilisation] began.", "The [mobilisation] went on."),
    )
    assert "interim" not in {e.name for e in result.entities}


def test_a_word_gives_its_rank_to_the_phrase_that_holds_it_unless_that_phrase_is_a_name():
    found = {
        "exit": [("a", "p-1", 0, 4, "exit")] * 5,
        "exit poll": [("a", "p-1", 0, 9, "exit poll")] * 4,
        "interim": [("a", "p-1", 0, 7, "interim")] * 4,
        "interim government": [("a", "p-1", 0, 18, "interim government")] * 2,
        "interim solution": [("a", "p-1", 0, 16, "interim solution")] * 2,
        "tariff": [("a", "p-1", 0, 6, "tariff")] * 5,
        "steel tariff": [("a", "p-1", 0, 12, "steel tariff")] * 1,
    }
    with_word = _keys_by_word(found)
    assert _phrase_holding("exit", found, with_word) == "exit poll"  # 4 of its 5 occurrences
    assert _phrase_holding("interim", found, with_word) == "interim government"  # the most frequent it modifies
    assert _phrase_holding("tariff", found, with_word) is None  # mostly on its own


def test_interim_caretaker_and_transitional_say_one_theme():
    result = topics_of(
        article("a", "The [interim government] met.", "The [Transitional Government] spoke.", "A [caretaker government] ruled."),
        article("b", "Markets were calm."),
    )
    [topic] = result.entities
    assert topic.patterns[0] == "interim government"
    assert [m.text for m in result.mentions] == ["interim government", "Transitional Government", "caretaker government"]


def test_an_ing_word_before_its_object_is_a_verb_not_a_theme():
    texts = ("A goal came late, [marking] the end.", "Crowds gathered, [marking] a first.", "The [marking] of exams was slow.")
    result = topics_of(*(article(slug, *texts) for slug in "abc"))
    assert quoted(result, "marking") == [(slug, "p-3", "marking") for slug in "abc"]


def test_the_phrases_of_a_few_edited_sources_are_gathered_again_in_the_sources_order():
    def phrases(slug, *keys):
        return [(key, (slug, "p-1", i, i + len(key), key)) for i, key in enumerate(keys)]

    before = {f"s{i}": phrases(f"s{i}", "ceasefire", f"port {i}", "drone attack") for i in range(10)}
    after = dict(before, s4=phrases("s4", "ceasefire", "ceasefire", "grain deal"))  # "port 4" and "drone attack" go from s4
    memo = PhraseMemo()
    first = memo.gathered(before)
    kept_drone_attacks, kept_ports = first["drone attack"], first["port 7"]
    mended = memo.gathered(after)
    fresh = PhraseMemo(keep=False).gathered(after)
    assert dict(mended) == dict(fresh)
    assert [o[0] for o in mended["ceasefire"]] == ["s0", "s1", "s2", "s3", "s4", "s4", "s5", "s6", "s7", "s8", "s9"]
    assert "port 4" not in mended and mended["grain deal"] == [("s4", "p-1", 2, 12, "grain deal")]
    assert mended["port 7"] is kept_ports  # a key no edited source names is the very same list
    assert mended["drone attack"] is not kept_drone_attacks  # ... and one it named is a new one, for the memos that compare them

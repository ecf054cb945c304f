"""Writing the site: parts of it staged in forked helper processes, all or nothing."""

from __future__ import annotations

import os
import threading

import pytest

from conftest import files_in
from generator import forked
from generator.errors import Diagnostic, InputError
from generator.write import MANIFEST, write_site


def pages(names, text: str = "page"):
    for name in names:
        yield name, f"{text} {name}".encode()


def from_this_process(name: str):
    """A page that says which process rendered it."""
    yield name, str(os.getpid()).encode()


def failing(after):
    yield from after
    raise InputError([Diagnostic("templates/source.html", 7, None, "template error: boom")])


def test_a_share_is_staged_by_a_helper_process_and_written_with_the_rest(tmp_path):
    assert forked.available(), f"threads left running by earlier tests: {[t.name for t in threading.enumerate()]}"
    report = write_site(pages(["index.html", "people/a.html"]), tmp_path, shares=[from_this_process("sources/s.html")])
    assert (tmp_path / "sources/s.html").read_text() != str(os.getpid())  # another process rendered it
    assert report.written == 3
    assert set(files_in(tmp_path)) == {"index.html", "people/a.html", "sources/s.html", MANIFEST}


def test_with_another_thread_running_a_share_is_staged_here_and_written_the_same(tmp_path):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:  # forking now could leave a lock held by that thread held for ever in the child
        write_site(pages(["index.html"]), tmp_path, shares=[from_this_process("sources/s.html")])
    finally:
        stop.set()
        thread.join()
    assert (tmp_path / "sources/s.html").read_text() == str(os.getpid())


@pytest.mark.parametrize("fails", ["share", "main part"])
def test_a_failure_in_either_process_leaves_the_folder_as_it_was(tmp_path, fails):
    write_site(pages(["index.html", "people/a.html", "sources/s.html"]), tmp_path)
    before = files_in(tmp_path)
    main = pages(["index.html", "people/a.html", "people/new.html"], text="changed")
    share = pages(["sources/s.html", "sources/new/t.html"], text="changed")
    with pytest.raises(InputError) as raised:
        if fails == "share":
            write_site(main, tmp_path, shares=[failing(share)])
        else:
            write_site(failing(main), tmp_path, shares=[share])
    assert [str(p) for p in raised.value.problems] == ["templates/source.html:7: template error: boom"]  # whole, from either process
    assert files_in(tmp_path) == before  # no temporary file of either process is left
    assert not (tmp_path / "sources/new").exists()


def test_helpers_are_forked_only_as_far_as_the_memory_budget_goes(monkeypatch):
    import resource

    size = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # this process's peak size (in KiB on Linux)
    monkeypatch.setattr(forked, "MEMORY_BUDGET", 4 * size)
    assert forked.affordable(1) == 1 and forked.affordable(5) == 3  # each may come to cost as much as this process, which counts too
    monkeypatch.setattr(forked, "MEMORY_BUDGET", 3 * size // 2)
    assert forked.affordable(2) == 0


def test_work_claimed_from_both_ends_goes_once_to_one_process_each_from_its_own_end():
    claims = forked.Claims(500)
    helper = forked.Helper(lambda: list(claims.from_back()))  # forked now, before this process claims any
    mine = list(claims.from_front())
    theirs = helper.result()
    assert sorted(mine + theirs) == list(range(500))  # a counter copied by the fork, not shared, would give every number twice
    assert mine == list(range(len(mine))) and theirs == list(range(499, len(mine) - 1, -1))

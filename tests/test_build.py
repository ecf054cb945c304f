"""The build as a whole: bad input, atomicity, untouched inputs, the command line."""

from __future__ import annotations

import argparse
import subprocess
import sys

from conftest import args_for, snapshot
from generator.build import build
from generator.cli import main, parser


def test_a_build_never_modifies_its_inputs(scratch_project):
    inputs = [scratch_project.seeds, scratch_project.content, scratch_project.templates]
    before = [snapshot(f) for f in inputs]
    build(scratch_project)
    assert [snapshot(f) for f in inputs] == before


def test_a_rebuild_with_nothing_changed_rewrites_nothing(scratch_project):
    build(scratch_project)
    before = snapshot(scratch_project.out)
    report = build(scratch_project)
    assert report.pages_written == 0 and report.extracted == 0
    assert snapshot(scratch_project.out) == before


def test_the_report_counts_the_words_of_every_paragraph(scratch_project):
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(scratch_project.seeds.glob("*.txt")))
    report = build(scratch_project)
    assert 0.9 * len(text.split()) < report.words <= len(text.split())  # title and front lines are not paragraphs
    assert build(scratch_project).words == report.words  # the same from a build that stops early


def test_a_removed_source_loses_its_page(scratch_project):
    build(scratch_project)
    victim = sorted(scratch_project.seeds.iterdir())[0]
    pages = sorted((scratch_project.out / "sources").glob("*.html"))
    victim.unlink()
    report = build(scratch_project)
    assert report.pages_removed >= 1
    assert len(sorted((scratch_project.out / "sources").glob("*.html"))) == len(pages) - 1


def test_files_a_user_put_in_the_output_folder_are_kept(scratch_project):
    build(scratch_project)
    (scratch_project.out / "CNAME").write_text("example.org\n")
    (scratch_project.seeds / "extra.txt").write_text("A new title\nKeir Starmer spoke in London today.\n")
    build(scratch_project)
    assert (scratch_project.out / "CNAME").read_text() == "example.org\n"


def test_invalid_yaml_stops_the_build_with_file_and_line_and_keeps_the_site(scratch_project, capsys):
    build(scratch_project)
    before = snapshot(scratch_project.out)
    (scratch_project.content / "site.yaml").write_text("title: Briefing\ndescription: [unclosed\n")
    (scratch_project.seeds / "extra.txt").write_text("A new title\nKeir Starmer spoke in London today.\n")
    code = main(["build", *args_for(scratch_project)])
    err = capsys.readouterr().err
    assert code == 1
    assert "content/site.yaml:3:1:" in err or "content/site.yaml:2:" in err
    assert snapshot(scratch_project.out) == before


def test_a_broken_template_names_its_file_and_line_and_keeps_the_site(scratch_project, capsys):
    build(scratch_project)
    before = snapshot(scratch_project.out)
    entity = scratch_project.templates / "entity.html"
    lines = entity.read_text().splitlines()
    lines.insert(4, "{% if %}")
    entity.write_text("\n".join(lines) + "\n")
    code = main(["build", *args_for(scratch_project)])
    err = capsys.readouterr().err
    assert code == 1
    assert "templates/entity.html:5: template error" in err
    assert snapshot(scratch_project.out) == before


def test_a_template_error_late_in_the_build_leaves_the_site_and_no_temporary_file(scratch_project, capsys):
    build(scratch_project)
    before = snapshot(scratch_project.out)
    base = scratch_project.templates / "base.html"  # every page changes: the entity pages, rendered first, are staged
    base.write_text(base.read_text().replace("</footer>", "<p>New footer.</p></footer>"))
    source = scratch_project.templates / "source.html"  # and the source pages, rendered after them, fail
    source.write_text(source.read_text().replace("{% block content %}", "{% block content %}{{ source.no_such_field }}", 1))
    assert main(["build", *args_for(scratch_project)]) == 1
    assert "templates/source.html" in capsys.readouterr().err
    assert snapshot(scratch_project.out) == before  # hidden temporary files included


def test_the_command_says_everything_and_exits_with_its_code_though_it_skips_the_interpreters_cleanup(scratch_project):
    command = [sys.executable, "-m", "generator", "build", *args_for(scratch_project, quiet=False)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"built {scratch_project.out}/ from 2 sources") and done.stdout.endswith("KiB\n")
    (scratch_project.content / "site.yaml").write_text("title: [unclosed\n")
    failed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert failed.returncode == 1
    assert failed.stderr.endswith("nothing was written; fix the above and run again\n")


def test_an_undefined_template_variable_is_an_error_not_an_empty_string(scratch_project, capsys):
    index = scratch_project.templates / "index.html"
    index.write_text(index.read_text().replace("{% block content %}", "{% block content %}{{ no_such_variable }}", 1))
    assert main(["build", *args_for(scratch_project)]) == 1
    assert "no_such_variable" in capsys.readouterr().err


def test_strict_makes_warnings_fail(scratch_project, capsys):
    (scratch_project.seeds / "empty.txt").write_text("")
    assert main(["build", *args_for(scratch_project, quiet=False)]) == 0
    assert "empty.txt: skipped: the file is empty" in capsys.readouterr().err
    assert main(["build", "--strict", *args_for(scratch_project)]) == 1


def subcommands() -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def test_a_command_line_imports_only_its_own_command():
    """`briefing build` starts its model workers before it imports anything heavy (see
    workers.py); `watch` alone brings the build, the preview server and watchdog."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from generator.cli import parser\n"
        "names = lambda p: sorted(p._subparsers._group_actions[0].choices)\n"
        "heavy = lambda: sorted(m for m in ('generator.build', 'generator.watch', 'watchdog', 'spacy') if m in sys.modules)\n"
        "print(names(parser('build')), heavy())\n"
        "print(names(parser('watch')), heavy())\n"
        "print(names(parser()))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == [
        "['build'] []",
        "['build', 'watch'] ['generator.build', 'generator.watch', 'watchdog']",
        "['build', 'check', 'eval', 'init', 'suggest', 'watch']",  # the overall help lists them all
    ]


def test_every_command_and_option_has_help():
    for name, sub in subcommands().items():
        assert sub.description or sub.format_usage(), name
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert action.help and len(action.help) > 10, f"{name} {action.option_strings}"


def test_pages_get_the_mode_of_any_new_file_not_a_private_one(scratch_project):
    import os
    import stat

    build(scratch_project)
    umask = os.umask(0)
    os.umask(umask)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in scratch_project.out.rglob("*") if p.is_file()}
    assert modes == {0o666 & ~umask}  # 0644 under the usual umask: a web server running as another user can read them

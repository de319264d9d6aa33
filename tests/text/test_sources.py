"""Tests for collecting the files an import reads: folders walked, links followed once, problems named."""
import os

import pytest

from articles.text.sources import collect_files, source_names


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("二")
    (tmp_path / "a.txt").write_text("一")
    (tmp_path / "c.txt").write_text("三")
    (tmp_path / ".hidden.txt").write_text("藏")
    return tmp_path


def test_walks_folders_sorted_and_skips_hidden_files(tree):
    files, problems = collect_files([str(tree)])
    assert [os.path.relpath(f, tree) for f in files] == ["a.txt", "b/2.txt", "c.txt"]
    assert problems == []


def test_a_file_named_twice_is_read_once(tree):
    files, _ = collect_files([str(tree / "a.txt"), str(tree), str(tree / "a.txt")])
    assert [os.path.relpath(f, tree) for f in files] == ["a.txt", "b/2.txt", "c.txt"]


def test_missing_path_and_broken_link_are_problems(tree):
    (tree / "dangling").symlink_to(tree / "nowhere")
    files, problems = collect_files([str(tree / "missing.txt"), str(tree)])
    assert len(files) == 3
    assert problems == [
        (str(tree / "missing.txt"), "no such file or folder"),
        (str(tree / "dangling"), "not a regular file (a broken link or a device)"),
    ]


def test_symlink_loop_is_reported_once_and_the_walk_finishes(tree):
    (tree / "b" / "loop").symlink_to(tree, target_is_directory=True)
    files, problems = collect_files([str(tree)])
    assert [os.path.relpath(f, tree) for f in files] == ["a.txt", "b/2.txt", "c.txt"]
    assert problems == [(str(tree / "b" / "loop"), "folder visited already (a symbolic link loop)")]


def test_self_referencing_link_is_a_problem(tree):
    (tree / "self").symlink_to(tree / "self")
    files, problems = collect_files([str(tree)])
    assert len(files) == 3
    assert problems == [(str(tree / "self"), "a symbolic link that points back at itself (a link loop)")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its permissions")
def test_unlistable_folder_is_a_problem(tree):
    locked = tree / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        files, problems = collect_files([str(tree)])
    finally:
        locked.chmod(0o755)
    assert len(files) == 3
    assert problems[0][0] == str(locked) and problems[0][1].startswith("cannot list the folder")


def test_source_names_are_relative_to_the_folder_given_or_the_basename(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    inner, single = tmp_path / "a" / "b" / "x.txt", tmp_path / "y.txt"
    inner.write_text("x"), single.write_text("y")
    names = source_names([str(inner), str(single)], [str(tmp_path / "a"), str(single)])
    assert names == {str(inner): "b/x.txt", str(single): "y.txt"}

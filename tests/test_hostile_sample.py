"""One hostile input of each family of issue #24 (leaks, bombs, depth, read failures,
scripts, long input, init), run as scripts/hostile runs them all (tests/hostile_cases.py):
built in a subprocess with canaries outside the site and in the environment, within the
time and memory limits, with the exit, message and output each case expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from .hostile_cases import CASES, SAMPLE, demo, run

BY_NAME = {case.name: case for case in CASES}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo(tmp_path_factory.mktemp("hostile"))


def test_the_sample_holds_one_case_of_each_family_and_none_pending():
    families = {case.family for case in CASES}
    assert {BY_NAME[name].family for name in SAMPLE} == families
    assert not any(BY_NAME[name].pending for name in SAMPLE)


@pytest.mark.parametrize("name", SAMPLE)
def test_a_hostile_input_is_refused_with_its_place_or_built_without_leaking(built, tmp_path,
                                                                           name):
    result = run(BY_NAME[name], built, tmp_path)
    assert not result.skipped
    assert result.failures == (), result.failures

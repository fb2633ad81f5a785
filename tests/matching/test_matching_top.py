"""Blockwise top-k (each fund's best projects, each project's best funds) equals sorting the full matrix."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from roadshow.config import MATCH_WEIGHTS
from roadshow.matching.scoring import (
    CHAINS, REGIONS, STAGES, FundBlock, ProjectBlock, normalized_weights, score_matrix, top_matches,
)

W = normalized_weights(MATCH_WEIGHTS)


def instance(seed: int, n_funds: int, n_projects: int):
    """Few distinct values per field, so many pairs score exactly the same and ties decide the order."""
    rng = np.random.default_rng(seed)
    funds = FundBlock.from_arrays(
        rng.integers(0, 2, (n_funds, len(CHAINS))) / 2, rng.integers(0, 2, (n_funds, len(STAGES))) / 2,
        rng.random((n_funds, len(REGIONS))) > 0.5, np.zeros((n_funds, len(CHAINS))),
        rng.choice([1e6, 5e6], n_funds), rng.choice([1e7, 2e7], n_funds), W)
    projects = ProjectBlock.from_arrays(
        rng.integers(0, 2, n_projects), rng.integers(0, 2, n_projects), rng.integers(0, 2, n_projects),
        rng.choice([3e6, 1e7, 4e7], n_projects), rng.choice([0, 50], n_projects), rng.choice([0, 1.0], n_projects), W)
    return funds, projects


def best_first(scores: np.ndarray, k: int) -> list[list[int]]:
    """Each row's k best columns: score descending, equal scores by index."""
    return [sorted(range(len(row)), key=lambda i: (-row[i], i))[:k] for row in scores]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_funds=st.integers(1, 50), n_projects=st.integers(1, 200),
       per_fund=st.integers(1, 30), per_project=st.integers(1, 12), chunk=st.integers(1, 40),
       sample_every=st.integers(1, 6))
def test_top_matches_equal_sorting_the_full_matrix(seed, n_funds, n_projects, per_fund, per_project, chunk,
                                                   sample_every):
    funds, projects = instance(seed, n_funds, n_projects)
    matrix = score_matrix(funds, projects)  # (F, P)
    top = top_matches(funds, projects, per_fund, per_project, chunk=chunk, sample_every=sample_every)
    expected_projects = best_first(matrix, per_fund)
    assert top.fund_projects.tolist() == expected_projects
    assert np.array_equal(top.fund_scores, np.take_along_axis(matrix, np.array(expected_projects), 1))
    expected_funds = best_first(matrix.T, per_project)
    assert top.project_funds.tolist() == expected_funds
    assert np.array_equal(top.project_scores, np.take_along_axis(matrix.T, np.array(expected_funds), 1))


def test_scores_differing_in_the_last_bit_keep_their_order():
    """The packed sort keys carry the float32 score exactly."""
    funds, projects = instance(1, 30, 500)
    top = top_matches(funds, projects, per_fund=500, per_project=30)
    matrix = score_matrix(funds, projects)
    assert np.array_equal(np.sort(top.fund_scores, axis=1), np.sort(matrix, axis=1))

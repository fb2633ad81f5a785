"""The match score: hand-built cases, explanations, and the vectorised scorer against the per-pair reference."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadshow.common.choices import IndustryChain, Region, SrdiLevel, Stage
from roadshow.config import MATCH_WEIGHTS
from roadshow.matching.explain import reasons
from roadshow.matching.scoring import (
    CHAINS, COMPONENTS, FundBlock, FundProfile, ProjectBlock, ProjectProfile, pairs_at_least, score_matrix,
    score_pair,
)

WAN = 10_000
IC_FUND = FundProfile(chains=frozenset({"integrated_circuits"}), stages=frozenset({"a", "b"}),
                      regions=frozenset({"wuhan"}), ticket_min=500 * WAN, ticket_max=2000 * WAN)


def project(**fields) -> ProjectProfile:
    values = dict(chain="integrated_circuits", stage="a", region="wuhan", amount=1000 * WAN, innovation=70)
    values.update(fields)
    return ProjectProfile(**values)


def test_a_fund_focused_on_ics_ranks_the_ic_project_above_a_biomedicine_one():
    ic, bio = project(), project(chain="life_health")
    assert score_pair(IC_FUND, ic, MATCH_WEIGHTS) > score_pair(IC_FUND, bio, MATCH_WEIGHTS) + 20
    matrix = score_matrix(FundBlock.from_profiles([IC_FUND], MATCH_WEIGHTS),
                          ProjectBlock.from_profiles([bio, ic], MATCH_WEIGHTS))
    assert list(np.argsort(-matrix[0])) == [1, 0]


def test_a_ticket_range_that_cannot_cover_the_ask_scores_lower():
    small_tickets = FundProfile(IC_FUND.chains, IC_FUND.stages, IC_FUND.regions, 50 * WAN, 200 * WAN)
    part_tickets = FundProfile(IC_FUND.chains, IC_FUND.stages, IC_FUND.regions, 100 * WAN, 600 * WAN)
    ask = project(amount=1000 * WAN)
    full, part, none = (score_pair(f, ask, MATCH_WEIGHTS) for f in (IC_FUND, part_tickets, small_tickets))
    assert full > part > none


def test_explanations_name_the_chain_the_ticket_cover_and_the_stage():
    text = "；".join(reasons(IC_FUND, project(), MATCH_WEIGHTS))
    assert text == "产业链：集成电路；单笔 500–2000 万覆盖 1000 万需求；阶段 A轮"
    partial = reasons(FundProfile(IC_FUND.chains, IC_FUND.stages, IC_FUND.regions, 300 * WAN, 1500 * WAN),
                      project(amount=2000 * WAN), MATCH_WEIGHTS)
    assert "单笔 300–1500 万可参与 2000 万融资的一部分" in partial


def test_behaviour_and_flags_appear_in_reasons_when_they_weigh_most():
    behaviour = tuple(1.0 if c == "ai" else 0.0 for c in CHAINS)
    fund = FundProfile(frozenset({"optoelectronics"}), frozenset({"seed"}), frozenset({"beijing_tianjin"}),
                       10 * WAN, 20 * WAN, behaviour)
    text = reasons(fund, project(chain="ai", srdi="little_giant", high_tech=True, innovation=95), MATCH_WEIGHTS)
    assert text[0] == "机构近期关注人工智能项目"
    assert "创新积分 95" in text


# ----------------------------------------------------------------------------- property: vectorised = reference

amounts = st.integers(min_value=10_000, max_value=5_000_000_000)
funds = st.builds(
    lambda chains, stages, regions, a, b, behaviour: FundProfile(
        frozenset(chains), frozenset(stages), frozenset(regions), min(a, b), max(a, b), tuple(behaviour)),
    st.sets(st.sampled_from([c.value for c in IndustryChain])),
    st.sets(st.sampled_from([s.value for s in Stage])),
    st.sets(st.sampled_from([r.value for r in Region])),
    amounts, amounts,
    st.lists(st.floats(0, 1), min_size=len(CHAINS), max_size=len(CHAINS)),
)
projects = st.builds(
    ProjectProfile,
    chain=st.sampled_from([c.value for c in IndustryChain]),
    stage=st.sampled_from([s.value for s in Stage]),
    region=st.sampled_from([r.value for r in Region]),
    amount=amounts,
    innovation=st.integers(0, 100),
    srdi=st.sampled_from([s.value for s in SrdiLevel]),
    high_tech=st.booleans(),
)
weights = st.fixed_dictionaries({k: st.integers(0, 50) for k in COMPONENTS}).filter(lambda w: sum(w.values()) > 0)


@settings(max_examples=150, deadline=None)
@given(st.lists(funds, min_size=1, max_size=6), st.lists(projects, min_size=1, max_size=8), weights,
       st.integers(1, 5))
def test_vectorised_scores_equal_the_per_pair_reference(fund_list, project_list, w, chunk):
    matrix = score_matrix(FundBlock.from_profiles(fund_list, w), ProjectBlock.from_profiles(project_list, w), chunk)
    expected = np.array([[score_pair(f, p, w) for p in project_list] for f in fund_list])
    np.testing.assert_allclose(matrix, expected, atol=2e-3)  # float32 against float64


@settings(max_examples=150, deadline=None)
@given(st.lists(funds, min_size=1, max_size=6), st.lists(projects, min_size=1, max_size=9), weights,
       st.integers(1, 4), st.floats(0, 100))
def test_stored_pairs_are_exactly_those_the_reference_scores_at_least_the_threshold(
        fund_list, project_list, w, chunk, threshold):
    """The production path (pairs_at_least: chunks through a reused buffer, then a threshold) keeps every
    pair the per-pair formula scores at or above the threshold, with that score, and no other."""
    f, p, scores = pairs_at_least(FundBlock.from_profiles(fund_list, w),
                                  ProjectBlock.from_profiles(project_list, w), threshold, chunk)
    found = {(int(i), int(j)): float(s) for i, j, s in zip(f, p, scores)}
    assert len(found) == len(f)  # no pair twice (chunks must not overlap)
    expected = {(i, j): score_pair(fund, project, w)
                for i, fund in enumerate(fund_list) for j, project in enumerate(project_list)}
    near = {pair for pair, score in expected.items() if abs(score - threshold) <= 2e-3}  # float32 rounding
    assert set(found) - near == {pair for pair, score in expected.items() if score >= threshold} - near
    for pair, score in found.items():
        assert score == pytest.approx(expected[pair], abs=2e-3)

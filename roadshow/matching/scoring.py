"""Match scores between funds and projects: one plain per-pair definition and its vectorised twin.

`component_values` is the reference: seven components in [0, 1] for one (fund, project) pair,
written for reading. `FundBlock` / `ProjectBlock` encode many funds and projects as NumPy arrays
and `score_matrix` computes every pair at once; the tests hold the two to the same numbers.

Score = 100 × Σ weight·component / Σ weight. The components:
  chain      the project's industry chain is one the fund focuses on, weighted by how focused the fund is:
             0.5 + 0.5 × (N − n) / (N − 1) for a fund naming n of the N chains (1 for a single-chain fund,
             0.5 for one naming every chain, the same as one naming none); 0 for a chain it does not name
  stage      the round is one the fund invests in (0.5 for a neighbouring round or no stated stages)
  ticket     the fund's ticket range against the amount sought (see `ticket_fit`)
  region     the fund's regions cover the company's region (a fund naming none covers all)
  innovation the company's 创新积分 / 100
  flags      专精特新 level and 高新技术企业 status
  behaviour  how much the fund's people engaged with projects of this chain (bookings, meeting requests,
             live questions and interest, roadshow feedback), 1 − e^(−n/3) of a weighted count
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..common.choices import IndustryChain, Region, SrdiLevel, Stage
from ..config import MATCH_WEIGHTS as DEFAULT_WEIGHTS  # noqa: F401  (re-exported for the benchmark)

COMPONENTS = ("chain", "stage", "ticket", "region", "innovation", "flags", "behaviour")
# Part of the refresh job's key: stored scores made by another version of the formula are recomputed.
FORMULA_VERSION = 2

CHAINS = [c.value for c in IndustryChain]
STAGES = [s.value for s in Stage]
REGIONS = [r.value for r in Region]
CHAIN_INDEX = {v: i for i, v in enumerate(CHAINS)}
STAGE_INDEX = {v: i for i, v in enumerate(STAGES)}
REGION_INDEX = {v: i for i, v in enumerate(REGIONS)}

SRDI_VALUE = {SrdiLevel.NONE.value: 0.0, SrdiLevel.INNOVATIVE_SME.value: 0.4,
              SrdiLevel.PROVINCIAL.value: 0.7, SrdiLevel.LITTLE_GIANT.value: 1.0}
HIGH_TECH_SHARE = 0.3  # of the flags component; the 专精特新 level carries the rest

# A participant in a round takes at least this share of the amount sought.
MIN_SHARE = 0.2
LOG_SPAN = -math.log10(MIN_SHARE)
PARTIAL_CAP = 0.8  # a fund that can take only part of the round scores at most this on tickets

# Regions a fund's stated region covers beyond itself (Wuhan is in Hubei, which is in Central China).
REGION_COVERS = {
    Region.NATIONWIDE.value: set(REGIONS),
    Region.CENTRAL.value: {Region.WUHAN.value, Region.HUBEI.value, Region.CENTRAL.value},
    Region.HUBEI.value: {Region.WUHAN.value, Region.HUBEI.value},
}


@dataclass(frozen=True)
class FundProfile:
    chains: frozenset[str]
    stages: frozenset[str]
    regions: frozenset[str]
    ticket_min: int
    ticket_max: int
    behaviour: tuple[float, ...] = field(default=(0.0,) * len(CHAINS))  # per chain, in [0, 1]


@dataclass(frozen=True)
class ProjectProfile:
    chain: str
    stage: str
    region: str
    amount: int
    innovation: int  # 0–100
    srdi: str = SrdiLevel.NONE.value
    high_tech: bool = False
    # How much each fact counts: 1 when an official list verified it, else SELF_DECLARED_WEIGHTS["matching"]
    # (projects/facts.py decides).
    innovation_weight: float = 1.0
    srdi_weight: float = 1.0
    high_tech_weight: float = 1.0

    @property
    def counted_innovation(self) -> float:
        """Innovation points (0–100) as they count, after the discount for a self-declared score."""
        return self.innovation * self.innovation_weight

    @property
    def flags(self) -> float:
        return flags_value(self.srdi, self.high_tech, self.srdi_weight, self.high_tech_weight)


def normalized_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights with every component present, scaled to sum to 1 (a missing key counts as 0)."""
    values = {k: float(weights.get(k, 0)) for k in COMPONENTS}
    if any(v < 0 for v in values.values()) or sum(values.values()) <= 0:
        raise ValueError("MATCH_WEIGHTS must be non-negative with a positive sum")
    total = sum(values.values())
    return {k: v / total for k, v in values.items()}


# ----------------------------------------------------------------------------- reference, one pair

def covered_regions(regions: frozenset[str]) -> set[str]:
    if not regions:
        return set(REGIONS)
    return set().union(*(REGION_COVERS.get(r, {r}) for r in regions))


def ticket_fit(ticket_min: int, ticket_max: int, amount: int) -> float:
    """1 when one ticket can cover the whole amount sought; otherwise the share (on a log scale) of the
    participant range [MIN_SHARE·amount, amount] that the fund's range overlaps, capped at PARTIAL_CAP."""
    if ticket_min <= amount <= ticket_max:
        return 1.0
    log_a = math.log10(amount)
    overlap = min(math.log10(ticket_max), log_a) - max(math.log10(ticket_min), log_a - LOG_SPAN)
    return max(overlap, 0.0) / LOG_SPAN * PARTIAL_CAP


def chain_fit(chains: frozenset[str], chain: str) -> float:
    """Credit for the project's chain, less for a fund spread over many chains (see the module docstring)."""
    if not chains:
        return 0.5
    if chain not in chains:
        return 0.0
    return 0.5 + 0.5 * (len(CHAINS) - len(chains)) / (len(CHAINS) - 1)


def stage_fit(stages: frozenset[str], stage: str) -> float:
    if not stages or stage in stages:
        return 1.0 if stage in stages else 0.5
    i = STAGE_INDEX[stage]
    neighbours = {STAGES[j] for j in (i - 1, i + 1) if 0 <= j < len(STAGES)}
    return 0.5 if neighbours & stages else 0.0


def flags_value(srdi: str, high_tech: bool, srdi_weight: float = 1.0, high_tech_weight: float = 1.0) -> float:
    return ((1 - HIGH_TECH_SHARE) * SRDI_VALUE[srdi] * srdi_weight
            + HIGH_TECH_SHARE * float(high_tech) * high_tech_weight)


def component_values(fund: FundProfile, project: ProjectProfile) -> dict[str, float]:
    return {
        "chain": chain_fit(fund.chains, project.chain),
        "stage": stage_fit(fund.stages, project.stage),
        "ticket": ticket_fit(fund.ticket_min, fund.ticket_max, project.amount),
        "region": 1.0 if project.region in covered_regions(fund.regions) else 0.0,
        "innovation": project.counted_innovation / 100,
        "flags": project.flags,
        "behaviour": fund.behaviour[CHAIN_INDEX[project.chain]],
    }


def score_pair(fund: FundProfile, project: ProjectProfile, weights: Mapping[str, float]) -> float:
    w = normalized_weights(weights)
    values = component_values(fund, project)
    return 100 * sum(w[k] * values[k] for k in COMPONENTS)


# ----------------------------------------------------------------------------- vectorised, all pairs

_KEYS = len(CHAINS) * len(STAGES) * len(REGIONS)


@dataclass
class FundBlock:
    """Funds as arrays. `table[f, key]` holds the weighted chain + stage + region + behaviour part of the
    score for every (chain, stage, region) combination, so a project costs one gather per fund."""
    table: np.ndarray       # (F, chains·stages·regions) float32
    ticket_min: np.ndarray  # (F,) float64 yuan
    ticket_max: np.ndarray
    log_min: np.ndarray     # (F,) float32
    log_max: np.ndarray

    @classmethod
    def from_arrays(cls, chain_fit, stage_fit_, region_fit, behaviour, ticket_min, ticket_max, w) -> FundBlock:
        """Each *_fit is (F, n) with the component value the fund gives each chain / stage / region."""
        table = (
            (w["chain"] * chain_fit + w["behaviour"] * behaviour)[:, :, None, None]
            + (w["stage"] * stage_fit_)[:, None, :, None]
            + (w["region"] * region_fit)[:, None, None, :]
        ).astype(np.float32).reshape(len(ticket_min), _KEYS)
        ticket_min = np.asarray(ticket_min, dtype=np.float64)
        ticket_max = np.asarray(ticket_max, dtype=np.float64)
        return cls(table, ticket_min, ticket_max,
                   np.log10(ticket_min).astype(np.float32), np.log10(ticket_max).astype(np.float32))

    @classmethod
    def from_profiles(cls, funds: Sequence[FundProfile], weights: Mapping[str, float]) -> FundBlock:
        n = len(funds)
        chain_fit_ = np.zeros((n, len(CHAINS)))
        stage_fit_ = np.zeros((n, len(STAGES)))
        region_fit = np.zeros((n, len(REGIONS)))
        behaviour = np.zeros((n, len(CHAINS)))
        for i, fund in enumerate(funds):
            chain_fit_[i] = [chain_fit(fund.chains, c) for c in CHAINS]
            stage_fit_[i] = [stage_fit(fund.stages, s) for s in STAGES]
            region_fit[i] = [r in covered_regions(fund.regions) for r in REGIONS]
            behaviour[i] = fund.behaviour
        return cls.from_arrays(chain_fit_, stage_fit_, region_fit, behaviour,
                               [f.ticket_min for f in funds], [f.ticket_max for f in funds],
                               normalized_weights(weights))

    def __len__(self) -> int:
        return len(self.ticket_min)

    @cached_property
    def table_t(self) -> np.ndarray:
        """(keys, F): the table transposed once, so a project's categorical part is one contiguous row."""
        return np.ascontiguousarray(self.table.T)


@dataclass
class ProjectBlock:
    key: np.ndarray       # (P,) int index into FundBlock.table columns
    constant: np.ndarray  # (P,) float32: weighted innovation + flags (the same for every fund)
    amount: np.ndarray    # (P,) float64 yuan
    log_amount: np.ndarray  # (P,) float32
    w_ticket: float

    @classmethod
    def from_arrays(cls, chain, stage, region, amount, innovation, flags, w) -> ProjectBlock:
        chain, stage, region = (np.asarray(a, dtype=np.intp) for a in (chain, stage, region))
        amount = np.asarray(amount, dtype=np.float64)
        constant = w["innovation"] * np.asarray(innovation, float) / 100 + w["flags"] * np.asarray(flags, float)
        return cls((chain * len(STAGES) + stage) * len(REGIONS) + region, constant.astype(np.float32),
                   amount, np.log10(amount).astype(np.float32), w["ticket"])

    @classmethod
    def from_profiles(cls, projects: Sequence[ProjectProfile], weights: Mapping[str, float]) -> ProjectBlock:
        return cls.from_arrays(
            [CHAIN_INDEX[p.chain] for p in projects], [STAGE_INDEX[p.stage] for p in projects],
            [REGION_INDEX[p.region] for p in projects], [p.amount for p in projects],
            [p.counted_innovation for p in projects], [p.flags for p in projects],
            normalized_weights(weights),
        )

    def __len__(self) -> int:
        return len(self.amount)

    def take(self, index) -> ProjectBlock:
        index = np.atleast_1d(index)
        return ProjectBlock(self.key[index], self.constant[index], self.amount[index],
                            self.log_amount[index], self.w_ticket)


def _add_ticket_and_constant(block, scratch, log_min, log_max, t_min, t_max, log_a, amount, constant, w_ticket):
    """`block` holds the categorical part; add the ticket part and the constant and scale to 0–100, in
    place. The fund and project arrays broadcast against each other (either layout gives the same bits)."""
    tk, lo, fu, ab = scratch
    # Partial participation: overlap of [log min, log max] with [log a − span, log a], capped.
    np.minimum(log_max, log_a, out=tk)
    np.maximum(log_min, log_a - np.float32(LOG_SPAN), out=lo)
    tk -= lo
    np.maximum(tk, 0, out=tk)
    tk *= np.float32(PARTIAL_CAP / LOG_SPAN)
    # One ticket covers the whole amount: 1 (compared in yuan, exactly).
    np.less_equal(t_min, amount, out=fu)
    np.less_equal(amount, t_max, out=ab)
    fu &= ab
    np.maximum(tk, fu, out=tk)
    tk *= np.float32(w_ticket)
    block += tk
    block += constant
    block *= np.float32(100)


def _scratch(rows: int, width: int):
    return (np.empty((rows, width), np.float32), np.empty((rows, width), np.float32),
            np.empty((rows, width), bool), np.empty((rows, width), bool))


def _score_chunks(funds: FundBlock, projects: ProjectBlock, chunk: int, out: np.ndarray | None = None):
    """Yield (first project index, (rows, F) float32 scores) chunk by chunk, into `out` (P, F) when
    given, else into a reused buffer.

    Project-major layout: one project's scores against every fund are a contiguous row, so the
    categorical part is a row gather from the transposed fund table.
    """
    n = min(chunk, len(projects))
    scratch = _scratch(n, len(funds))
    buffer = np.empty((n, len(funds)), np.float32) if out is None else None
    for start in range(0, len(projects), chunk):
        rows = slice(start, start + chunk)
        m = len(projects.amount[rows])
        block = out[rows] if out is not None else buffer[:m]
        np.take(funds.table_t, projects.key[rows], axis=0, out=block)
        _add_ticket_and_constant(
            block, [a[:m] for a in scratch], funds.log_min[None, :], funds.log_max[None, :],
            funds.ticket_min[None, :], funds.ticket_max[None, :], projects.log_amount[rows, None],
            projects.amount[rows, None], projects.constant[rows, None], projects.w_ticket)
        yield start, block


def _score_fund_chunks(funds: FundBlock, projects: ProjectBlock, chunk: int):
    """Yield (first fund index, (rows, P) float32 scores): the fund-major twin of `_score_chunks`,
    with the same numbers, for selecting along a fund's row."""
    n = min(chunk, len(funds))
    scratch = _scratch(n, len(projects))
    buffer = np.empty((n, len(projects)), np.float32)
    for start in range(0, len(funds), chunk):
        rows = slice(start, start + chunk)
        m = len(funds.log_min[rows])
        block = buffer[:m]
        np.take(funds.table[rows], projects.key, axis=1, out=block)
        _add_ticket_and_constant(
            block, [a[:m] for a in scratch], funds.log_min[rows, None], funds.log_max[rows, None],
            funds.ticket_min[rows, None], funds.ticket_max[rows, None], projects.log_amount[None, :],
            projects.amount[None, :], projects.constant[None, :], projects.w_ticket)
        yield start, block


def score_matrix(funds: FundBlock, projects: ProjectBlock, chunk: int = 1024) -> np.ndarray:
    """(F, P) float32 scores on the 0–100 scale (a transposed view of a project-major array)."""
    out = np.empty((len(projects), len(funds)), dtype=np.float32)
    for _ in _score_chunks(funds, projects, chunk, out):
        pass
    return out.T


def pairs_at_least(funds: FundBlock, projects: ProjectBlock, threshold: float,
                   chunk: int = 1024) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fund indices, project indices, scores) of the pairs scoring at least `threshold`."""
    found = []
    for start, block in _score_chunks(funds, projects, chunk):
        p, f = np.nonzero(block >= threshold)
        found.append((f, p + start, block[p, f]))
    if not found:
        return np.empty(0, np.intp), np.empty(0, np.intp), np.empty(0, np.float32)
    return tuple(np.concatenate(parts) for parts in zip(*found))


# ----------------------------------------------------------------------------- blockwise top-k

@dataclass
class TopMatches:
    """Each fund's best projects and each project's best funds, best first; equal scores in index order."""
    fund_projects: np.ndarray    # (F, per_fund) project indices
    fund_scores: np.ndarray      # (F, per_fund) float32
    project_funds: np.ndarray    # (P, per_project) fund indices
    project_scores: np.ndarray   # (P, per_project) float32


def _descending_bits(score: np.ndarray) -> np.ndarray:
    """uint32 whose ascending order is the float32 scores' descending order (an order-preserving bit map)."""
    bits = np.ascontiguousarray(score, np.float32).view(np.uint32)
    ascending = np.where(bits & np.uint32(0x80000000), ~bits, bits | np.uint32(0x80000000))
    return ~ascending


def _score_from_descending(desc: np.ndarray) -> np.ndarray:
    ascending = ~desc
    bits = np.where(ascending & np.uint32(0x80000000), ascending & np.uint32(0x7FFFFFFF), ~ascending)
    return bits.astype(np.uint32).view(np.float32)


_NO_KEY = np.iinfo(np.uint64).max  # above every real key: a real score's bits are never all ones (a NaN's)


def _best_in_rows(block: np.ndarray, k: int, sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's k best columns and their scores (score descending, then column ascending); a row with
    fewer than k columns is padded with index −1 and score −inf.

    The k-th best among the `sample` columns is a lower bound of the row's k-th best (a subset's never
    exceeds the whole's), so only the scores at or above it are candidates. Each candidate becomes one
    uint64 key (order-preserving score bits, then the column) and each row's keys are laid side by side
    in a padded matrix, so the selection is a k-partition and a short sort along rows rather than one
    global sort of every candidate.
    """
    n_rows, width = block.shape
    sampled = block[:, sample]
    bound = np.partition(sampled, len(sample) - k, axis=1)[:, len(sample) - k]
    flat = np.flatnonzero(block >= bound[:, None])  # far cheaper than a 2-D nonzero
    rows, cols = np.divmod(flat, width)
    column_bits = max(width - 1, 1).bit_length()
    key = (_descending_bits(block.reshape(-1)[flat]).astype(np.uint64) << np.uint64(column_bits)) \
        | cols.astype(np.uint64)
    counts = np.bincount(rows, minlength=n_rows)
    padded = np.full((n_rows, max(int(counts.max(initial=0)), k)), _NO_KEY, np.uint64)
    padded[rows, np.arange(len(flat)) - (np.cumsum(counts) - counts)[rows]] = key
    if padded.shape[1] > k:
        padded = np.partition(padded, k - 1, axis=1)[:, :k]
    padded.sort(axis=1)
    missing = padded == _NO_KEY
    index = (padded & np.uint64((1 << column_bits) - 1)).astype(np.int64)
    score = _score_from_descending((padded >> np.uint64(column_bits)).astype(np.uint32))
    index[missing], score[missing] = -1, -np.inf
    return index, score


def _sample(n: int, every: int, k: int) -> np.ndarray:
    sample = np.arange(0, n, every)
    return sample if len(sample) >= k else np.arange(n)  # too few to hold a k-th best: take all


def top_matches(funds: FundBlock, projects: ProjectBlock, per_fund: int = 200, per_project: int = 50,
                chunk: int = 32, sample_every: int = 8) -> TopMatches:
    """Each fund's `per_fund` best projects and each project's `per_project` best funds (best first, equal
    scores in index order), in two passes over blocks of the score matrix, run side by side: project-major
    blocks of `chunk` projects, and fund-major blocks of about as many scores. Memory stays proportional to
    one block plus the kept pairs, never F × P.
    """
    n_funds, n_projects = len(funds), len(projects)
    per_fund, per_project = min(per_fund, n_projects), min(per_project, n_funds)
    project_funds = np.empty((n_projects, per_project), np.int64)
    project_scores = np.empty((n_projects, per_project), np.float32)
    fund_projects = np.empty((n_funds, per_fund), np.int64)
    fund_scores = np.empty((n_funds, per_fund), np.float32)
    def best_funds_per_project():
        sample = _sample(n_funds, sample_every, per_project)
        for start, block in _score_chunks(funds, projects, chunk):
            rows = slice(start, start + len(block))
            project_funds[rows], project_scores[rows] = _best_in_rows(block, per_project, sample)

    def best_projects_per_fund():
        sample = _sample(n_projects, sample_every, per_fund)
        fund_chunk = max(1, chunk * n_funds // max(n_projects, 1))
        for start, block in _score_fund_chunks(funds, projects, fund_chunk):
            rows = slice(start, start + len(block))
            fund_projects[rows], fund_scores[rows] = _best_in_rows(block, per_fund, sample)

    passes = [run for run, wanted in ((best_funds_per_project, per_project), (best_projects_per_fund, per_fund))
              if wanted]
    # The passes share nothing but the inputs, and NumPy releases the GIL in the heavy loops: a thread each.
    with ThreadPoolExecutor(max_workers=len(passes) or 1) as pool:
        for done in [pool.submit(run) for run in passes]:
            done.result()
    return TopMatches(fund_projects, fund_scores, project_funds, project_scores)

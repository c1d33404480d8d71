"""The listwise fit of the final ranker's weights (`qa_bot.ranking.WEIGHTS`, fitted by bench/fit_ranker.py).

Needs scipy: install the `eval` extra (`pip install -e '.[eval]'`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize


def fit_listwise(features: Sequence[np.ndarray], targets: Sequence[np.ndarray], l2: float = 1e-3) -> np.ndarray:
    """Weights of a linear score whose softmax over each question's candidates best matches `targets`.

    `features[i]` has one row per candidate of question i, `targets[i]` one non-negative value per
    candidate (1 for a passage that answers, 0 otherwise); questions whose targets are all zero
    teach nothing and are skipped. The loss is the cross-entropy between the softmax of the
    scores and the normalised targets (a listwise objective: only the order *within* a question
    counts, so no bias is fitted), plus `l2` times the squared weights of the standardised features.
    """
    pairs = [(np.asarray(x, np.float64), np.asarray(t, np.float64)) for x, t in zip(features, targets, strict=True)]
    pairs = [(x, t / t.sum()) for x, t in pairs if t.sum() > 0]
    if not pairs:
        raise ValueError("fit_listwise needs at least one question with a positive target")
    stacked = np.concatenate([x for x, _ in pairs])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    lists = [((x - mean) / scale, t) for x, t in pairs]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for x, t in lists:
            s = x @ w
            s -= s.max()
            log_p = s - np.log(np.exp(s).sum())
            total -= float(t @ log_p)
            grad -= x.T @ (t - np.exp(log_p))
        return total / len(lists) + l2 * float(w @ w), grad / len(lists) + 2 * l2 * w

    found = minimize(loss, np.zeros(stacked.shape[1]), jac=True, method="L-BFGS-B")
    return found.x / scale

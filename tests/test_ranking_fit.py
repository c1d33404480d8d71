"""The listwise fit of the final ranker's weights (qa_eval.fit.fit_listwise)."""

from __future__ import annotations

import numpy as np
import pytest

from qa_eval.fit import fit_listwise


def _lists(seed: int, questions: int = 200) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Questions of 10 candidates; the answer has the highest first signal, the second is noise, and
    the third is high for the answer's decoys (same document, wrong passage) as well."""
    rng = np.random.default_rng(seed)
    features, targets = [], []
    for _ in range(questions):
        x = rng.normal(size=(10, 3))
        answer = int(rng.integers(10))
        x[answer, 0] += 2.0
        x[:, 2] *= 0.5
        x[[answer, (answer + 1) % 10], 2] += 1.0
        t = np.zeros(10)
        t[answer] = 1.0
        features.append(x)
        targets.append(t)
    return features, targets


def test_the_fit_learns_which_signals_point_at_the_answer() -> None:
    features, targets = _lists(0)
    weights = fit_listwise(features, targets)
    assert weights[0] > 1.0  # the informative signal
    assert abs(weights[1]) < 0.3 * weights[0]  # noise
    assert weights[2] > 0.5  # narrows the choice to two candidates
    test_features, test_targets = _lists(1)
    top_is_answer = [t[np.argmax(x @ weights)] == 1 for x, t in zip(test_features, test_targets, strict=True)]
    assert np.mean(top_is_answer) > 0.8  # chance is 0.1


def test_only_the_order_within_a_question_counts() -> None:
    features, targets = _lists(2, questions=50)
    # Without the penalty, adding a constant vector to every candidate of a question changes nothing.
    weights = fit_listwise(features, targets, l2=0.0)
    shifted = [x + np.array([5.0, -3.0, 1.0]) * i for i, x in enumerate(features)]
    np.testing.assert_allclose(fit_listwise(shifted, targets, l2=0.0), weights, rtol=1e-3, atol=1e-3)
    # With it, the same shift for all questions changes nothing either (features are standardised).
    weights = fit_listwise(features, targets)
    shifted = [x + np.array([5.0, -3.0, 1.0]) for x in features]
    np.testing.assert_allclose(fit_listwise(shifted, targets), weights, rtol=1e-4, atol=1e-4)


def test_questions_without_an_answer_among_the_candidates_are_skipped() -> None:
    features, targets = _lists(3, questions=50)
    weights = fit_listwise(features, targets)
    with_empty = fit_listwise([*features, np.ones((4, 3))], [*targets, np.zeros(4)])
    np.testing.assert_allclose(with_empty, weights, rtol=1e-6)
    with pytest.raises(ValueError, match="positive target"):
        fit_listwise([np.ones((4, 3))], [np.zeros(4)])


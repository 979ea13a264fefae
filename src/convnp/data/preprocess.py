"""Preprocessing: statistics fitted on the training images, applied to every batch on the fly.

Images are stored as uint8 (N, H, W, C) and become the models' float32 (N, C, H, W) input one
batch at a time. Each preprocessor here is fitted once, on the training array only (the
statistics of validation or test images must never leak into the input of the model), in
float64, and then turns any batch into model input:

- ``Standardize``: per-channel ``(X - mean) / std`` (statistics over N, H and W)
- ``MeanImage``: the course's mean-image subtraction, ``X - mean(X_train, axis=0)``
- ``PCAWhiten``: center, rotate onto the principal axes, scale each to unit variance; (N, k)
- ``ZCAWhiten``: as PCAWhiten with every axis kept, then rotated back into pixel space

Every preprocessor has the same methods:

- ``fit(X_train) -> self``
- ``__call__(X)`` (alias ``transform``): model input, float32
- ``inverse(Z)``: back to the input's layout and pixel units (for display)
- ``state() -> (config, arrays)``: a JSON-ready dict and a dict of float64 arrays;
  ``from_state(config, arrays)`` rebuilds the preprocessor, so it is saved with the model in a
  plain ``.npz`` (``convnp.io.save(..., preprocess=)``) without pickling anything

Layouts: ``Standardize`` takes 4-D (N, H, W, C) images and returns (N, C, H, W).
``MeanImage`` and ``ZCAWhiten`` take 4-D images, NHWC in and NCHW out likewise, or 2-D feature
rows (N, D), returned as (N, D). ``PCAWhiten`` takes (N, ...) of any rank and returns (N, k):
its output has no pixel layout. Inputs may be uint8, other integers, float32 or float64.

Using one before ``fit`` raises ``NotFittedError`` (a ValueError).

    >>> import numpy as np
    >>> X = np.arange(2 * 4 * 4 * 3, dtype=np.uint8).reshape(2, 4, 4, 3)
    >>> pre = Standardize().fit(X)
    >>> pre(X).shape, pre(X).dtype
    ((2, 3, 4, 4), dtype('float32'))
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import _validate

__all__ = ["MeanImage", "NotFittedError", "PCAWhiten", "Standardize", "ZCAWhiten", "from_state"]

# Rows per chunk when a statistic is accumulated over the training array: a float64 copy of
# all of CIFAR-10 would take 1.2 GB; a chunk of 4096 CIFAR images as float64 takes 100 MB.
_CHUNK = 4096


class NotFittedError(ValueError):
    """A preprocessor used (called, inverted or saved) before ``fit``."""


def _images(X, name: str, fn: str, ndims: tuple[int, ...] | None = (4,)) -> np.ndarray:
    """Check X is a real-valued ndarray (uint8, int or float) of one of the ranks ``ndims``.

    ``ndims=None`` accepts any rank >= 2 (examples of any shape).
    """
    if not isinstance(X, np.ndarray):
        raise TypeError(f"{fn}: {name} must be a numpy.ndarray; got {type(X).__name__}")
    if X.dtype.kind not in "uif":
        raise TypeError(f"{fn}: {name} must hold numbers (uint8, int, float32 or float64); got "
                        f"dtype {X.dtype}")
    if ndims is None:
        if X.ndim < 2:
            raise ValueError(f"{fn}: {name} must be (N, ...), at least 2-D; got shape {X.shape}")
    elif X.ndim not in ndims:
        words = {2: "2-D (N, D) rows", 4: "4-D (N, H, W, C) images"}
        if name == "Z":
            words = {2: "2-D", 4: "4-D (N, C, H, W)"}
        wanted = " or ".join(words.get(d, f"{d}-D") for d in ndims)
        raise ValueError(f"{fn}: {name} must be {wanted}; got shape {X.shape}")
    return X


def _nonempty(X: np.ndarray, fn: str) -> None:
    if X.shape[0] < 1:
        raise ValueError(f"{fn}: X must hold at least one example to fit; got shape {X.shape}")


def _eps(eps, fn: str) -> float:
    return _validate.real(eps, "eps", fn, low=0.0)


def _nchw(X: np.ndarray) -> np.ndarray:
    """(N, H, W, C) -> contiguous (N, C, H, W); any other rank as it is."""
    return np.ascontiguousarray(X.transpose(0, 3, 1, 2)) if X.ndim == 4 else X


def _nhwc(Z: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> contiguous (N, H, W, C); any other rank as it is."""
    return np.ascontiguousarray(Z.transpose(0, 2, 3, 1)) if Z.ndim == 4 else Z


def _out_dtype(Z: np.ndarray) -> np.dtype:
    """inverse() returns float64 for float64 input and float32 otherwise."""
    return np.dtype(np.float64) if Z.dtype == np.float64 else np.dtype(np.float32)


def _example_shape(X: np.ndarray, wanted: tuple[int, ...], fn: str, name: str = "X",
                   note: str = "") -> None:
    """Check the shape of one example of X against the one seen by fit."""
    if X.shape[1:] != tuple(wanted):
        raise ValueError(f"{fn}: {name} must have examples of shape {tuple(wanted)}{note}, as "
                         f"the array given to fit; got {name} of shape {X.shape}")


def _mean_rows(X2: np.ndarray) -> np.ndarray:
    """Mean over axis 0, in float64 (numpy's reduction converts in buffers: no float64 copy)."""
    return X2.mean(axis=0, dtype=np.float64)


def _chunked_cov(X2: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """(X - mean).T @ (X - mean) / N of a 2-D array, a chunk of rows at a time, in float64."""
    D = X2.shape[1]
    cov = np.zeros((D, D), dtype=np.float64)
    for start in range(0, X2.shape[0], _CHUNK):
        Xc = X2[start:start + _CHUNK].astype(np.float64) - mean
        cov += Xc.T @ Xc
    return cov / X2.shape[0]


def _eig_descending(cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (descending, clipped at 0) and eigenvectors (columns) of a covariance.

    Each eigenvector's sign is fixed so that its largest-magnitude entry is positive: LAPACK may
    return either sign, and the saved file and the whitened data should not depend on which.
    """
    S, U = np.linalg.eigh(cov)
    S, U = S[::-1], U[:, ::-1]
    # Rounding can make the smallest eigenvalues of a singular covariance slightly negative.
    S = np.maximum(S, 0.0)
    rows = np.argmax(np.abs(U), axis=0)
    signs = np.sign(U[rows, np.arange(U.shape[1])])
    signs[signs == 0] = 1.0
    return np.ascontiguousarray(S), np.ascontiguousarray(U * signs)


class _Preprocessor:
    """Shared plumbing: fitted check, transform alias, state helpers."""

    _arrays: tuple[str, ...] = ()

    def _check_fitted(self, fn: str) -> None:
        if any(getattr(self, a) is None for a in self._arrays):
            name = type(self).__name__
            raise NotFittedError(f"{fn}: this {name} is not fitted; call {name}.fit(X_train) "
                                 f"first")

    @property
    def fitted(self) -> bool:
        """Whether the statistics are there (after ``fit``, or given to the constructor)."""
        return all(getattr(self, a) is not None for a in self._arrays)

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Same as ``self(X)``."""
        return self(X)

    def _state_arrays(self, fn: str) -> dict[str, np.ndarray]:
        self._check_fitted(fn)
        return {a: np.array(getattr(self, a), dtype=np.float64) for a in self._arrays}


class Standardize(_Preprocessor):
    """Per-channel standardization of NHWC images into the models' NCHW input.

    Z[n, c, h, w] = (X[n, h, w, c] - mean[c]) / std[c]

    with mean and std of the training images over N, H and W (float64; std is the population
    standard deviation, ddof=0, as ``get_dataset``). A channel whose std is <= eps (a constant
    channel) gets std = 1: it is centred, not divided by ~0.

    Args:
    - mean, std: per-channel statistics in pixel units (sequences of length C, std > 0), or
      None (default) to fit them with ``fit``; give both or neither. ``fit`` replaces them.
    - eps: float >= 0, the std below which a fitted channel counts as constant. Default 1e-8

    Shape:
    - fit: X (N, H, W, C), N >= 1
    - __call__: X (N, H, W, C), uint8 / int / float -> float32 (N, C, H, W)
    - inverse: Z (N, C, H, W) float -> (N, H, W, C) in pixel units, float32 (float64 for
      float64 Z)

    Attributes:
    - mean, std: float64 arrays of shape (C,), or None before fit

    Example:
        >>> X = np.zeros((2, 4, 4, 3), dtype=np.uint8)
        >>> Standardize(mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25))(X).shape
        (2, 3, 4, 4)
    """

    _arrays = ("mean", "std")

    def __init__(self, mean=None, std=None, eps: float = 1e-8) -> None:
        fn = "Standardize"
        self.eps = _eps(eps, fn)
        if (mean is None) != (std is None):
            raise ValueError(f"{fn}: give mean and std together, or neither (to fit them); "
                             f"got mean={mean!r}, std={std!r}")
        self.mean = self.std = None
        if mean is not None:
            self.mean = _channel_stat(mean, "mean", fn)
            self.std = _channel_stat(std, "std", fn)
            if self.mean.shape != self.std.shape:
                raise ValueError(f"{fn}: mean and std must have one value per channel each; "
                                 f"got {self.mean.size} means and {self.std.size} stds")
            if np.any(self.std <= 0):
                raise ValueError(f"{fn}: std must be > 0 in every channel; got "
                                 f"{self.std.tolist()}")
        self._cache()

    def _cache(self) -> None:
        # float32 copies used per batch, so a batch is converted once and never to float64.
        if self.mean is None:
            self._mean32 = self._scale32 = None
        else:
            self._mean32 = self.mean.astype(np.float32)
            self._scale32 = (1.0 / self.std).astype(np.float32)

    def fit(self, X: np.ndarray) -> Standardize:
        """Compute the per-channel mean and std of the images X (N, H, W, C); return self."""
        fn = "Standardize.fit"
        X = _images(X, "X", fn)
        _nonempty(X, fn)
        C = X.shape[-1]
        X2 = X.reshape(-1, C)
        mean = _mean_rows(X2)
        var = np.zeros(C, dtype=np.float64)
        rows = _CHUNK * 256  # rows of X2 are pixels here, not images
        for start in range(0, X2.shape[0], rows):
            var += np.square(X2[start:start + rows].astype(np.float64) - mean).sum(axis=0)
        std = np.sqrt(var / X2.shape[0])
        std[std <= self.eps] = 1.0
        self.mean, self.std = mean, std
        self._cache()
        return self

    def _check_channels(self, X: np.ndarray, axis: int, fn: str, name: str) -> None:
        C = self.mean.size
        if X.shape[axis] != C:
            where = "last axis" if axis == -1 else "axis 1"
            hint = ""
            if axis == -1 and X.shape[1] == C:
                hint = "; is it channels-first? Standardize takes stored (N, H, W, C) images"
            raise ValueError(f"{fn}: {name} has {X.shape[axis]} channels ({where}) but the "
                             f"statistics have {C} ({name} {X.shape}, mean ({C},)){hint}")

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """Standardize images X (N, H, W, C) into float32 (N, C, H, W)."""
        fn = "Standardize"
        X = _images(X, "X", fn)
        self._check_fitted(fn)
        self._check_channels(X, -1, fn, "X")
        Z = (X.astype(np.float32) - self._mean32) * self._scale32
        return _nchw(Z)

    def inverse(self, Z: np.ndarray) -> np.ndarray:
        """Undo the standardization: Z (N, C, H, W) -> images (N, H, W, C) in pixel units."""
        fn = "Standardize.inverse"
        Z = _images(Z, "Z", fn, (4,))
        self._check_fitted(fn)
        self._check_channels(Z, 1, fn, "Z")
        X = _nhwc(Z).astype(np.float64) * self.std + self.mean
        return X.astype(_out_dtype(Z), copy=False)

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """(config, arrays): {'type': 'Standardize', 'eps'}, {'mean', 'std'} of shape (C,)."""
        arrays = self._state_arrays("Standardize.state")
        return {"type": "Standardize", "eps": self.eps}, arrays

    def __repr__(self) -> str:
        if not self.fitted:
            return "Standardize(not fitted)"
        return (f"Standardize(mean={np.round(self.mean, 4).tolist()}, "
                f"std={np.round(self.std, 4).tolist()})")


def _channel_stat(value, name: str, fn: str) -> np.ndarray:
    if isinstance(value, (str, bytes)) or np.ndim(value) != 1:
        raise ValueError(f"{fn}: {name} must be a sequence of per-channel values; got {value!r}")
    arr = np.asarray(value)
    if arr.size == 0 or arr.dtype.kind not in "uif" or not np.all(np.isfinite(arr)):
        raise ValueError(f"{fn}: {name} must be a non-empty sequence of finite numbers; got "
                         f"{value!r}")
    return arr.astype(np.float64)


class MeanImage(_Preprocessor):
    """The course's mean-image subtraction: Z = X - mean(X_train, axis=0), channels first.

    Args: none.

    Shape:
    - fit: X (N, H, W, C) images or (N, D) rows, N >= 1
    - __call__: X of the fitted example shape -> float32 (N, C, H, W) for images, (N, D) for rows
    - inverse: Z (N, C, H, W) or (N, D) float -> (N, H, W, C) or (N, D), float32 (float64 for
      float64 Z)

    Attributes:
    - mean: float64 array of one example's shape ((H, W, C) or (D,)), or None before fit
    """

    _arrays = ("mean",)

    def __init__(self) -> None:
        self.mean = None
        self._mean32 = None

    def fit(self, X: np.ndarray) -> MeanImage:
        """Compute the mean image of X over its N examples; return self."""
        fn = "MeanImage.fit"
        X = _images(X, "X", fn, (2, 4))
        _nonempty(X, fn)
        self.mean = X.mean(axis=0, dtype=np.float64)
        self._mean32 = self.mean.astype(np.float32)
        return self

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """Subtract the mean image: X (N, H, W, C) -> float32 (N, C, H, W); (N, D) -> (N, D)."""
        fn = "MeanImage"
        X = _images(X, "X", fn, (2, 4))
        self._check_fitted(fn)
        _example_shape(X, self.mean.shape, fn)
        return _nchw(X.astype(np.float32) - self._mean32)

    def inverse(self, Z: np.ndarray) -> np.ndarray:
        """Add the mean image back: Z (N, C, H, W) -> (N, H, W, C); (N, D) -> (N, D)."""
        fn = "MeanImage.inverse"
        Z = _images(Z, "Z", fn, (2, 4))
        self._check_fitted(fn)
        X = _nhwc(Z)
        _example_shape(X, self.mean.shape, fn, "Z", " after moving channels last")
        return (X.astype(np.float64) + self.mean).astype(_out_dtype(Z), copy=False)

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """(config, arrays): {'type': 'MeanImage'}, {'mean'} of one example's shape."""
        return {"type": "MeanImage"}, self._state_arrays("MeanImage.state")

    def __repr__(self) -> str:
        return "MeanImage(not fitted)" if self.mean is None else \
            f"MeanImage(mean of shape {self.mean.shape})"


class _Whiten(_Preprocessor):
    """Center, covariance and eigendecomposition of flattened examples (PCA and ZCA share it)."""

    _arrays = ("mean", "eigenvalues", "eigenvectors")

    def __init__(self, eps) -> None:
        self.eps = _eps(eps, type(self).__name__)
        self.mean = self.eigenvalues = self.eigenvectors = None
        self.example_shape: tuple[int, ...] | None = None

    def _fit(self, X: np.ndarray, fn: str, ndims: tuple[int, ...], k: int | None) -> None:
        X = _images(X, "X", fn, ndims)
        _nonempty(X, fn)
        X2 = X.reshape(X.shape[0], -1)
        D = X2.shape[1]
        if k is not None and k > D:
            raise ValueError(f"{fn}: num_components={k} is more than the D={D} values of one "
                             f"example (X {X.shape})")
        mean = _mean_rows(X2)
        S, U = _eig_descending(_chunked_cov(X2, mean))
        k = D if k is None else k
        self.mean, self.eigenvalues, self.eigenvectors = mean, S[:k].copy(), U[:, :k].copy()
        self.example_shape = tuple(X.shape[1:])
        self._derive()

    def _derive(self) -> None:
        """Compute the matrices used per batch from the saved eigendecomposition."""

    def _rows(self, X, fn: str, ndims: tuple[int, ...]) -> np.ndarray:
        """X checked against the fitted example shape, centred, as float64 (N, D)."""
        X = _images(X, "X", fn, ndims)
        self._check_fitted(fn)
        _example_shape(X, self.example_shape, fn)
        return X.reshape(X.shape[0], -1).astype(np.float64) - self.mean

    def _state(self, fn: str, config: dict[str, Any]) -> tuple[dict, dict[str, np.ndarray]]:
        arrays = self._state_arrays(fn)
        config = {"type": type(self).__name__, "eps": self.eps,
                  "example_shape": list(self.example_shape), **config}
        return config, arrays


class PCAWhiten(_Whiten):
    """PCA whitening of flattened examples (CS231n notes, "PCA and Whitening").

        Xc = X - mean                          mean over the N training examples, (D,)
        cov = Xc.T @ Xc / N                    (D, D)
        U, S = eigenvectors, eigenvalues of cov, S descending
        Xrot = Xc @ U[:, :k]                   decorrelated: the data in the eigenbasis
        Z = Xrot / sqrt(S[:k] + eps)           whitened: covariance diag(S / (S + eps)) ~ I

    eps keeps the division finite for directions of (almost) no variance; those directions,
    mostly noise, are amplified the most, which a larger eps damps. With N <= D the covariance
    has rank < D and its last eigenvalues are 0: keep num_components < N.

    Args:
    - num_components: int >= 1, the k principal axes kept, at most D; None (default) keeps all
    - eps: float >= 0 added to every eigenvalue. Default 1e-5

    Shape:
    - fit: X (N, ...) of any rank >= 2, D = the number of values in one example
    - __call__: X (N, ...) of the fitted example shape -> float32 (N, k)
    - inverse: Z (N, k) -> (N, ...) of the fitted example shape (exact when k = D; otherwise the
      projection onto the first k axes), float32 (float64 for float64 Z)

    Attributes:
    - mean: float64 (D,); eigenvalues: float64 (k,); eigenvectors: float64 (D, k), columns;
      example_shape: the shape of one example, all None before fit
    """

    def __init__(self, num_components: int | None = None, eps: float = 1e-5) -> None:
        super().__init__(eps)
        if num_components is not None:
            num_components = _validate.integer(num_components, "num_components", "PCAWhiten",
                                               minimum=1)
        self.num_components = num_components

    def fit(self, X: np.ndarray) -> PCAWhiten:
        """Fit mean and principal axes on the examples X (N, ...); return self."""
        self._fit(X, "PCAWhiten.fit", None, self.num_components)
        return self

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """Whitened coordinates of X (N, ...) on the k principal axes: float32 (N, k)."""
        Xc = self._rows(X, "PCAWhiten", None)
        return ((Xc @ self.eigenvectors) / np.sqrt(self.eigenvalues + self.eps)) \
            .astype(np.float32)

    def inverse(self, Z: np.ndarray) -> np.ndarray:
        """Map whitened coordinates Z (N, k) back to examples (N, ...) of the fitted shape."""
        fn = "PCAWhiten.inverse"
        Z = _images(Z, "Z", fn, (2,))
        self._check_fitted(fn)
        k = self.eigenvalues.size
        if Z.shape[1] != k:
            raise ValueError(f"{fn}: Z must have shape (N, {k}) (num_components); got {Z.shape}")
        Xrot = Z.astype(np.float64) * np.sqrt(self.eigenvalues + self.eps)
        X = Xrot @ self.eigenvectors.T + self.mean
        return X.reshape((Z.shape[0],) + self.example_shape).astype(_out_dtype(Z), copy=False)

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """(config, arrays): {'type', 'eps', 'example_shape', 'num_components'},
        {'mean' (D,), 'eigenvalues' (k,), 'eigenvectors' (D, k)}."""
        return self._state("PCAWhiten.state", {"num_components": self.num_components})

    def __repr__(self) -> str:
        fitted = "" if self.fitted else ", not fitted"
        return f"PCAWhiten(num_components={self.num_components}, eps={self.eps:g}{fitted})"


class ZCAWhiten(_Whiten):
    """ZCA whitening: PCA whitening with every axis, rotated back into pixel space.

        Xc = X - mean,  cov = Xc.T @ Xc / N = U diag(S) U.T
        matrix = U diag(1 / sqrt(S + eps)) U.T        symmetric (D, D)
        Z = Xc @ matrix                               covariance U diag(S / (S + eps)) U.T ~ I

    Of all whitening transforms ZCA changes the data least (it is the one closest to the
    identity), so whitened images still look like images, with edges emphasised.

    Images are flattened in their stored (H, W, C) order and the result is returned channels
    first, like the other image preprocessors.

    Args:
    - eps: float >= 0 added to every eigenvalue. Default 1e-5 (in pixel units squared; for
      uint8 pixels, values near 0.1 to 10 give less noisy images)

    Shape:
    - fit: X (N, H, W, C) images or (N, D) rows
    - __call__: X of the fitted example shape -> float32 (N, C, H, W) for images, (N, D) for rows
    - inverse: Z (N, C, H, W) or (N, D) -> (N, H, W, C) or (N, D), exact up to rounding,
      float32 (float64 for float64 Z)

    Attributes:
    - mean: float64 (D,); eigenvalues (D,), eigenvectors (D, D); matrix: the symmetric
      whitening matrix (D, D); example_shape; all None before fit
    """

    def __init__(self, eps: float = 1e-5) -> None:
        super().__init__(eps)
        self.matrix = self._unwhiten = None

    def _derive(self) -> None:
        U, S = self.eigenvectors, self.eigenvalues
        W = (U / np.sqrt(S + self.eps)) @ U.T
        V = (U * np.sqrt(S + self.eps)) @ U.T
        # Symmetric in exact arithmetic; averaging with the transpose makes it so in floats.
        self.matrix = (W + W.T) / 2
        self._unwhiten = (V + V.T) / 2

    def fit(self, X: np.ndarray) -> ZCAWhiten:
        """Fit mean and whitening matrix on X (N, H, W, C) or (N, D); return self."""
        self._fit(X, "ZCAWhiten.fit", (2, 4), None)
        return self

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """ZCA-whiten X: (N, H, W, C) -> float32 (N, C, H, W); (N, D) -> float32 (N, D)."""
        Xc = self._rows(X, "ZCAWhiten", (2, 4))
        Z = (Xc @ self.matrix).astype(np.float32).reshape(X.shape)
        return _nchw(Z)

    def inverse(self, Z: np.ndarray) -> np.ndarray:
        """Undo the whitening: Z (N, C, H, W) -> (N, H, W, C) in pixel units; (N, D) -> (N, D)."""
        fn = "ZCAWhiten.inverse"
        Z = _images(Z, "Z", fn, (2, 4))
        self._check_fitted(fn)
        Zl = _nhwc(Z)
        _example_shape(Zl, self.example_shape, fn, "Z", " after moving channels last")
        X = Zl.reshape(Z.shape[0], -1).astype(np.float64) @ self._unwhiten + self.mean
        return X.reshape(Zl.shape).astype(_out_dtype(Z), copy=False)

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """(config, arrays): {'type', 'eps', 'example_shape'},
        {'mean' (D,), 'eigenvalues' (D,), 'eigenvectors' (D, D)}."""
        return self._state("ZCAWhiten.state", {})

    def __repr__(self) -> str:
        fitted = "" if self.fitted else ", not fitted"
        return f"ZCAWhiten(eps={self.eps:g}{fitted})"


_CLASSES = {"Standardize": Standardize, "MeanImage": MeanImage, "PCAWhiten": PCAWhiten,
            "ZCAWhiten": ZCAWhiten}


def from_state(config: Mapping[str, Any], arrays: Mapping[str, np.ndarray]):
    """Rebuild a fitted preprocessor from the ``(config, arrays)`` its ``state()`` returned.

    Inputs:
    - config: the JSON-ready dict (after a JSON round trip: lists for tuples are fine), with
      'type' one of 'Standardize', 'MeanImage', 'PCAWhiten', 'ZCAWhiten'
    - arrays: dict of the arrays named by that type's ``state()`` docstring

    Raises TypeError if config is not a dict, ValueError for an unknown type, a missing or
    unexpected key, or arrays whose shapes do not fit together.
    """
    fn = "from_state"
    if not isinstance(config, Mapping):
        raise TypeError(f"{fn}: config must be a dict; got {type(config).__name__}")
    kind = config.get("type")
    if kind not in _CLASSES:
        raise ValueError(f"{fn}: config['type'] must be one of {sorted(_CLASSES)}; got {kind!r}")
    cls = _CLASSES[kind]
    required = {"Standardize": ("eps",), "MeanImage": (),
                "PCAWhiten": ("eps", "example_shape", "num_components"),
                "ZCAWhiten": ("eps", "example_shape")}[kind]
    _validate.keys(config, "config", fn, required=("type",) + required)
    if not isinstance(arrays, Mapping):
        raise TypeError(f"{fn}: arrays must be a dict; got {type(arrays).__name__}")
    _validate.keys(arrays, "arrays", fn, required=cls._arrays)
    a = {}
    for name in cls._arrays:
        value = arrays[name]
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "uif":
            raise TypeError(f"{fn}: arrays[{name!r}] must be a numeric numpy.ndarray; got "
                            f"{type(value).__name__} {getattr(value, 'dtype', '')}".rstrip())
        a[name] = value.astype(np.float64)

    if cls is Standardize:
        return Standardize(mean=a["mean"], std=a["std"], eps=config["eps"])
    if cls is MeanImage:
        if a["mean"].ndim not in (1, 3):
            raise ValueError(f"{fn}: arrays['mean'] of a MeanImage must be (H, W, C) or (D,); "
                             f"got shape {a['mean'].shape}")
        pre = MeanImage()
        pre.mean, pre._mean32 = a["mean"], a["mean"].astype(np.float32)
        return pre

    shape_ = config["example_shape"]
    if not isinstance(shape_, (list, tuple)) or not all(
            isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 1
            for s in shape_):
        raise ValueError(f"{fn}: config['example_shape'] must be a list of ints >= 1; got "
                         f"{shape_!r}")
    pre = PCAWhiten(config["num_components"], config["eps"]) if cls is PCAWhiten \
        else ZCAWhiten(config["eps"])
    D = int(np.prod(shape_))
    k = a["eigenvalues"].shape[0] if a["eigenvalues"].ndim == 1 else -1
    wanted = {"mean": (D,), "eigenvalues": (k,), "eigenvectors": (D, k)}
    expected_k = D if cls is ZCAWhiten or pre.num_components is None else pre.num_components
    if k != expected_k or any(a[n].shape != s for n, s in wanted.items()):
        got = {n: a[n].shape for n in cls._arrays}
        raise ValueError(f"{fn}: the arrays of a {kind} with example_shape {list(shape_)} must "
                         f"be mean ({D},), eigenvalues ({expected_k},), eigenvectors "
                         f"({D}, {expected_k}); got {got}")
    pre.mean, pre.eigenvalues, pre.eigenvectors = a["mean"], a["eigenvalues"], a["eigenvectors"]
    pre.example_shape = tuple(int(s) for s in shape_)
    pre._derive()
    return pre

"""ONNX export of convnp.nn models: ``export_onnx(model, path, input_shape)``.

The graph is written node by node with the ``onnx`` package's builders (``onnx.helper``), one
ONNX operator (or a short fixed chain) per convnp module, with the module's eval-mode meaning:

=====================  =========================================================================
convnp.nn              ONNX
=====================  =========================================================================
Sequential             its children in order; Residual: block(x) + (x or projection(x)), ``Add``
Linear                 ``Gemm(x, weight, bias, transB=1)`` (weight kept in PyTorch's (out, in)
                       layout); ``MatMul`` + ``Add`` for input of more than 2 dimensions
Conv2d                 ``Conv`` (pads = padding on all four sides, strides; output rounded down)
MaxPool2d, AvgPool2d   ``MaxPool``, ``AveragePool`` (no padding, so count_include_pad has nothing
                       to count, as in convnp; output rounded down, ceil_mode=0)
GlobalAvgPool2d        ``GlobalAveragePool`` then ``Flatten`` (convnp returns (N, C))
BatchNorm1d/2d         ``BatchNormalization`` with the running statistics and eps (eval mode)
LayerNorm              ``LayerNormalization`` over the last len(normalized_shape) axes
GroupNorm              ``Reshape`` (N, G, -1), ``InstanceNormalization``, ``Reshape`` back, then
                       the per-channel ``Mul`` / ``Add`` (identical at every opset, unlike
                       GroupNormalization, whose scale changed meaning in opset 21)
ReLU, LeakyReLU        ``Relu``, ``LeakyRelu(alpha=negative_slope)``
Sigmoid, Tanh          ``Sigmoid``, ``Tanh``
GELU                   ``Gelu`` from opset 20; before it the formula, exact
                       x * 0.5 * (1 + Erf(x / sqrt(2))) or the tanh form, as the module's
                       ``approximate`` says (convnp's default is the exact one, as PyTorch's)
Flatten                ``Flatten(axis=1)`` for the usual (N, C, H, W) -> (N, C*H*W); ``Reshape``
                       for other start_dim / end_dim
Dropout                nothing: the identity in eval mode
=====================  =========================================================================

The graph's input ``input`` has shape (N, *input_shape) with a symbolic batch dimension ``N``
(or a fixed one), in the model's dtype (float32 or float64, kept); its output is ``output``.
Initializers are named by the state_dict keys ('0.weight', '3.0.block.1.running_mean', ...)
and nodes by the module path, so a graph viewer reads like ``print(model)``.

float64 graphs are valid ONNX, but onnxruntime's CPU kernels have no float64 Conv, Erf,
LeakyRelu or InstanceNormalization (1.32); ``onnx.reference.ReferenceEvaluator`` runs them. ONNX
stores float attributes (LeakyRelu's alpha, the norms' epsilon) as float32, so a float64 graph
with LeakyReLU or a batch / layer / group norm is exact only to about 1e-8 relative (the
rounded alpha; eps rounded, which matters where a running variance is near eps).

Only the modules above, nested in Sequential and Residual, are exported; anything else
(including subclasses, whose forward may differ) is refused with its type and path. ``onnx`` is
imported when ``export_onnx`` is called: ``pip install 'convnp[onnx]'``.
"""

from __future__ import annotations

import copy
import math
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from .. import __version__, _validate, nn
from ..checkpoint import default_file_mode

__all__ = ["MIN_OPSET", "SUPPORTED", "export_onnx"]

# LayerNormalization arrived in opset 17, and 17 is what torch.onnx exports by default.
MIN_OPSET = 17
SUPPORTED = (nn.Sequential, nn.Residual, nn.Linear, nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d,
             nn.GlobalAvgPool2d, nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm,
             nn.Dropout, nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh, nn.GELU, nn.Flatten)
_FN = "export_onnx"


def _import_onnx():
    try:
        import onnx
    except ImportError as exc:
        raise ImportError("convnp.interop.onnx needs the onnx package: "
                          "pip install 'convnp[onnx]'") from exc
    return onnx


def _where(path: str) -> str:
    return f"at {path!r}" if path else "(the model itself)"


def _check_supported(module, path: str = "") -> None:
    """Raise TypeError naming the first module, in order, that the exporter cannot write."""
    if type(module) not in SUPPORTED:
        names = ", ".join(t.__name__ for t in SUPPORTED)
        raise TypeError(f"{_FN}: cannot export {type(module).__name__} {_where(path)}; "
                        f"supported modules: {names}")
    if isinstance(module, nn.Residual):
        children = [("block", module.block)]
        if module.projection is not None:
            children.append(("projection", module.projection))
    elif isinstance(module, nn.Sequential):
        children = list(module._modules.items())
    else:
        return
    for name, child in children:
        _check_supported(child, f"{path}.{name}" if path else name)


class _Graph:
    """Collects nodes and initializers; traces a dummy batch to know every shape.

    ``emit(module, path, name, x)`` appends the nodes of one module whose input tensor is called
    name and has the value x (a NumPy batch, so shapes and input errors come from convnp's own
    forward), and returns (output name, output value).
    """

    def __init__(self, onnx, dtype: np.dtype, opset: int) -> None:
        self.onnx, self.helper = onnx, onnx.helper
        self.dtype, self.opset = dtype, opset
        self.nodes: list = []
        self.initializers: list = []
        self._names: set[str] = set()

    def name(self, wanted: str) -> str:
        """A tensor name not used yet: wanted, or wanted with a suffix."""
        name, i = wanted, 1
        while name in self._names:
            name, i = f"{wanted}_{i}", i + 1
        self._names.add(name)
        return name

    def const(self, name: str, value, dtype=None) -> str:
        arr = np.asarray(value, dtype=self.dtype if dtype is None else dtype)
        name = self.name(name)
        self.initializers.append(self.onnx.numpy_helper.from_array(np.ascontiguousarray(arr),
                                                                   name))
        return name

    def node(self, op: str, inputs: list[str], path: str, out: str | None = None,
             **attrs) -> str:
        """Append one node; return its output tensor's name."""
        label = path or "model"
        out = self.name(out or f"{label}/{op}")
        self.nodes.append(self.helper.make_node(op, inputs, [out], name=self.name(f"node:{out}"),
                                                **attrs))
        return out

    # -- modules --------------------------------------------------------------------------

    def emit(self, module, path: str, x_name: str, x: np.ndarray) -> tuple[str, np.ndarray]:
        if isinstance(module, nn.Sequential):
            for child_name, child in module._modules.items():
                x_name, x = self.emit(child, f"{path}.{child_name}" if path else child_name,
                                      x_name, x)
            return x_name, x
        if isinstance(module, nn.Residual):
            prefix = f"{path}." if path else ""
            out_name, out = self.emit(module.block, prefix + "block", x_name, x)
            short_name, short = x_name, x
            if module.projection is not None:
                short_name, short = self.emit(module.projection, prefix + "projection", x_name, x)
            try:
                y = module(x)  # checks that the two branches have one shape
            except ValueError as exc:
                raise ValueError(f"{_FN}: module {_where(path)}: {exc}") from None
            assert y.shape == out.shape == short.shape
            return self.node("Add", [out_name, short_name], path), y
        try:
            y = module(x)
        except ValueError as exc:
            raise ValueError(f"{_FN}: module {type(module).__name__} {_where(path)} does not take "
                             f"its input of shape {x.shape}: {exc}") from None
        handler = getattr(self, f"_{type(module).__name__}")
        return handler(module, path, x_name, x, y), y

    def _state(self, module, path: str, key: str) -> str:
        full = f"{path}.{key}" if path else key
        return self.const(full, getattr(module, key))

    def _Linear(self, m, path, x_name, x, y) -> str:
        if x.ndim == 2:
            inputs = [x_name, self._state(m, path, "weight")]
            if m.bias is not None:
                inputs.append(self._state(m, path, "bias"))
            return self.node("Gemm", inputs, path, transB=1)
        w_t = self.const(f"{path}.weight.T", m.weight.T)
        out = self.node("MatMul", [x_name, w_t], path)
        if m.bias is None:
            return out
        return self.node("Add", [out, self._state(m, path, "bias")], path)

    def _Conv2d(self, m, path, x_name, x, y) -> str:
        inputs = [x_name, self._state(m, path, "weight")]
        if m.bias is not None:
            inputs.append(self._state(m, path, "bias"))
        p = m.padding[0]
        return self.node("Conv", inputs, path, kernel_shape=list(m.kernel_size),
                         strides=list(m.stride), pads=[p, p, p, p])

    def _pool(self, op, m, path, x_name) -> str:
        s = m._step
        return self.node(op, [x_name], path, kernel_shape=list(m._kernel), strides=[s, s])

    def _MaxPool2d(self, m, path, x_name, x, y) -> str:
        return self._pool("MaxPool", m, path, x_name)

    def _AvgPool2d(self, m, path, x_name, x, y) -> str:
        return self._pool("AveragePool", m, path, x_name)

    def _GlobalAvgPool2d(self, m, path, x_name, x, y) -> str:
        pooled = self.node("GlobalAveragePool", [x_name], path)
        return self.node("Flatten", [pooled], path, axis=1)

    def _batchnorm(self, m, path, x_name) -> str:
        inputs = [x_name] + [self._state(m, path, k)
                             for k in ("weight", "bias", "running_mean", "running_var")]
        return self.node("BatchNormalization", inputs, path, epsilon=m.eps)

    def _BatchNorm1d(self, m, path, x_name, x, y) -> str:
        return self._batchnorm(m, path, x_name)

    def _BatchNorm2d(self, m, path, x_name, x, y) -> str:
        return self._batchnorm(m, path, x_name)

    def _LayerNorm(self, m, path, x_name, x, y) -> str:
        inputs = [x_name, self._state(m, path, "weight"), self._state(m, path, "bias")]
        return self.node("LayerNormalization", inputs, path, axis=-len(m.normalized_shape),
                         epsilon=m.eps)

    def _GroupNorm(self, m, path, x_name, x, y) -> str:
        G, C = m.num_groups, m.num_channels
        grouped = self.node("Reshape", [x_name, self.const(f"{path}.groups_shape", [0, G, -1],
                                                           np.int64)], path)
        ones, zeros = np.ones(G, self.dtype), np.zeros(G, self.dtype)
        normed = self.node("InstanceNormalization",
                           [grouped, self.const(f"{path}.ones", ones),
                            self.const(f"{path}.zeros", zeros)], path, epsilon=m.eps)
        shape = self.node("Shape", [x_name], path)
        back = self.node("Reshape", [normed, shape], path)
        per_channel = (C,) + (1,) * (x.ndim - 2)
        scaled = self.node("Mul", [back, self.const(f"{path}.weight",
                                                    m.weight.reshape(per_channel))], path)
        return self.node("Add", [scaled, self.const(f"{path}.bias", m.bias.reshape(per_channel))],
                         path)

    def _Dropout(self, m, path, x_name, x, y) -> str:
        return x_name

    def _ReLU(self, m, path, x_name, x, y) -> str:
        return self.node("Relu", [x_name], path)

    def _LeakyReLU(self, m, path, x_name, x, y) -> str:
        return self.node("LeakyRelu", [x_name], path, alpha=float(m.negative_slope))

    def _Sigmoid(self, m, path, x_name, x, y) -> str:
        return self.node("Sigmoid", [x_name], path)

    def _Tanh(self, m, path, x_name, x, y) -> str:
        return self.node("Tanh", [x_name], path)

    def _GELU(self, m, path, x_name, x, y) -> str:
        if self.opset >= 20:
            return self.node("Gelu", [x_name], path, approximate=m.approximate)

        def c(value):
            return self.const(f"{path}.const", value)

        if m.approximate == "none":
            # GELU(x) = x * 0.5 * (1 + erf(x / sqrt(2)))
            z = self.node("Mul", [x_name, c(math.sqrt(0.5))], path)
            inner = self.node("Erf", [z], path)
        else:
            # 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))
            x3 = self.node("Mul", [self.node("Mul", [x_name, x_name], path), x_name], path)
            cubic = self.node("Add", [x_name, self.node("Mul", [x3, c(0.044715)], path)], path)
            inner = self.node("Tanh", [self.node("Mul", [cubic, c(math.sqrt(2 / math.pi))],
                                                 path)], path)
        one_plus = self.node("Add", [inner, c(1.0)], path)
        return self.node("Mul", [self.node("Mul", [x_name, c(0.5)], path), one_plus], path)

    def _Flatten(self, m, path, x_name, x, y) -> str:
        nd = x.ndim
        start = m.start_dim + nd if m.start_dim < 0 else m.start_dim
        end = m.end_dim + nd if m.end_dim < 0 else m.end_dim
        if start == end:
            return x_name
        if start == 0:
            raise ValueError(f"{_FN}: Flatten {_where(path)} has start_dim={m.start_dim}, which "
                             f"merges the batch dimension into the features; the exported graph "
                             f"keeps dimension 0 as the batch")
        if start == 1 and end == nd - 1:
            return self.node("Flatten", [x_name], path, axis=1)
        shape = [0] * start + [-1] + list(x.shape[end + 1:])
        return self.node("Reshape", [x_name, self.const(f"{path}.shape", shape, np.int64)],
                         path)


def _input_shape(input_shape) -> tuple[int, ...]:
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Iterable):
        raise TypeError(f"{_FN}: input_shape must be the shape of one example, such as (C, H, W), "
                        f"without the batch dimension; got {input_shape!r}")
    dims = tuple(input_shape)
    if not dims:
        raise ValueError(f"{_FN}: input_shape must hold at least one dimension, such as "
                         f"(C, H, W); got {input_shape!r}")
    return tuple(_validate.integer(d, f"input_shape[{i}]", _FN, minimum=1)
                 for i, d in enumerate(dims))


def _model_dtype(model) -> np.dtype:
    dtypes = {a.dtype for a in list(model.parameters()) + [b for _, b in model.named_buffers()]
              if np.issubdtype(a.dtype, np.floating)}
    if len(dtypes) > 1:
        raise ValueError(f"{_FN}: the model mixes float dtypes {sorted(map(str, dtypes))}; "
                         f"convert it with model.astype(...) first")
    dtype = dtypes.pop() if dtypes else np.dtype(np.float32)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"{_FN}: the model's dtype must be float32 or float64; got {dtype}")
    return dtype


def export_onnx(model, path: str | os.PathLike, input_shape, opset: int = 17, *,
                batch_size: int | None = None, metadata: Mapping[str, str] | None = None) -> Path:
    """Write model to path as an ONNX graph that computes its eval-mode forward.

    The model is traced once, in eval mode, on a batch of zeros of shape (batch, *input_shape)
    (each module's own forward checks the shapes); its train/eval flags are restored afterwards
    and its parameters are never changed. The ONNX model passes ``onnx.checker.check_model``
    (full check, with shape inference) before it is written to a temporary file in path's
    folder and renamed to path.

    Inputs:
    - model: a ``convnp.nn.Module`` built from the modules in the module docstring (any zoo
      model; a Sequential of them; Residual blocks), with float32 or float64 parameters
    - path: the .onnx file to write; its folder must exist
    - input_shape: the shape of ONE example, without the batch dimension: (C, H, W) for the
      zoo's models (a dataset's image_shape (H, W, C) reordered), (D,) for a Linear first
    - opset: the ONNX opset, MIN_OPSET (17) up to what the installed onnx knows. Default: 17.
      From 20 GELU is ONNX's Gelu; below it is written with Erf (or Tanh), the same numbers
    - batch_size (keyword-only): a fixed batch size; None (default) for a symbolic one, 'N'
    - metadata (keyword-only): str -> str pairs stored in the file's metadata_props

    Returns the path written, a ``pathlib.Path``.

    Raises TypeError for a model that is not a convnp.nn.Module or holds an unsupported module
    (naming its type and its path in the model), ValueError for an input_shape the model does
    not take, a bad opset or mixed dtypes, ImportError when onnx is not installed, and
    OSError naming path when it cannot be written.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"{_FN}: model must be a convnp.nn.Module (a zoo model, or a Sequential "
                        f"of convnp.nn modules); got {type(model).__name__}")
    _check_supported(model)
    shape = _input_shape(input_shape)
    if batch_size is not None:
        batch_size = _validate.integer(batch_size, "batch_size", _FN, minimum=1)
    onnx = _import_onnx()
    opset = _validate.integer(opset, "opset", _FN)
    newest = onnx.defs.onnx_opset_version()
    if not MIN_OPSET <= opset <= newest:
        raise ValueError(f"{_FN}: opset must be in [{MIN_OPSET}, {newest}] (the installed onnx "
                         f"{onnx.__version__} knows up to {newest}); got {opset}")
    meta = dict(metadata or {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
        raise TypeError(f"{_FN}: metadata must map str to str; got {metadata!r}")
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{_FN}: cannot write {path}: the folder {path.parent} does not "
                                f"exist")
    dtype = _model_dtype(model)

    # Trace a copy: a forward pass overwrites each module's cache (what a pending backward of
    # the caller's model needs) and eval() its modes.
    traced = copy.deepcopy(model)
    graph = _Graph(onnx, dtype, opset)
    x = np.zeros((batch_size or 2,) + shape, dtype=dtype)
    in_name = graph.name("input")
    traced.eval()
    out_name, y = graph.emit(traced, "", in_name, x)
    if out_name == in_name:
        out_name = graph.node("Identity", [in_name], "", out="output")
    else:
        for node in graph.nodes:
            for i, name in enumerate(node.output):
                if name == out_name:
                    node.output[i] = "output"
    elem = onnx.helper.np_dtype_to_tensor_dtype(dtype)
    batch = batch_size if batch_size is not None else "N"
    proto = onnx.helper.make_model(
        onnx.helper.make_graph(
            graph.nodes, type(model).__name__.lower(),
            [onnx.helper.make_tensor_value_info("input", elem, (batch,) + shape)],
            [onnx.helper.make_tensor_value_info("output", elem, (batch,) + y.shape[1:])],
            initializer=graph.initializers),
        opset_imports=[onnx.helper.make_opsetid("", opset)],
        # The oldest IR version that carries this opset, so older runtimes load the file.
        ir_version=onnx.helper.find_min_ir_version_for([onnx.helper.make_opsetid("", opset)]),
        producer_name="convnp", producer_version=__version__,
        doc_string=f"convnp.interop.onnx.export_onnx of {type(model).__name__}, eval mode")
    if meta:
        onnx.helper.set_model_props(proto, meta)
    onnx.checker.check_model(proto, full_check=True)

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.close(fd)
        os.chmod(tmp, default_file_mode())  # mkstemp makes it 0600 whatever the umask
        onnx.save_model(proto, tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path

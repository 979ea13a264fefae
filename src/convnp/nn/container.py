"""Containers: Sequential (a chain of modules) and Residual (x + block(x))."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from .module import Module

__all__ = ["Residual", "Sequential"]


class Sequential(Module):
    """A chain of modules: forward runs them in order, backward in reverse order.

    Children are named '0', '1', ... in the order given, so parameter names are '0.weight',
    '2.running_mean', ..., PyTorch's for torch.nn.Sequential. As in PyTorch, a single dict of
    name -> module gives the children those names instead (names without '.').

    Args:
        *modules (Module): the modules, in order; or one dict of name -> Module

    Shape:
        - Input: what the first module takes (the input itself when empty)
        - Output: what the last module returns

    Attributes:
        The children's parameters and buffers, under their names. ``seq[i]`` is the i-th
        child (negative i counts from the end); ``seq[i:j]`` a Sequential of the same child
        objects, under their names; ``len(seq)``, ``iter(seq)`` and ``seq.append(m)`` work as
        in PyTorch.

    Example:
        >>> from convnp.nn import Linear, ReLU
        >>> rng = np.random.default_rng(0)
        >>> model = Sequential(Linear(20, 10, rng=rng), ReLU(), Linear(10, 5, rng=rng))
        >>> model(np.zeros((4, 20), dtype=np.float32)).shape
        (4, 5)
    """

    def __init__(self, *modules) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], Mapping):
            items = list(modules[0].items())
        else:
            items = [(str(i), m) for i, m in enumerate(modules)]
        for name, module in items:
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: module {name} must be a convnp.nn.Module; got "
                                f"{type(module).__name__}")
            self.add_module(name, module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __getitem__(self, idx):
        items = list(self._modules.items())
        if isinstance(idx, slice):
            return Sequential(dict(items[idx]))
        if isinstance(idx, bool) or not isinstance(idx, (int, np.integer)):
            raise TypeError(f"Sequential indices must be ints or slices; got "
                            f"{type(idx).__name__}")
        if not -len(items) <= idx < len(items):
            raise IndexError(f"Sequential index {idx} is out of range for {len(items)} modules")
        return items[idx][1]

    def append(self, module: Module) -> Sequential:
        """Add module at the end, named str(len(self)); return self."""
        if not isinstance(module, Module):
            raise TypeError(f"Sequential.append: module must be a convnp.nn.Module; got "
                            f"{type(module).__name__}")
        self.add_module(str(len(self)), module)
        return self

    def forward(self, x: np.ndarray) -> np.ndarray:
        out = x
        for module in self._modules.values():
            out = module(out)
        self._cache = (np.shape(out), None)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self._cached(dout)
        for module in reversed(self._modules.values()):
            dout = module.backward(dout)
        return dout

    def _own_passes(self) -> bool:
        # The overrides below hold only for Sequential's own forward and backward: a subclass
        # that changes either is differentiated by its own backward.
        return (type(self).forward is Sequential.forward
                and type(self).backward is Sequential.backward)

    def _backward_freeing(self, dout: np.ndarray) -> np.ndarray:
        if not self._own_passes():
            return super()._backward_freeing(dout)
        self._cached(dout)
        for module in reversed(self._modules.values()):
            dout = module._backward_freeing(dout)
        self._free_caches()
        return dout

    def _backward_params(self, dout: np.ndarray) -> None:
        # Stop at the first child (from the input) that has trainable parameters: nothing
        # below it needs a gradient. Each child's caches go as soon as its backward is done.
        if not self._own_passes():
            return super()._backward_params(dout)
        self._cached(dout)
        children = list(self._modules.values())
        first = next((i for i, m in enumerate(children) if m._has_trainable()), None)
        if first is not None:
            for module in reversed(children[first + 1:]):
                dout = module._backward_freeing(dout)
            children[first]._backward_params(dout)
        self._free_caches()


class Residual(Module):
    """A residual connection: out = x + block(x), or projection(x) + block(x).

    The shortcut is the identity unless a projection is given (typically a 1x1 Conv2d with a
    stride, often followed by BatchNorm2d, to match the block's output shape). The backward
    pass sends dout through both paths and sums: dx = block.backward(dout) + dout (or
    + projection.backward(dout)).

    Args:
        block (Module): the residual branch
        projection (Module, optional): the shortcut branch; None for the identity. Default: None

    Shape:
        - Input: what block takes
        - Output: block's output shape, which must equal the shortcut's (x's, or projection's)

    Attributes:
        block, projection: the children, so their parameters are named 'block.0.weight',
        'projection.weight', ... (a torch.nn.Module with attributes of the same names has the
        same state_dict keys)

    Example:
        >>> from convnp.nn import Conv2d, ReLU
        >>> rng = np.random.default_rng(0)
        >>> res = Residual(Sequential(Conv2d(8, 8, 3, padding=1, rng=rng), ReLU()))
        >>> res(np.zeros((2, 8, 6, 6), dtype=np.float32)).shape
        (2, 8, 6, 6)
    """

    def __init__(self, block: Module, projection: Module | None = None) -> None:
        super().__init__()
        if not isinstance(block, Module):
            raise TypeError(f"Residual: block must be a convnp.nn.Module; got "
                            f"{type(block).__name__}")
        if projection is not None and not isinstance(projection, Module):
            raise TypeError(f"Residual: projection must be a convnp.nn.Module or None; got "
                            f"{type(projection).__name__}")
        self.block = block
        self.projection = projection  # registered as a child unless None

    def forward(self, x: np.ndarray) -> np.ndarray:
        fn = "Residual.forward"
        out = self.block(x)
        shortcut = x if self.projection is None else self.projection(x)
        if np.shape(shortcut) != np.shape(out):
            what = "x" if self.projection is None else "projection(x)"
            raise ValueError(f"{fn}: block(x) has shape {np.shape(out)} but the shortcut {what} "
                             f"has shape {np.shape(shortcut)}; they must match to be added "
                             f"(pass a projection that maps x to the block's output shape)")
        out = out + shortcut
        self._cache = (out.shape, None)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self._cached(dout)
        dx = self.block.backward(dout)
        if self.projection is None:
            return dx + dout
        return dx + self.projection.backward(dout)

    def _backward_freeing(self, dout: np.ndarray) -> np.ndarray:
        if (type(self).forward is not Residual.forward
                or type(self).backward is not Residual.backward):
            return super()._backward_freeing(dout)
        self._cached(dout)
        dx = self.block._backward_freeing(dout)
        shortcut = dout if self.projection is None else self.projection._backward_freeing(dout)
        self._free_caches()
        return dx + shortcut

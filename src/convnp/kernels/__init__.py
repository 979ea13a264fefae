"""The fast internals of convnp; callers (``convnp.layers``) validate, kernels trust them.

- ``im2col``: convolution as one matrix product per pass, in three memory layouts
  ('cnhw', 'nchw', 'nhwc'), picked by shape.
- ``winograd``: Winograd F(4x4, 3x3) for 3x3 stride-1 convolutions with enough channels
  (about 4x fewer multiplies than im2col); ``winograd.pick_algorithm`` chooses between the two.
- ``pointwise``: 1x1 convolutions without padding, one product per image straight on NCHW.
- ``pool``: max and average pooling as one whole-array operation per window offset, with a
  reshape path for windows that tile the input; max pooling records each window's argmax.
- ``norm``: spatial batch normalization reduced per channel straight from NCHW.
- ``gelu``: GELU in float32 from one branch-free erfc fit (the float64 path stays exact).
- ``jit``: the optional compiled kernels (Numba, ``pip install 'convnp[jit]'``) for float32:
  GELU's forward and backward, 2x2 and 3x3 max pooling (the backward writing the crop's zeros
  too), batch norm's passes and Winograd's output transforms, each one vectorized pass;
  ``CONVNP_JIT=0`` turns them off, and without numba the NumPy code runs (it stays their
  tested reference). ``jit.describe()`` says which. With AVX-512 (``jit.avx512()``) they also
  compute many convolutions directly, a block of outputs in vector registers: ``direct`` (3x3
  stride 1, few channels), ``taps`` (channels last, any filter and stride) and ``pointwise``'s
  1x1 kernels; without it (AVX2) ``direct`` and ``taps`` run smaller blocks, the 1x1
  layers stay on BLAS, and each ``pick`` says what was measured on such a CPU.
- ``relu``: ReLU forward and backward, bit for bit the course layer's numbers.
- ``threads``: the thread pool that runs the elementwise passes of ``norm``, ``pool``, ``gelu``
  and ``relu`` in chunks on every core (NumPy's ufuncs use one); ``set_num_threads(n)`` sets
  its size, 1 runs everything in the calling thread. Results do not depend on the count.
  Out of work, its workers spin 5 ms without the GIL (``_numba_wait``) before they sleep.
- ``blas``: ``matmul``, the affine layers' products; the small ones on one BLAS thread.
- ``malloc``: ``hold_freed_memory()`` keeps freed memory in the process (glibc), so that each
  training step reuses the last one's instead of page-faulting it in again; the CLI calls it.

Each kernel's docstring names the naive reference in ``convnp.layers`` it matches; the tests
hold every kernel equal to it to 1e-10 in float64.
"""

from .malloc import hold_freed_memory
from .threads import get_num_threads, set_num_threads

__all__ = ["get_num_threads", "hold_freed_memory", "set_num_threads"]

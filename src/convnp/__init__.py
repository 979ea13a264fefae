"""convnp: convolutional networks in NumPy.

The CS231n assignment-2 system (hand-written forward and backward passes, gradient checking)
as a library. Importing convnp loads no data, prints nothing and seeds nothing; it sets one
environment default, OpenBLAS's thread spin (see BLAS_SPIN_ENV), and only when NumPy is not
loaded yet.

Start with ``convnp.layers`` (the functional layers, course names) and
``convnp.gradient_check``.
"""

import os as _os
import sys as _sys

__version__ = "0.1.0"

# OpenBLAS's worker threads spin for 2**28 cycles (some 70 ms) after each matrix product before
# they sleep. On a 2-core machine they then hold the cores that convnp's compiled kernels and
# worker threads run on next: measured, three_layer's 7x7 convolution forward took 8.2 ms right
# after a product instead of 4.1, and a training step of three_layer 1.46x PyTorch's time
# instead of 0.93x, vgg 1.21x instead of 0.85x. OpenBLAS reads OPENBLAS_THREAD_TIMEOUT (a spin of
# 2**n cycles) once, when NumPy loads it; so when NumPy is not loaded yet and the environment
# has no value of its own, convnp sets 2**22 cycles, about 1 ms (20 and 24 measured alike).
# PyTorch's wheels use MKL and oneDNN, which do not read it.
BLAS_SPIN_ENV = {"OPENBLAS_THREAD_TIMEOUT": "22"}
if "numpy" not in _sys.modules:
    for _name, _value in BLAS_SPIN_ENV.items():
        _os.environ.setdefault(_name, _value)

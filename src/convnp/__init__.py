"""convnp: convolutional networks in NumPy.

The CS231n assignment-2 system (hand-written forward and backward passes, gradient checking)
as a library. Importing convnp loads no data, prints nothing and seeds nothing.

Start with ``convnp.layers`` (the functional layers, course names) and
``convnp.gradient_check``.
"""

__version__ = "0.1.0"

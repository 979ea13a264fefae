"""The fast internals of convnp: im2col/col2im, pooling windows, fused norms (callers validate)."""

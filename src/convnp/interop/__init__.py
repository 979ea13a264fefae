"""convnp.interop: models to and from other frameworks (optional extras).

- ``convnp.interop.torch``: ``to_torch(model)`` and ``from_torch(module)``, weights and running
  statistics copied both ways between convnp and PyTorch (needs torch; the ``test`` extra
  pins torch==2.13.0)
- ``convnp.interop.onnx``: ``export_onnx(model, path, input_shape)`` (``pip install
  'convnp[onnx]'``)

Importing this package imports neither torch nor onnx: each is imported by its own submodule,
which a user imports by name (``from convnp.interop.torch import to_torch``).
"""

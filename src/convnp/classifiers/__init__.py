"""The course's classifiers (``cs231n/classifiers``): a ``params`` dict and ``loss(X, y=None)``.

- ``TwoLayerNet``: affine - relu - affine - softmax
- ``FullyConnectedNet``: {affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine -
  softmax
- ``ThreeLayerConvNet``: conv - relu - 2x2 max pool - affine - relu - affine - softmax

``loss(X)`` returns scores of shape (N, C); ``loss(X, y)`` returns ``(loss, grads)`` with grads
keyed like params. Randomness comes from an explicit ``rng`` (numpy Generator), never from
NumPy's global generator.
"""

from .cnn import ThreeLayerConvNet
from .fc_net import FullyConnectedNet, TwoLayerNet

__all__ = ["FullyConnectedNet", "ThreeLayerConvNet", "TwoLayerNet"]

"""Real data in: file formats, the embedded digits, preprocessing, augmentation and batches.

Sources return uint8 images (N, H, W, C) (MNIST and the digits (N, H, W)) and int64 labels:

- ``load_cifar10(root)``, ``cifar10_classes()``: every official CIFAR-10 form, pickles read by a
  restricted unpickler that never runs code from a file
- ``load_mnist(root, kind='mnist' | 'fashion-mnist')``, ``mnist_classes(kind)``: IDX files
- ``load_image_folder(root, size=None, grayscale=False, cache=True)``: root/<class>/<image>
- ``load_digits()``: scikit-learn's 1,797 8x8 digits, stored in the package (offline)
- ``download_cifar10(root)``, ``download_mnist(root, kind)``: official sources, checksums

``get_dataset(spec)`` turns 'digits', 'cifar10', 'mnist', 'fashion-mnist' or 'folder:PATH' into
train / val / test splits and a ``Dataset`` description. ``preprocess`` (Standardize, MeanImage,
PCAWhiten, ZCAWhiten) turns stored images into float32 NCHW model input with statistics fitted
on training data; ``augment`` (RandomCrop, RandomFlip, AlternatingFlip, Cutout, Compose) works on
stored batches; ``BatchIterator`` batches with shuffling and an optional prefetch thread.
"""

from .augment import AlternatingFlip, Compose, Cutout, RandomCrop, RandomFlip
from .batches import BatchIterator
from .cifar10 import cifar10_classes, load_cifar10
from .datasets import SPECS, Dataset, Splits, default_data_dir, get_dataset
from .digits import digits_classes, load_digits
from .download import download_cifar10, download_mnist
from .folder import load_image_folder
from .mnist import load_mnist, mnist_classes
from .preprocess import MeanImage, NotFittedError, PCAWhiten, Standardize, ZCAWhiten, from_state

__all__ = [
    "SPECS", "AlternatingFlip", "BatchIterator", "Compose", "Cutout", "Dataset", "MeanImage",
    "NotFittedError", "PCAWhiten", "RandomCrop", "RandomFlip", "Splits", "Standardize",
    "ZCAWhiten", "cifar10_classes", "default_data_dir", "digits_classes", "download_cifar10",
    "download_mnist", "from_state", "get_dataset", "load_cifar10", "load_digits",
    "load_image_folder", "load_mnist", "mnist_classes",
]

"""conv_backward_fast's need_dx=False / need_dw=False: the same other gradients as the full
backward, and no dx / dw."""

import numpy as np
import pytest

from convnp.kernels import im2col, pointwise, winograd
from convnp.layers import (
    conv_backward_fast,
    conv_backward_naive,
    conv_forward_fast,
    conv_forward_naive,
)
from tests.helpers import assert_close

# (x_shape, w_shape, stride, pad, kernel cache the fast path picks)
CASES = [
    ((2, 3, 6, 6), (4, 3, 3, 3), 1, 1, im2col.ConvCache),          # 'nhwc'
    ((2, 3, 16, 16), (4, 3, 3, 3), 1, 1, im2col.ConvCache),        # 'nchw'
    ((2, 3, 7, 7), (4, 3, 3, 3), 2, 0, im2col.ConvCache),          # 'cnhw'
    ((32, 8, 8, 8), (8, 8, 3, 3), 1, 1, winograd.WinogradCache),
    ((2, 3, 5, 5), (4, 3, 1, 1), 2, 0, pointwise.PointwiseCache),
]


def _case(rng, x_shape, w_shape, stride, pad, kind):
    """(dout, the fast path's cache, the naive (dx, dw, db)) of one random case."""
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    param = {"stride": stride, "pad": pad}
    out, cache = conv_forward_fast(x, w, b, param)
    assert isinstance(cache[-1], kind)
    dout = rng.standard_normal(out.shape)
    return dout, cache, conv_backward_naive(dout, conv_forward_naive(x, w, b, param)[1])


@pytest.mark.parametrize("x_shape, w_shape, stride, pad, kind", CASES,
                         ids=[c[4].__name__ + str(c[0]) for c in CASES])
def test_need_dx_false_skips_dx_only(rng, x_shape, w_shape, stride, pad, kind):
    dout, cache, (_, dw_naive, db_naive) = _case(rng, x_shape, w_shape, stride, pad, kind)
    dx, dw, db = conv_backward_fast(dout, cache, need_dx=False)
    assert dx is None
    assert_close(dw, dw_naive, 1e-10, "dw")
    assert_close(db, db_naive, 1e-10, "db")
    # The full backward still returns all three, unchanged by the call above.
    dx_full, dw_full, db_full = conv_backward_fast(dout, cache)
    assert dx_full.shape == x_shape
    np.testing.assert_array_equal(dw_full, dw)
    np.testing.assert_array_equal(db_full, db)


@pytest.mark.parametrize("x_shape, w_shape, stride, pad, kind", CASES,
                         ids=[c[4].__name__ + str(c[0]) for c in CASES])
def test_need_dw_false_skips_dw_only(rng, x_shape, w_shape, stride, pad, kind):
    dout, cache, (dx_naive, _, db_naive) = _case(rng, x_shape, w_shape, stride, pad, kind)
    dx, dw, db = conv_backward_fast(dout, cache, need_dw=False)
    assert dw is None
    assert_close(dx, dx_naive, 1e-10, "dx")
    assert_close(db, db_naive, 1e-10, "db")
    none, none_w, db_only = conv_backward_fast(dout, cache, need_dx=False, need_dw=False)
    assert none is None and none_w is None
    assert_close(db_only, db_naive, 1e-10, "db")


def test_need_flags_must_be_bools(rng):
    x, w, b = rng.standard_normal((1, 2, 4, 4)), rng.standard_normal((3, 2, 3, 3)), np.zeros(3)
    out, cache = conv_forward_fast(x, w, b, {"stride": 1, "pad": 1})
    with pytest.raises(TypeError, match=r"^conv_backward_fast: need_dx must be True or False; "
                                        r"got 0$"):
        conv_backward_fast(out, cache, need_dx=0)
    with pytest.raises(TypeError, match=r"^conv_backward_fast: need_dw must be True or False; "
                                        r"got None$"):
        conv_backward_fast(out, cache, need_dw=None)

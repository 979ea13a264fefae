"""Compiled direct convolutions (Numba, float32): GENERATED, do not edit.

Written by ``python -m convnp.kernels._direct_codegen`` (see that module for how and why);
imported only through ``convnp.kernels.jit.direct_kernels``, which compiles it with LLVM's SLP
vectorizer on. ``convnp.kernels.direct``, ``taps`` and ``pointwise`` call the drivers over
chunks of images.
"""

# ruff: noqa: E501, E702

import numpy as np
from numba import njit, types

_U = np.uint64
_F32 = np.float32
_OPTIONS = dict(nogil=True, cache=True, error_model="numpy", fastmath={"contract"})
_IN1 = types.Array(types.float32, 1, "C", readonly=True)
_IN2 = types.Array(types.float32, 2, "C", readonly=True)
_IN3 = types.Array(types.float32, 3, "C", readonly=True)
_IN4 = types.Array(types.float32, 4, "C", readonly=True)
_W2 = types.float32[:, ::1]
_W3 = types.float32[:, :, ::1]
_W4 = types.float32[:, :, :, ::1]
_I = types.int64
_W1 = types.float32[::1]
_IDX = types.Array(types.int64, 1, "C", readonly=True)

@njit(**_OPTIONS)
def _forward_image_8x32(xs, w, b, o, o0, C, Fr, H_out, Wr, Hp, Wsp):
    """o[o0:] (Fr, H_out, Wr) = the 3x3 correlation of xs (C, Hp, Wsp) with w (Fr, C, 3, 3), plus b; blocks of 8 filters x 32 columns."""
    for f0 in range(0, Fr, 8):
        for h in range(H_out):
            for w0 in range(0, Wr, 32):
                bq = b[f0 + 0]
                a0_0_0 = bq; a0_0_1 = bq; a0_0_2 = bq; a0_0_3 = bq; a0_0_4 = bq; a0_0_5 = bq; a0_0_6 = bq; a0_0_7 = bq; a0_0_8 = bq; a0_0_9 = bq; a0_0_10 = bq; a0_0_11 = bq; a0_0_12 = bq; a0_0_13 = bq; a0_0_14 = bq; a0_0_15 = bq
                a0_1_0 = bq; a0_1_1 = bq; a0_1_2 = bq; a0_1_3 = bq; a0_1_4 = bq; a0_1_5 = bq; a0_1_6 = bq; a0_1_7 = bq; a0_1_8 = bq; a0_1_9 = bq; a0_1_10 = bq; a0_1_11 = bq; a0_1_12 = bq; a0_1_13 = bq; a0_1_14 = bq; a0_1_15 = bq
                bq = b[f0 + 1]
                a1_0_0 = bq; a1_0_1 = bq; a1_0_2 = bq; a1_0_3 = bq; a1_0_4 = bq; a1_0_5 = bq; a1_0_6 = bq; a1_0_7 = bq; a1_0_8 = bq; a1_0_9 = bq; a1_0_10 = bq; a1_0_11 = bq; a1_0_12 = bq; a1_0_13 = bq; a1_0_14 = bq; a1_0_15 = bq
                a1_1_0 = bq; a1_1_1 = bq; a1_1_2 = bq; a1_1_3 = bq; a1_1_4 = bq; a1_1_5 = bq; a1_1_6 = bq; a1_1_7 = bq; a1_1_8 = bq; a1_1_9 = bq; a1_1_10 = bq; a1_1_11 = bq; a1_1_12 = bq; a1_1_13 = bq; a1_1_14 = bq; a1_1_15 = bq
                bq = b[f0 + 2]
                a2_0_0 = bq; a2_0_1 = bq; a2_0_2 = bq; a2_0_3 = bq; a2_0_4 = bq; a2_0_5 = bq; a2_0_6 = bq; a2_0_7 = bq; a2_0_8 = bq; a2_0_9 = bq; a2_0_10 = bq; a2_0_11 = bq; a2_0_12 = bq; a2_0_13 = bq; a2_0_14 = bq; a2_0_15 = bq
                a2_1_0 = bq; a2_1_1 = bq; a2_1_2 = bq; a2_1_3 = bq; a2_1_4 = bq; a2_1_5 = bq; a2_1_6 = bq; a2_1_7 = bq; a2_1_8 = bq; a2_1_9 = bq; a2_1_10 = bq; a2_1_11 = bq; a2_1_12 = bq; a2_1_13 = bq; a2_1_14 = bq; a2_1_15 = bq
                bq = b[f0 + 3]
                a3_0_0 = bq; a3_0_1 = bq; a3_0_2 = bq; a3_0_3 = bq; a3_0_4 = bq; a3_0_5 = bq; a3_0_6 = bq; a3_0_7 = bq; a3_0_8 = bq; a3_0_9 = bq; a3_0_10 = bq; a3_0_11 = bq; a3_0_12 = bq; a3_0_13 = bq; a3_0_14 = bq; a3_0_15 = bq
                a3_1_0 = bq; a3_1_1 = bq; a3_1_2 = bq; a3_1_3 = bq; a3_1_4 = bq; a3_1_5 = bq; a3_1_6 = bq; a3_1_7 = bq; a3_1_8 = bq; a3_1_9 = bq; a3_1_10 = bq; a3_1_11 = bq; a3_1_12 = bq; a3_1_13 = bq; a3_1_14 = bq; a3_1_15 = bq
                bq = b[f0 + 4]
                a4_0_0 = bq; a4_0_1 = bq; a4_0_2 = bq; a4_0_3 = bq; a4_0_4 = bq; a4_0_5 = bq; a4_0_6 = bq; a4_0_7 = bq; a4_0_8 = bq; a4_0_9 = bq; a4_0_10 = bq; a4_0_11 = bq; a4_0_12 = bq; a4_0_13 = bq; a4_0_14 = bq; a4_0_15 = bq
                a4_1_0 = bq; a4_1_1 = bq; a4_1_2 = bq; a4_1_3 = bq; a4_1_4 = bq; a4_1_5 = bq; a4_1_6 = bq; a4_1_7 = bq; a4_1_8 = bq; a4_1_9 = bq; a4_1_10 = bq; a4_1_11 = bq; a4_1_12 = bq; a4_1_13 = bq; a4_1_14 = bq; a4_1_15 = bq
                bq = b[f0 + 5]
                a5_0_0 = bq; a5_0_1 = bq; a5_0_2 = bq; a5_0_3 = bq; a5_0_4 = bq; a5_0_5 = bq; a5_0_6 = bq; a5_0_7 = bq; a5_0_8 = bq; a5_0_9 = bq; a5_0_10 = bq; a5_0_11 = bq; a5_0_12 = bq; a5_0_13 = bq; a5_0_14 = bq; a5_0_15 = bq
                a5_1_0 = bq; a5_1_1 = bq; a5_1_2 = bq; a5_1_3 = bq; a5_1_4 = bq; a5_1_5 = bq; a5_1_6 = bq; a5_1_7 = bq; a5_1_8 = bq; a5_1_9 = bq; a5_1_10 = bq; a5_1_11 = bq; a5_1_12 = bq; a5_1_13 = bq; a5_1_14 = bq; a5_1_15 = bq
                bq = b[f0 + 6]
                a6_0_0 = bq; a6_0_1 = bq; a6_0_2 = bq; a6_0_3 = bq; a6_0_4 = bq; a6_0_5 = bq; a6_0_6 = bq; a6_0_7 = bq; a6_0_8 = bq; a6_0_9 = bq; a6_0_10 = bq; a6_0_11 = bq; a6_0_12 = bq; a6_0_13 = bq; a6_0_14 = bq; a6_0_15 = bq
                a6_1_0 = bq; a6_1_1 = bq; a6_1_2 = bq; a6_1_3 = bq; a6_1_4 = bq; a6_1_5 = bq; a6_1_6 = bq; a6_1_7 = bq; a6_1_8 = bq; a6_1_9 = bq; a6_1_10 = bq; a6_1_11 = bq; a6_1_12 = bq; a6_1_13 = bq; a6_1_14 = bq; a6_1_15 = bq
                bq = b[f0 + 7]
                a7_0_0 = bq; a7_0_1 = bq; a7_0_2 = bq; a7_0_3 = bq; a7_0_4 = bq; a7_0_5 = bq; a7_0_6 = bq; a7_0_7 = bq; a7_0_8 = bq; a7_0_9 = bq; a7_0_10 = bq; a7_0_11 = bq; a7_0_12 = bq; a7_0_13 = bq; a7_0_14 = bq; a7_0_15 = bq
                a7_1_0 = bq; a7_1_1 = bq; a7_1_2 = bq; a7_1_3 = bq; a7_1_4 = bq; a7_1_5 = bq; a7_1_6 = bq; a7_1_7 = bq; a7_1_8 = bq; a7_1_9 = bq; a7_1_10 = bq; a7_1_11 = bq; a7_1_12 = bq; a7_1_13 = bq; a7_1_14 = bq; a7_1_15 = bq
                for c in range(C):
                    for i in range(3):
                        for j in range(3):
                            xb = _U((c * Hp + h + i) * Wsp + w0 + j)
                            wb = _U(((f0 * C + c) * 3 + i) * 3 + j)
                            cs = _U(C * 9)
                            k0 = w[wb + _U(0) * cs]; k1 = w[wb + _U(1) * cs]; k2 = w[wb + _U(2) * cs]; k3 = w[wb + _U(3) * cs]; k4 = w[wb + _U(4) * cs]; k5 = w[wb + _U(5) * cs]; k6 = w[wb + _U(6) * cs]; k7 = w[wb + _U(7) * cs]
                            x0_0 = xs[xb + _U(0)]; x0_1 = xs[xb + _U(1)]; x0_2 = xs[xb + _U(2)]; x0_3 = xs[xb + _U(3)]; x0_4 = xs[xb + _U(4)]; x0_5 = xs[xb + _U(5)]; x0_6 = xs[xb + _U(6)]; x0_7 = xs[xb + _U(7)]; x0_8 = xs[xb + _U(8)]; x0_9 = xs[xb + _U(9)]; x0_10 = xs[xb + _U(10)]; x0_11 = xs[xb + _U(11)]; x0_12 = xs[xb + _U(12)]; x0_13 = xs[xb + _U(13)]; x0_14 = xs[xb + _U(14)]; x0_15 = xs[xb + _U(15)]
                            a0_0_0 += k0 * x0_0; a0_0_1 += k0 * x0_1; a0_0_2 += k0 * x0_2; a0_0_3 += k0 * x0_3; a0_0_4 += k0 * x0_4; a0_0_5 += k0 * x0_5; a0_0_6 += k0 * x0_6; a0_0_7 += k0 * x0_7; a0_0_8 += k0 * x0_8; a0_0_9 += k0 * x0_9; a0_0_10 += k0 * x0_10; a0_0_11 += k0 * x0_11; a0_0_12 += k0 * x0_12; a0_0_13 += k0 * x0_13; a0_0_14 += k0 * x0_14; a0_0_15 += k0 * x0_15
                            a1_0_0 += k1 * x0_0; a1_0_1 += k1 * x0_1; a1_0_2 += k1 * x0_2; a1_0_3 += k1 * x0_3; a1_0_4 += k1 * x0_4; a1_0_5 += k1 * x0_5; a1_0_6 += k1 * x0_6; a1_0_7 += k1 * x0_7; a1_0_8 += k1 * x0_8; a1_0_9 += k1 * x0_9; a1_0_10 += k1 * x0_10; a1_0_11 += k1 * x0_11; a1_0_12 += k1 * x0_12; a1_0_13 += k1 * x0_13; a1_0_14 += k1 * x0_14; a1_0_15 += k1 * x0_15
                            a2_0_0 += k2 * x0_0; a2_0_1 += k2 * x0_1; a2_0_2 += k2 * x0_2; a2_0_3 += k2 * x0_3; a2_0_4 += k2 * x0_4; a2_0_5 += k2 * x0_5; a2_0_6 += k2 * x0_6; a2_0_7 += k2 * x0_7; a2_0_8 += k2 * x0_8; a2_0_9 += k2 * x0_9; a2_0_10 += k2 * x0_10; a2_0_11 += k2 * x0_11; a2_0_12 += k2 * x0_12; a2_0_13 += k2 * x0_13; a2_0_14 += k2 * x0_14; a2_0_15 += k2 * x0_15
                            a3_0_0 += k3 * x0_0; a3_0_1 += k3 * x0_1; a3_0_2 += k3 * x0_2; a3_0_3 += k3 * x0_3; a3_0_4 += k3 * x0_4; a3_0_5 += k3 * x0_5; a3_0_6 += k3 * x0_6; a3_0_7 += k3 * x0_7; a3_0_8 += k3 * x0_8; a3_0_9 += k3 * x0_9; a3_0_10 += k3 * x0_10; a3_0_11 += k3 * x0_11; a3_0_12 += k3 * x0_12; a3_0_13 += k3 * x0_13; a3_0_14 += k3 * x0_14; a3_0_15 += k3 * x0_15
                            a4_0_0 += k4 * x0_0; a4_0_1 += k4 * x0_1; a4_0_2 += k4 * x0_2; a4_0_3 += k4 * x0_3; a4_0_4 += k4 * x0_4; a4_0_5 += k4 * x0_5; a4_0_6 += k4 * x0_6; a4_0_7 += k4 * x0_7; a4_0_8 += k4 * x0_8; a4_0_9 += k4 * x0_9; a4_0_10 += k4 * x0_10; a4_0_11 += k4 * x0_11; a4_0_12 += k4 * x0_12; a4_0_13 += k4 * x0_13; a4_0_14 += k4 * x0_14; a4_0_15 += k4 * x0_15
                            a5_0_0 += k5 * x0_0; a5_0_1 += k5 * x0_1; a5_0_2 += k5 * x0_2; a5_0_3 += k5 * x0_3; a5_0_4 += k5 * x0_4; a5_0_5 += k5 * x0_5; a5_0_6 += k5 * x0_6; a5_0_7 += k5 * x0_7; a5_0_8 += k5 * x0_8; a5_0_9 += k5 * x0_9; a5_0_10 += k5 * x0_10; a5_0_11 += k5 * x0_11; a5_0_12 += k5 * x0_12; a5_0_13 += k5 * x0_13; a5_0_14 += k5 * x0_14; a5_0_15 += k5 * x0_15
                            a6_0_0 += k6 * x0_0; a6_0_1 += k6 * x0_1; a6_0_2 += k6 * x0_2; a6_0_3 += k6 * x0_3; a6_0_4 += k6 * x0_4; a6_0_5 += k6 * x0_5; a6_0_6 += k6 * x0_6; a6_0_7 += k6 * x0_7; a6_0_8 += k6 * x0_8; a6_0_9 += k6 * x0_9; a6_0_10 += k6 * x0_10; a6_0_11 += k6 * x0_11; a6_0_12 += k6 * x0_12; a6_0_13 += k6 * x0_13; a6_0_14 += k6 * x0_14; a6_0_15 += k6 * x0_15
                            a7_0_0 += k7 * x0_0; a7_0_1 += k7 * x0_1; a7_0_2 += k7 * x0_2; a7_0_3 += k7 * x0_3; a7_0_4 += k7 * x0_4; a7_0_5 += k7 * x0_5; a7_0_6 += k7 * x0_6; a7_0_7 += k7 * x0_7; a7_0_8 += k7 * x0_8; a7_0_9 += k7 * x0_9; a7_0_10 += k7 * x0_10; a7_0_11 += k7 * x0_11; a7_0_12 += k7 * x0_12; a7_0_13 += k7 * x0_13; a7_0_14 += k7 * x0_14; a7_0_15 += k7 * x0_15
                            x1_0 = xs[xb + _U(16)]; x1_1 = xs[xb + _U(17)]; x1_2 = xs[xb + _U(18)]; x1_3 = xs[xb + _U(19)]; x1_4 = xs[xb + _U(20)]; x1_5 = xs[xb + _U(21)]; x1_6 = xs[xb + _U(22)]; x1_7 = xs[xb + _U(23)]; x1_8 = xs[xb + _U(24)]; x1_9 = xs[xb + _U(25)]; x1_10 = xs[xb + _U(26)]; x1_11 = xs[xb + _U(27)]; x1_12 = xs[xb + _U(28)]; x1_13 = xs[xb + _U(29)]; x1_14 = xs[xb + _U(30)]; x1_15 = xs[xb + _U(31)]
                            a0_1_0 += k0 * x1_0; a0_1_1 += k0 * x1_1; a0_1_2 += k0 * x1_2; a0_1_3 += k0 * x1_3; a0_1_4 += k0 * x1_4; a0_1_5 += k0 * x1_5; a0_1_6 += k0 * x1_6; a0_1_7 += k0 * x1_7; a0_1_8 += k0 * x1_8; a0_1_9 += k0 * x1_9; a0_1_10 += k0 * x1_10; a0_1_11 += k0 * x1_11; a0_1_12 += k0 * x1_12; a0_1_13 += k0 * x1_13; a0_1_14 += k0 * x1_14; a0_1_15 += k0 * x1_15
                            a1_1_0 += k1 * x1_0; a1_1_1 += k1 * x1_1; a1_1_2 += k1 * x1_2; a1_1_3 += k1 * x1_3; a1_1_4 += k1 * x1_4; a1_1_5 += k1 * x1_5; a1_1_6 += k1 * x1_6; a1_1_7 += k1 * x1_7; a1_1_8 += k1 * x1_8; a1_1_9 += k1 * x1_9; a1_1_10 += k1 * x1_10; a1_1_11 += k1 * x1_11; a1_1_12 += k1 * x1_12; a1_1_13 += k1 * x1_13; a1_1_14 += k1 * x1_14; a1_1_15 += k1 * x1_15
                            a2_1_0 += k2 * x1_0; a2_1_1 += k2 * x1_1; a2_1_2 += k2 * x1_2; a2_1_3 += k2 * x1_3; a2_1_4 += k2 * x1_4; a2_1_5 += k2 * x1_5; a2_1_6 += k2 * x1_6; a2_1_7 += k2 * x1_7; a2_1_8 += k2 * x1_8; a2_1_9 += k2 * x1_9; a2_1_10 += k2 * x1_10; a2_1_11 += k2 * x1_11; a2_1_12 += k2 * x1_12; a2_1_13 += k2 * x1_13; a2_1_14 += k2 * x1_14; a2_1_15 += k2 * x1_15
                            a3_1_0 += k3 * x1_0; a3_1_1 += k3 * x1_1; a3_1_2 += k3 * x1_2; a3_1_3 += k3 * x1_3; a3_1_4 += k3 * x1_4; a3_1_5 += k3 * x1_5; a3_1_6 += k3 * x1_6; a3_1_7 += k3 * x1_7; a3_1_8 += k3 * x1_8; a3_1_9 += k3 * x1_9; a3_1_10 += k3 * x1_10; a3_1_11 += k3 * x1_11; a3_1_12 += k3 * x1_12; a3_1_13 += k3 * x1_13; a3_1_14 += k3 * x1_14; a3_1_15 += k3 * x1_15
                            a4_1_0 += k4 * x1_0; a4_1_1 += k4 * x1_1; a4_1_2 += k4 * x1_2; a4_1_3 += k4 * x1_3; a4_1_4 += k4 * x1_4; a4_1_5 += k4 * x1_5; a4_1_6 += k4 * x1_6; a4_1_7 += k4 * x1_7; a4_1_8 += k4 * x1_8; a4_1_9 += k4 * x1_9; a4_1_10 += k4 * x1_10; a4_1_11 += k4 * x1_11; a4_1_12 += k4 * x1_12; a4_1_13 += k4 * x1_13; a4_1_14 += k4 * x1_14; a4_1_15 += k4 * x1_15
                            a5_1_0 += k5 * x1_0; a5_1_1 += k5 * x1_1; a5_1_2 += k5 * x1_2; a5_1_3 += k5 * x1_3; a5_1_4 += k5 * x1_4; a5_1_5 += k5 * x1_5; a5_1_6 += k5 * x1_6; a5_1_7 += k5 * x1_7; a5_1_8 += k5 * x1_8; a5_1_9 += k5 * x1_9; a5_1_10 += k5 * x1_10; a5_1_11 += k5 * x1_11; a5_1_12 += k5 * x1_12; a5_1_13 += k5 * x1_13; a5_1_14 += k5 * x1_14; a5_1_15 += k5 * x1_15
                            a6_1_0 += k6 * x1_0; a6_1_1 += k6 * x1_1; a6_1_2 += k6 * x1_2; a6_1_3 += k6 * x1_3; a6_1_4 += k6 * x1_4; a6_1_5 += k6 * x1_5; a6_1_6 += k6 * x1_6; a6_1_7 += k6 * x1_7; a6_1_8 += k6 * x1_8; a6_1_9 += k6 * x1_9; a6_1_10 += k6 * x1_10; a6_1_11 += k6 * x1_11; a6_1_12 += k6 * x1_12; a6_1_13 += k6 * x1_13; a6_1_14 += k6 * x1_14; a6_1_15 += k6 * x1_15
                            a7_1_0 += k7 * x1_0; a7_1_1 += k7 * x1_1; a7_1_2 += k7 * x1_2; a7_1_3 += k7 * x1_3; a7_1_4 += k7 * x1_4; a7_1_5 += k7 * x1_5; a7_1_6 += k7 * x1_6; a7_1_7 += k7 * x1_7; a7_1_8 += k7 * x1_8; a7_1_9 += k7 * x1_9; a7_1_10 += k7 * x1_10; a7_1_11 += k7 * x1_11; a7_1_12 += k7 * x1_12; a7_1_13 += k7 * x1_13; a7_1_14 += k7 * x1_14; a7_1_15 += k7 * x1_15
                ob = _U(o0 + ((f0 + 0) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7; o[ob + _U(8)] = a0_0_8; o[ob + _U(9)] = a0_0_9; o[ob + _U(10)] = a0_0_10; o[ob + _U(11)] = a0_0_11; o[ob + _U(12)] = a0_0_12; o[ob + _U(13)] = a0_0_13; o[ob + _U(14)] = a0_0_14; o[ob + _U(15)] = a0_0_15
                o[ob + _U(16)] = a0_1_0; o[ob + _U(17)] = a0_1_1; o[ob + _U(18)] = a0_1_2; o[ob + _U(19)] = a0_1_3; o[ob + _U(20)] = a0_1_4; o[ob + _U(21)] = a0_1_5; o[ob + _U(22)] = a0_1_6; o[ob + _U(23)] = a0_1_7; o[ob + _U(24)] = a0_1_8; o[ob + _U(25)] = a0_1_9; o[ob + _U(26)] = a0_1_10; o[ob + _U(27)] = a0_1_11; o[ob + _U(28)] = a0_1_12; o[ob + _U(29)] = a0_1_13; o[ob + _U(30)] = a0_1_14; o[ob + _U(31)] = a0_1_15
                ob = _U(o0 + ((f0 + 1) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7; o[ob + _U(8)] = a1_0_8; o[ob + _U(9)] = a1_0_9; o[ob + _U(10)] = a1_0_10; o[ob + _U(11)] = a1_0_11; o[ob + _U(12)] = a1_0_12; o[ob + _U(13)] = a1_0_13; o[ob + _U(14)] = a1_0_14; o[ob + _U(15)] = a1_0_15
                o[ob + _U(16)] = a1_1_0; o[ob + _U(17)] = a1_1_1; o[ob + _U(18)] = a1_1_2; o[ob + _U(19)] = a1_1_3; o[ob + _U(20)] = a1_1_4; o[ob + _U(21)] = a1_1_5; o[ob + _U(22)] = a1_1_6; o[ob + _U(23)] = a1_1_7; o[ob + _U(24)] = a1_1_8; o[ob + _U(25)] = a1_1_9; o[ob + _U(26)] = a1_1_10; o[ob + _U(27)] = a1_1_11; o[ob + _U(28)] = a1_1_12; o[ob + _U(29)] = a1_1_13; o[ob + _U(30)] = a1_1_14; o[ob + _U(31)] = a1_1_15
                ob = _U(o0 + ((f0 + 2) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7; o[ob + _U(8)] = a2_0_8; o[ob + _U(9)] = a2_0_9; o[ob + _U(10)] = a2_0_10; o[ob + _U(11)] = a2_0_11; o[ob + _U(12)] = a2_0_12; o[ob + _U(13)] = a2_0_13; o[ob + _U(14)] = a2_0_14; o[ob + _U(15)] = a2_0_15
                o[ob + _U(16)] = a2_1_0; o[ob + _U(17)] = a2_1_1; o[ob + _U(18)] = a2_1_2; o[ob + _U(19)] = a2_1_3; o[ob + _U(20)] = a2_1_4; o[ob + _U(21)] = a2_1_5; o[ob + _U(22)] = a2_1_6; o[ob + _U(23)] = a2_1_7; o[ob + _U(24)] = a2_1_8; o[ob + _U(25)] = a2_1_9; o[ob + _U(26)] = a2_1_10; o[ob + _U(27)] = a2_1_11; o[ob + _U(28)] = a2_1_12; o[ob + _U(29)] = a2_1_13; o[ob + _U(30)] = a2_1_14; o[ob + _U(31)] = a2_1_15
                ob = _U(o0 + ((f0 + 3) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7; o[ob + _U(8)] = a3_0_8; o[ob + _U(9)] = a3_0_9; o[ob + _U(10)] = a3_0_10; o[ob + _U(11)] = a3_0_11; o[ob + _U(12)] = a3_0_12; o[ob + _U(13)] = a3_0_13; o[ob + _U(14)] = a3_0_14; o[ob + _U(15)] = a3_0_15
                o[ob + _U(16)] = a3_1_0; o[ob + _U(17)] = a3_1_1; o[ob + _U(18)] = a3_1_2; o[ob + _U(19)] = a3_1_3; o[ob + _U(20)] = a3_1_4; o[ob + _U(21)] = a3_1_5; o[ob + _U(22)] = a3_1_6; o[ob + _U(23)] = a3_1_7; o[ob + _U(24)] = a3_1_8; o[ob + _U(25)] = a3_1_9; o[ob + _U(26)] = a3_1_10; o[ob + _U(27)] = a3_1_11; o[ob + _U(28)] = a3_1_12; o[ob + _U(29)] = a3_1_13; o[ob + _U(30)] = a3_1_14; o[ob + _U(31)] = a3_1_15
                ob = _U(o0 + ((f0 + 4) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a4_0_0; o[ob + _U(1)] = a4_0_1; o[ob + _U(2)] = a4_0_2; o[ob + _U(3)] = a4_0_3; o[ob + _U(4)] = a4_0_4; o[ob + _U(5)] = a4_0_5; o[ob + _U(6)] = a4_0_6; o[ob + _U(7)] = a4_0_7; o[ob + _U(8)] = a4_0_8; o[ob + _U(9)] = a4_0_9; o[ob + _U(10)] = a4_0_10; o[ob + _U(11)] = a4_0_11; o[ob + _U(12)] = a4_0_12; o[ob + _U(13)] = a4_0_13; o[ob + _U(14)] = a4_0_14; o[ob + _U(15)] = a4_0_15
                o[ob + _U(16)] = a4_1_0; o[ob + _U(17)] = a4_1_1; o[ob + _U(18)] = a4_1_2; o[ob + _U(19)] = a4_1_3; o[ob + _U(20)] = a4_1_4; o[ob + _U(21)] = a4_1_5; o[ob + _U(22)] = a4_1_6; o[ob + _U(23)] = a4_1_7; o[ob + _U(24)] = a4_1_8; o[ob + _U(25)] = a4_1_9; o[ob + _U(26)] = a4_1_10; o[ob + _U(27)] = a4_1_11; o[ob + _U(28)] = a4_1_12; o[ob + _U(29)] = a4_1_13; o[ob + _U(30)] = a4_1_14; o[ob + _U(31)] = a4_1_15
                ob = _U(o0 + ((f0 + 5) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a5_0_0; o[ob + _U(1)] = a5_0_1; o[ob + _U(2)] = a5_0_2; o[ob + _U(3)] = a5_0_3; o[ob + _U(4)] = a5_0_4; o[ob + _U(5)] = a5_0_5; o[ob + _U(6)] = a5_0_6; o[ob + _U(7)] = a5_0_7; o[ob + _U(8)] = a5_0_8; o[ob + _U(9)] = a5_0_9; o[ob + _U(10)] = a5_0_10; o[ob + _U(11)] = a5_0_11; o[ob + _U(12)] = a5_0_12; o[ob + _U(13)] = a5_0_13; o[ob + _U(14)] = a5_0_14; o[ob + _U(15)] = a5_0_15
                o[ob + _U(16)] = a5_1_0; o[ob + _U(17)] = a5_1_1; o[ob + _U(18)] = a5_1_2; o[ob + _U(19)] = a5_1_3; o[ob + _U(20)] = a5_1_4; o[ob + _U(21)] = a5_1_5; o[ob + _U(22)] = a5_1_6; o[ob + _U(23)] = a5_1_7; o[ob + _U(24)] = a5_1_8; o[ob + _U(25)] = a5_1_9; o[ob + _U(26)] = a5_1_10; o[ob + _U(27)] = a5_1_11; o[ob + _U(28)] = a5_1_12; o[ob + _U(29)] = a5_1_13; o[ob + _U(30)] = a5_1_14; o[ob + _U(31)] = a5_1_15
                ob = _U(o0 + ((f0 + 6) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a6_0_0; o[ob + _U(1)] = a6_0_1; o[ob + _U(2)] = a6_0_2; o[ob + _U(3)] = a6_0_3; o[ob + _U(4)] = a6_0_4; o[ob + _U(5)] = a6_0_5; o[ob + _U(6)] = a6_0_6; o[ob + _U(7)] = a6_0_7; o[ob + _U(8)] = a6_0_8; o[ob + _U(9)] = a6_0_9; o[ob + _U(10)] = a6_0_10; o[ob + _U(11)] = a6_0_11; o[ob + _U(12)] = a6_0_12; o[ob + _U(13)] = a6_0_13; o[ob + _U(14)] = a6_0_14; o[ob + _U(15)] = a6_0_15
                o[ob + _U(16)] = a6_1_0; o[ob + _U(17)] = a6_1_1; o[ob + _U(18)] = a6_1_2; o[ob + _U(19)] = a6_1_3; o[ob + _U(20)] = a6_1_4; o[ob + _U(21)] = a6_1_5; o[ob + _U(22)] = a6_1_6; o[ob + _U(23)] = a6_1_7; o[ob + _U(24)] = a6_1_8; o[ob + _U(25)] = a6_1_9; o[ob + _U(26)] = a6_1_10; o[ob + _U(27)] = a6_1_11; o[ob + _U(28)] = a6_1_12; o[ob + _U(29)] = a6_1_13; o[ob + _U(30)] = a6_1_14; o[ob + _U(31)] = a6_1_15
                ob = _U(o0 + ((f0 + 7) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a7_0_0; o[ob + _U(1)] = a7_0_1; o[ob + _U(2)] = a7_0_2; o[ob + _U(3)] = a7_0_3; o[ob + _U(4)] = a7_0_4; o[ob + _U(5)] = a7_0_5; o[ob + _U(6)] = a7_0_6; o[ob + _U(7)] = a7_0_7; o[ob + _U(8)] = a7_0_8; o[ob + _U(9)] = a7_0_9; o[ob + _U(10)] = a7_0_10; o[ob + _U(11)] = a7_0_11; o[ob + _U(12)] = a7_0_12; o[ob + _U(13)] = a7_0_13; o[ob + _U(14)] = a7_0_14; o[ob + _U(15)] = a7_0_15
                o[ob + _U(16)] = a7_1_0; o[ob + _U(17)] = a7_1_1; o[ob + _U(18)] = a7_1_2; o[ob + _U(19)] = a7_1_3; o[ob + _U(20)] = a7_1_4; o[ob + _U(21)] = a7_1_5; o[ob + _U(22)] = a7_1_6; o[ob + _U(23)] = a7_1_7; o[ob + _U(24)] = a7_1_8; o[ob + _U(25)] = a7_1_9; o[ob + _U(26)] = a7_1_10; o[ob + _U(27)] = a7_1_11; o[ob + _U(28)] = a7_1_12; o[ob + _U(29)] = a7_1_13; o[ob + _U(30)] = a7_1_14; o[ob + _U(31)] = a7_1_15

@njit(types.void(_IN4, _IN4, _IN1, _W4, _W3, _W3, _I, _I, _I), **_OPTIONS)
def forward_8x32(x, w, b, out, xs, ob, pad, n0, n1):
    """out[n0:n1] = conv(x, w[:F]) + b[:F] for images n0..n1-1 (3x3, stride 1, pad).

    w (Fr, C, 3, 3) and b (Fr,) hold Fr >= F filters (a multiple of 8, zeros
    beyond F); xs (C, H + 2 pad, Wr + 2) and ob (Fr, H_out, Wr) are this call's own buffers,
    Wr the output width rounded up to 32.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = out.shape[1], out.shape[2], out.shape[3]
    Fr = w.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], ob.shape[2]
    straight = Fr == F and Wr == W_out
    wf, of, bf = w.ravel(), out.ravel(), ob.ravel()
    xs[:] = 0
    xf = xs.ravel()
    dst = of if straight else bf
    for n in range(n0, n1):
        xs[:, pad:pad + H, pad:pad + W] = x[n]
        _forward_image_8x32(xf, wf, b, dst, n * F * H_out * W_out if straight else 0,
                           C, Fr, H_out, Wr, Hp, Wsp)
        if not straight:
            out[n] = ob[:F, :, :W_out]

@njit(**_OPTIONS)
def _forward_image_8x16(xs, w, b, o, o0, C, Fr, H_out, Wr, Hp, Wsp):
    """o[o0:] (Fr, H_out, Wr) = the 3x3 correlation of xs (C, Hp, Wsp) with w (Fr, C, 3, 3), plus b; blocks of 8 filters x 16 columns."""
    for f0 in range(0, Fr, 8):
        for h in range(H_out):
            for w0 in range(0, Wr, 16):
                bq = b[f0 + 0]
                a0_0_0 = bq; a0_0_1 = bq; a0_0_2 = bq; a0_0_3 = bq; a0_0_4 = bq; a0_0_5 = bq; a0_0_6 = bq; a0_0_7 = bq; a0_0_8 = bq; a0_0_9 = bq; a0_0_10 = bq; a0_0_11 = bq; a0_0_12 = bq; a0_0_13 = bq; a0_0_14 = bq; a0_0_15 = bq
                bq = b[f0 + 1]
                a1_0_0 = bq; a1_0_1 = bq; a1_0_2 = bq; a1_0_3 = bq; a1_0_4 = bq; a1_0_5 = bq; a1_0_6 = bq; a1_0_7 = bq; a1_0_8 = bq; a1_0_9 = bq; a1_0_10 = bq; a1_0_11 = bq; a1_0_12 = bq; a1_0_13 = bq; a1_0_14 = bq; a1_0_15 = bq
                bq = b[f0 + 2]
                a2_0_0 = bq; a2_0_1 = bq; a2_0_2 = bq; a2_0_3 = bq; a2_0_4 = bq; a2_0_5 = bq; a2_0_6 = bq; a2_0_7 = bq; a2_0_8 = bq; a2_0_9 = bq; a2_0_10 = bq; a2_0_11 = bq; a2_0_12 = bq; a2_0_13 = bq; a2_0_14 = bq; a2_0_15 = bq
                bq = b[f0 + 3]
                a3_0_0 = bq; a3_0_1 = bq; a3_0_2 = bq; a3_0_3 = bq; a3_0_4 = bq; a3_0_5 = bq; a3_0_6 = bq; a3_0_7 = bq; a3_0_8 = bq; a3_0_9 = bq; a3_0_10 = bq; a3_0_11 = bq; a3_0_12 = bq; a3_0_13 = bq; a3_0_14 = bq; a3_0_15 = bq
                bq = b[f0 + 4]
                a4_0_0 = bq; a4_0_1 = bq; a4_0_2 = bq; a4_0_3 = bq; a4_0_4 = bq; a4_0_5 = bq; a4_0_6 = bq; a4_0_7 = bq; a4_0_8 = bq; a4_0_9 = bq; a4_0_10 = bq; a4_0_11 = bq; a4_0_12 = bq; a4_0_13 = bq; a4_0_14 = bq; a4_0_15 = bq
                bq = b[f0 + 5]
                a5_0_0 = bq; a5_0_1 = bq; a5_0_2 = bq; a5_0_3 = bq; a5_0_4 = bq; a5_0_5 = bq; a5_0_6 = bq; a5_0_7 = bq; a5_0_8 = bq; a5_0_9 = bq; a5_0_10 = bq; a5_0_11 = bq; a5_0_12 = bq; a5_0_13 = bq; a5_0_14 = bq; a5_0_15 = bq
                bq = b[f0 + 6]
                a6_0_0 = bq; a6_0_1 = bq; a6_0_2 = bq; a6_0_3 = bq; a6_0_4 = bq; a6_0_5 = bq; a6_0_6 = bq; a6_0_7 = bq; a6_0_8 = bq; a6_0_9 = bq; a6_0_10 = bq; a6_0_11 = bq; a6_0_12 = bq; a6_0_13 = bq; a6_0_14 = bq; a6_0_15 = bq
                bq = b[f0 + 7]
                a7_0_0 = bq; a7_0_1 = bq; a7_0_2 = bq; a7_0_3 = bq; a7_0_4 = bq; a7_0_5 = bq; a7_0_6 = bq; a7_0_7 = bq; a7_0_8 = bq; a7_0_9 = bq; a7_0_10 = bq; a7_0_11 = bq; a7_0_12 = bq; a7_0_13 = bq; a7_0_14 = bq; a7_0_15 = bq
                for c in range(C):
                    for i in range(3):
                        for j in range(3):
                            xb = _U((c * Hp + h + i) * Wsp + w0 + j)
                            wb = _U(((f0 * C + c) * 3 + i) * 3 + j)
                            cs = _U(C * 9)
                            k0 = w[wb + _U(0) * cs]; k1 = w[wb + _U(1) * cs]; k2 = w[wb + _U(2) * cs]; k3 = w[wb + _U(3) * cs]; k4 = w[wb + _U(4) * cs]; k5 = w[wb + _U(5) * cs]; k6 = w[wb + _U(6) * cs]; k7 = w[wb + _U(7) * cs]
                            x0_0 = xs[xb + _U(0)]; x0_1 = xs[xb + _U(1)]; x0_2 = xs[xb + _U(2)]; x0_3 = xs[xb + _U(3)]; x0_4 = xs[xb + _U(4)]; x0_5 = xs[xb + _U(5)]; x0_6 = xs[xb + _U(6)]; x0_7 = xs[xb + _U(7)]; x0_8 = xs[xb + _U(8)]; x0_9 = xs[xb + _U(9)]; x0_10 = xs[xb + _U(10)]; x0_11 = xs[xb + _U(11)]; x0_12 = xs[xb + _U(12)]; x0_13 = xs[xb + _U(13)]; x0_14 = xs[xb + _U(14)]; x0_15 = xs[xb + _U(15)]
                            a0_0_0 += k0 * x0_0; a0_0_1 += k0 * x0_1; a0_0_2 += k0 * x0_2; a0_0_3 += k0 * x0_3; a0_0_4 += k0 * x0_4; a0_0_5 += k0 * x0_5; a0_0_6 += k0 * x0_6; a0_0_7 += k0 * x0_7; a0_0_8 += k0 * x0_8; a0_0_9 += k0 * x0_9; a0_0_10 += k0 * x0_10; a0_0_11 += k0 * x0_11; a0_0_12 += k0 * x0_12; a0_0_13 += k0 * x0_13; a0_0_14 += k0 * x0_14; a0_0_15 += k0 * x0_15
                            a1_0_0 += k1 * x0_0; a1_0_1 += k1 * x0_1; a1_0_2 += k1 * x0_2; a1_0_3 += k1 * x0_3; a1_0_4 += k1 * x0_4; a1_0_5 += k1 * x0_5; a1_0_6 += k1 * x0_6; a1_0_7 += k1 * x0_7; a1_0_8 += k1 * x0_8; a1_0_9 += k1 * x0_9; a1_0_10 += k1 * x0_10; a1_0_11 += k1 * x0_11; a1_0_12 += k1 * x0_12; a1_0_13 += k1 * x0_13; a1_0_14 += k1 * x0_14; a1_0_15 += k1 * x0_15
                            a2_0_0 += k2 * x0_0; a2_0_1 += k2 * x0_1; a2_0_2 += k2 * x0_2; a2_0_3 += k2 * x0_3; a2_0_4 += k2 * x0_4; a2_0_5 += k2 * x0_5; a2_0_6 += k2 * x0_6; a2_0_7 += k2 * x0_7; a2_0_8 += k2 * x0_8; a2_0_9 += k2 * x0_9; a2_0_10 += k2 * x0_10; a2_0_11 += k2 * x0_11; a2_0_12 += k2 * x0_12; a2_0_13 += k2 * x0_13; a2_0_14 += k2 * x0_14; a2_0_15 += k2 * x0_15
                            a3_0_0 += k3 * x0_0; a3_0_1 += k3 * x0_1; a3_0_2 += k3 * x0_2; a3_0_3 += k3 * x0_3; a3_0_4 += k3 * x0_4; a3_0_5 += k3 * x0_5; a3_0_6 += k3 * x0_6; a3_0_7 += k3 * x0_7; a3_0_8 += k3 * x0_8; a3_0_9 += k3 * x0_9; a3_0_10 += k3 * x0_10; a3_0_11 += k3 * x0_11; a3_0_12 += k3 * x0_12; a3_0_13 += k3 * x0_13; a3_0_14 += k3 * x0_14; a3_0_15 += k3 * x0_15
                            a4_0_0 += k4 * x0_0; a4_0_1 += k4 * x0_1; a4_0_2 += k4 * x0_2; a4_0_3 += k4 * x0_3; a4_0_4 += k4 * x0_4; a4_0_5 += k4 * x0_5; a4_0_6 += k4 * x0_6; a4_0_7 += k4 * x0_7; a4_0_8 += k4 * x0_8; a4_0_9 += k4 * x0_9; a4_0_10 += k4 * x0_10; a4_0_11 += k4 * x0_11; a4_0_12 += k4 * x0_12; a4_0_13 += k4 * x0_13; a4_0_14 += k4 * x0_14; a4_0_15 += k4 * x0_15
                            a5_0_0 += k5 * x0_0; a5_0_1 += k5 * x0_1; a5_0_2 += k5 * x0_2; a5_0_3 += k5 * x0_3; a5_0_4 += k5 * x0_4; a5_0_5 += k5 * x0_5; a5_0_6 += k5 * x0_6; a5_0_7 += k5 * x0_7; a5_0_8 += k5 * x0_8; a5_0_9 += k5 * x0_9; a5_0_10 += k5 * x0_10; a5_0_11 += k5 * x0_11; a5_0_12 += k5 * x0_12; a5_0_13 += k5 * x0_13; a5_0_14 += k5 * x0_14; a5_0_15 += k5 * x0_15
                            a6_0_0 += k6 * x0_0; a6_0_1 += k6 * x0_1; a6_0_2 += k6 * x0_2; a6_0_3 += k6 * x0_3; a6_0_4 += k6 * x0_4; a6_0_5 += k6 * x0_5; a6_0_6 += k6 * x0_6; a6_0_7 += k6 * x0_7; a6_0_8 += k6 * x0_8; a6_0_9 += k6 * x0_9; a6_0_10 += k6 * x0_10; a6_0_11 += k6 * x0_11; a6_0_12 += k6 * x0_12; a6_0_13 += k6 * x0_13; a6_0_14 += k6 * x0_14; a6_0_15 += k6 * x0_15
                            a7_0_0 += k7 * x0_0; a7_0_1 += k7 * x0_1; a7_0_2 += k7 * x0_2; a7_0_3 += k7 * x0_3; a7_0_4 += k7 * x0_4; a7_0_5 += k7 * x0_5; a7_0_6 += k7 * x0_6; a7_0_7 += k7 * x0_7; a7_0_8 += k7 * x0_8; a7_0_9 += k7 * x0_9; a7_0_10 += k7 * x0_10; a7_0_11 += k7 * x0_11; a7_0_12 += k7 * x0_12; a7_0_13 += k7 * x0_13; a7_0_14 += k7 * x0_14; a7_0_15 += k7 * x0_15
                ob = _U(o0 + ((f0 + 0) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7; o[ob + _U(8)] = a0_0_8; o[ob + _U(9)] = a0_0_9; o[ob + _U(10)] = a0_0_10; o[ob + _U(11)] = a0_0_11; o[ob + _U(12)] = a0_0_12; o[ob + _U(13)] = a0_0_13; o[ob + _U(14)] = a0_0_14; o[ob + _U(15)] = a0_0_15
                ob = _U(o0 + ((f0 + 1) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7; o[ob + _U(8)] = a1_0_8; o[ob + _U(9)] = a1_0_9; o[ob + _U(10)] = a1_0_10; o[ob + _U(11)] = a1_0_11; o[ob + _U(12)] = a1_0_12; o[ob + _U(13)] = a1_0_13; o[ob + _U(14)] = a1_0_14; o[ob + _U(15)] = a1_0_15
                ob = _U(o0 + ((f0 + 2) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7; o[ob + _U(8)] = a2_0_8; o[ob + _U(9)] = a2_0_9; o[ob + _U(10)] = a2_0_10; o[ob + _U(11)] = a2_0_11; o[ob + _U(12)] = a2_0_12; o[ob + _U(13)] = a2_0_13; o[ob + _U(14)] = a2_0_14; o[ob + _U(15)] = a2_0_15
                ob = _U(o0 + ((f0 + 3) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7; o[ob + _U(8)] = a3_0_8; o[ob + _U(9)] = a3_0_9; o[ob + _U(10)] = a3_0_10; o[ob + _U(11)] = a3_0_11; o[ob + _U(12)] = a3_0_12; o[ob + _U(13)] = a3_0_13; o[ob + _U(14)] = a3_0_14; o[ob + _U(15)] = a3_0_15
                ob = _U(o0 + ((f0 + 4) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a4_0_0; o[ob + _U(1)] = a4_0_1; o[ob + _U(2)] = a4_0_2; o[ob + _U(3)] = a4_0_3; o[ob + _U(4)] = a4_0_4; o[ob + _U(5)] = a4_0_5; o[ob + _U(6)] = a4_0_6; o[ob + _U(7)] = a4_0_7; o[ob + _U(8)] = a4_0_8; o[ob + _U(9)] = a4_0_9; o[ob + _U(10)] = a4_0_10; o[ob + _U(11)] = a4_0_11; o[ob + _U(12)] = a4_0_12; o[ob + _U(13)] = a4_0_13; o[ob + _U(14)] = a4_0_14; o[ob + _U(15)] = a4_0_15
                ob = _U(o0 + ((f0 + 5) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a5_0_0; o[ob + _U(1)] = a5_0_1; o[ob + _U(2)] = a5_0_2; o[ob + _U(3)] = a5_0_3; o[ob + _U(4)] = a5_0_4; o[ob + _U(5)] = a5_0_5; o[ob + _U(6)] = a5_0_6; o[ob + _U(7)] = a5_0_7; o[ob + _U(8)] = a5_0_8; o[ob + _U(9)] = a5_0_9; o[ob + _U(10)] = a5_0_10; o[ob + _U(11)] = a5_0_11; o[ob + _U(12)] = a5_0_12; o[ob + _U(13)] = a5_0_13; o[ob + _U(14)] = a5_0_14; o[ob + _U(15)] = a5_0_15
                ob = _U(o0 + ((f0 + 6) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a6_0_0; o[ob + _U(1)] = a6_0_1; o[ob + _U(2)] = a6_0_2; o[ob + _U(3)] = a6_0_3; o[ob + _U(4)] = a6_0_4; o[ob + _U(5)] = a6_0_5; o[ob + _U(6)] = a6_0_6; o[ob + _U(7)] = a6_0_7; o[ob + _U(8)] = a6_0_8; o[ob + _U(9)] = a6_0_9; o[ob + _U(10)] = a6_0_10; o[ob + _U(11)] = a6_0_11; o[ob + _U(12)] = a6_0_12; o[ob + _U(13)] = a6_0_13; o[ob + _U(14)] = a6_0_14; o[ob + _U(15)] = a6_0_15
                ob = _U(o0 + ((f0 + 7) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a7_0_0; o[ob + _U(1)] = a7_0_1; o[ob + _U(2)] = a7_0_2; o[ob + _U(3)] = a7_0_3; o[ob + _U(4)] = a7_0_4; o[ob + _U(5)] = a7_0_5; o[ob + _U(6)] = a7_0_6; o[ob + _U(7)] = a7_0_7; o[ob + _U(8)] = a7_0_8; o[ob + _U(9)] = a7_0_9; o[ob + _U(10)] = a7_0_10; o[ob + _U(11)] = a7_0_11; o[ob + _U(12)] = a7_0_12; o[ob + _U(13)] = a7_0_13; o[ob + _U(14)] = a7_0_14; o[ob + _U(15)] = a7_0_15

@njit(types.void(_IN4, _IN4, _IN1, _W4, _W3, _W3, _I, _I, _I), **_OPTIONS)
def forward_8x16(x, w, b, out, xs, ob, pad, n0, n1):
    """out[n0:n1] = conv(x, w[:F]) + b[:F] for images n0..n1-1 (3x3, stride 1, pad).

    w (Fr, C, 3, 3) and b (Fr,) hold Fr >= F filters (a multiple of 8, zeros
    beyond F); xs (C, H + 2 pad, Wr + 2) and ob (Fr, H_out, Wr) are this call's own buffers,
    Wr the output width rounded up to 16.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = out.shape[1], out.shape[2], out.shape[3]
    Fr = w.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], ob.shape[2]
    straight = Fr == F and Wr == W_out
    wf, of, bf = w.ravel(), out.ravel(), ob.ravel()
    xs[:] = 0
    xf = xs.ravel()
    dst = of if straight else bf
    for n in range(n0, n1):
        xs[:, pad:pad + H, pad:pad + W] = x[n]
        _forward_image_8x16(xf, wf, b, dst, n * F * H_out * W_out if straight else 0,
                           C, Fr, H_out, Wr, Hp, Wsp)
        if not straight:
            out[n] = ob[:F, :, :W_out]

@njit(**_OPTIONS)
def _forward_image_8x8(xs, w, b, o, o0, C, Fr, H_out, Wr, Hp, Wsp):
    """o[o0:] (Fr, H_out, Wr) = the 3x3 correlation of xs (C, Hp, Wsp) with w (Fr, C, 3, 3), plus b; blocks of 8 filters x 8 columns."""
    for f0 in range(0, Fr, 8):
        for h in range(H_out):
            for w0 in range(0, Wr, 8):
                bq = b[f0 + 0]
                a0_0_0 = bq; a0_0_1 = bq; a0_0_2 = bq; a0_0_3 = bq; a0_0_4 = bq; a0_0_5 = bq; a0_0_6 = bq; a0_0_7 = bq
                bq = b[f0 + 1]
                a1_0_0 = bq; a1_0_1 = bq; a1_0_2 = bq; a1_0_3 = bq; a1_0_4 = bq; a1_0_5 = bq; a1_0_6 = bq; a1_0_7 = bq
                bq = b[f0 + 2]
                a2_0_0 = bq; a2_0_1 = bq; a2_0_2 = bq; a2_0_3 = bq; a2_0_4 = bq; a2_0_5 = bq; a2_0_6 = bq; a2_0_7 = bq
                bq = b[f0 + 3]
                a3_0_0 = bq; a3_0_1 = bq; a3_0_2 = bq; a3_0_3 = bq; a3_0_4 = bq; a3_0_5 = bq; a3_0_6 = bq; a3_0_7 = bq
                bq = b[f0 + 4]
                a4_0_0 = bq; a4_0_1 = bq; a4_0_2 = bq; a4_0_3 = bq; a4_0_4 = bq; a4_0_5 = bq; a4_0_6 = bq; a4_0_7 = bq
                bq = b[f0 + 5]
                a5_0_0 = bq; a5_0_1 = bq; a5_0_2 = bq; a5_0_3 = bq; a5_0_4 = bq; a5_0_5 = bq; a5_0_6 = bq; a5_0_7 = bq
                bq = b[f0 + 6]
                a6_0_0 = bq; a6_0_1 = bq; a6_0_2 = bq; a6_0_3 = bq; a6_0_4 = bq; a6_0_5 = bq; a6_0_6 = bq; a6_0_7 = bq
                bq = b[f0 + 7]
                a7_0_0 = bq; a7_0_1 = bq; a7_0_2 = bq; a7_0_3 = bq; a7_0_4 = bq; a7_0_5 = bq; a7_0_6 = bq; a7_0_7 = bq
                for c in range(C):
                    for i in range(3):
                        for j in range(3):
                            xb = _U((c * Hp + h + i) * Wsp + w0 + j)
                            wb = _U(((f0 * C + c) * 3 + i) * 3 + j)
                            cs = _U(C * 9)
                            k0 = w[wb + _U(0) * cs]; k1 = w[wb + _U(1) * cs]; k2 = w[wb + _U(2) * cs]; k3 = w[wb + _U(3) * cs]; k4 = w[wb + _U(4) * cs]; k5 = w[wb + _U(5) * cs]; k6 = w[wb + _U(6) * cs]; k7 = w[wb + _U(7) * cs]
                            x0_0 = xs[xb + _U(0)]; x0_1 = xs[xb + _U(1)]; x0_2 = xs[xb + _U(2)]; x0_3 = xs[xb + _U(3)]; x0_4 = xs[xb + _U(4)]; x0_5 = xs[xb + _U(5)]; x0_6 = xs[xb + _U(6)]; x0_7 = xs[xb + _U(7)]
                            a0_0_0 += k0 * x0_0; a0_0_1 += k0 * x0_1; a0_0_2 += k0 * x0_2; a0_0_3 += k0 * x0_3; a0_0_4 += k0 * x0_4; a0_0_5 += k0 * x0_5; a0_0_6 += k0 * x0_6; a0_0_7 += k0 * x0_7
                            a1_0_0 += k1 * x0_0; a1_0_1 += k1 * x0_1; a1_0_2 += k1 * x0_2; a1_0_3 += k1 * x0_3; a1_0_4 += k1 * x0_4; a1_0_5 += k1 * x0_5; a1_0_6 += k1 * x0_6; a1_0_7 += k1 * x0_7
                            a2_0_0 += k2 * x0_0; a2_0_1 += k2 * x0_1; a2_0_2 += k2 * x0_2; a2_0_3 += k2 * x0_3; a2_0_4 += k2 * x0_4; a2_0_5 += k2 * x0_5; a2_0_6 += k2 * x0_6; a2_0_7 += k2 * x0_7
                            a3_0_0 += k3 * x0_0; a3_0_1 += k3 * x0_1; a3_0_2 += k3 * x0_2; a3_0_3 += k3 * x0_3; a3_0_4 += k3 * x0_4; a3_0_5 += k3 * x0_5; a3_0_6 += k3 * x0_6; a3_0_7 += k3 * x0_7
                            a4_0_0 += k4 * x0_0; a4_0_1 += k4 * x0_1; a4_0_2 += k4 * x0_2; a4_0_3 += k4 * x0_3; a4_0_4 += k4 * x0_4; a4_0_5 += k4 * x0_5; a4_0_6 += k4 * x0_6; a4_0_7 += k4 * x0_7
                            a5_0_0 += k5 * x0_0; a5_0_1 += k5 * x0_1; a5_0_2 += k5 * x0_2; a5_0_3 += k5 * x0_3; a5_0_4 += k5 * x0_4; a5_0_5 += k5 * x0_5; a5_0_6 += k5 * x0_6; a5_0_7 += k5 * x0_7
                            a6_0_0 += k6 * x0_0; a6_0_1 += k6 * x0_1; a6_0_2 += k6 * x0_2; a6_0_3 += k6 * x0_3; a6_0_4 += k6 * x0_4; a6_0_5 += k6 * x0_5; a6_0_6 += k6 * x0_6; a6_0_7 += k6 * x0_7
                            a7_0_0 += k7 * x0_0; a7_0_1 += k7 * x0_1; a7_0_2 += k7 * x0_2; a7_0_3 += k7 * x0_3; a7_0_4 += k7 * x0_4; a7_0_5 += k7 * x0_5; a7_0_6 += k7 * x0_6; a7_0_7 += k7 * x0_7
                ob = _U(o0 + ((f0 + 0) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7
                ob = _U(o0 + ((f0 + 1) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7
                ob = _U(o0 + ((f0 + 2) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7
                ob = _U(o0 + ((f0 + 3) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7
                ob = _U(o0 + ((f0 + 4) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a4_0_0; o[ob + _U(1)] = a4_0_1; o[ob + _U(2)] = a4_0_2; o[ob + _U(3)] = a4_0_3; o[ob + _U(4)] = a4_0_4; o[ob + _U(5)] = a4_0_5; o[ob + _U(6)] = a4_0_6; o[ob + _U(7)] = a4_0_7
                ob = _U(o0 + ((f0 + 5) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a5_0_0; o[ob + _U(1)] = a5_0_1; o[ob + _U(2)] = a5_0_2; o[ob + _U(3)] = a5_0_3; o[ob + _U(4)] = a5_0_4; o[ob + _U(5)] = a5_0_5; o[ob + _U(6)] = a5_0_6; o[ob + _U(7)] = a5_0_7
                ob = _U(o0 + ((f0 + 6) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a6_0_0; o[ob + _U(1)] = a6_0_1; o[ob + _U(2)] = a6_0_2; o[ob + _U(3)] = a6_0_3; o[ob + _U(4)] = a6_0_4; o[ob + _U(5)] = a6_0_5; o[ob + _U(6)] = a6_0_6; o[ob + _U(7)] = a6_0_7
                ob = _U(o0 + ((f0 + 7) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a7_0_0; o[ob + _U(1)] = a7_0_1; o[ob + _U(2)] = a7_0_2; o[ob + _U(3)] = a7_0_3; o[ob + _U(4)] = a7_0_4; o[ob + _U(5)] = a7_0_5; o[ob + _U(6)] = a7_0_6; o[ob + _U(7)] = a7_0_7

@njit(types.void(_IN4, _IN4, _IN1, _W4, _W3, _W3, _I, _I, _I), **_OPTIONS)
def forward_8x8(x, w, b, out, xs, ob, pad, n0, n1):
    """out[n0:n1] = conv(x, w[:F]) + b[:F] for images n0..n1-1 (3x3, stride 1, pad).

    w (Fr, C, 3, 3) and b (Fr,) hold Fr >= F filters (a multiple of 8, zeros
    beyond F); xs (C, H + 2 pad, Wr + 2) and ob (Fr, H_out, Wr) are this call's own buffers,
    Wr the output width rounded up to 8.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = out.shape[1], out.shape[2], out.shape[3]
    Fr = w.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], ob.shape[2]
    straight = Fr == F and Wr == W_out
    wf, of, bf = w.ravel(), out.ravel(), ob.ravel()
    xs[:] = 0
    xf = xs.ravel()
    dst = of if straight else bf
    for n in range(n0, n1):
        xs[:, pad:pad + H, pad:pad + W] = x[n]
        _forward_image_8x8(xf, wf, b, dst, n * F * H_out * W_out if straight else 0,
                           C, Fr, H_out, Wr, Hp, Wsp)
        if not straight:
            out[n] = ob[:F, :, :W_out]

@njit(**_OPTIONS)
def _forward_image_4x16(xs, w, b, o, o0, C, Fr, H_out, Wr, Hp, Wsp):
    """o[o0:] (Fr, H_out, Wr) = the 3x3 correlation of xs (C, Hp, Wsp) with w (Fr, C, 3, 3), plus b; blocks of 4 filters x 16 columns."""
    for f0 in range(0, Fr, 4):
        for h in range(H_out):
            for w0 in range(0, Wr, 16):
                bq = b[f0 + 0]
                a0_0_0 = bq; a0_0_1 = bq; a0_0_2 = bq; a0_0_3 = bq; a0_0_4 = bq; a0_0_5 = bq; a0_0_6 = bq; a0_0_7 = bq
                a0_1_0 = bq; a0_1_1 = bq; a0_1_2 = bq; a0_1_3 = bq; a0_1_4 = bq; a0_1_5 = bq; a0_1_6 = bq; a0_1_7 = bq
                bq = b[f0 + 1]
                a1_0_0 = bq; a1_0_1 = bq; a1_0_2 = bq; a1_0_3 = bq; a1_0_4 = bq; a1_0_5 = bq; a1_0_6 = bq; a1_0_7 = bq
                a1_1_0 = bq; a1_1_1 = bq; a1_1_2 = bq; a1_1_3 = bq; a1_1_4 = bq; a1_1_5 = bq; a1_1_6 = bq; a1_1_7 = bq
                bq = b[f0 + 2]
                a2_0_0 = bq; a2_0_1 = bq; a2_0_2 = bq; a2_0_3 = bq; a2_0_4 = bq; a2_0_5 = bq; a2_0_6 = bq; a2_0_7 = bq
                a2_1_0 = bq; a2_1_1 = bq; a2_1_2 = bq; a2_1_3 = bq; a2_1_4 = bq; a2_1_5 = bq; a2_1_6 = bq; a2_1_7 = bq
                bq = b[f0 + 3]
                a3_0_0 = bq; a3_0_1 = bq; a3_0_2 = bq; a3_0_3 = bq; a3_0_4 = bq; a3_0_5 = bq; a3_0_6 = bq; a3_0_7 = bq
                a3_1_0 = bq; a3_1_1 = bq; a3_1_2 = bq; a3_1_3 = bq; a3_1_4 = bq; a3_1_5 = bq; a3_1_6 = bq; a3_1_7 = bq
                for c in range(C):
                    for i in range(3):
                        for j in range(3):
                            xb = _U((c * Hp + h + i) * Wsp + w0 + j)
                            wb = _U(((f0 * C + c) * 3 + i) * 3 + j)
                            cs = _U(C * 9)
                            k0 = w[wb + _U(0) * cs]; k1 = w[wb + _U(1) * cs]; k2 = w[wb + _U(2) * cs]; k3 = w[wb + _U(3) * cs]
                            x0_0 = xs[xb + _U(0)]; x0_1 = xs[xb + _U(1)]; x0_2 = xs[xb + _U(2)]; x0_3 = xs[xb + _U(3)]; x0_4 = xs[xb + _U(4)]; x0_5 = xs[xb + _U(5)]; x0_6 = xs[xb + _U(6)]; x0_7 = xs[xb + _U(7)]
                            a0_0_0 += k0 * x0_0; a0_0_1 += k0 * x0_1; a0_0_2 += k0 * x0_2; a0_0_3 += k0 * x0_3; a0_0_4 += k0 * x0_4; a0_0_5 += k0 * x0_5; a0_0_6 += k0 * x0_6; a0_0_7 += k0 * x0_7
                            a1_0_0 += k1 * x0_0; a1_0_1 += k1 * x0_1; a1_0_2 += k1 * x0_2; a1_0_3 += k1 * x0_3; a1_0_4 += k1 * x0_4; a1_0_5 += k1 * x0_5; a1_0_6 += k1 * x0_6; a1_0_7 += k1 * x0_7
                            a2_0_0 += k2 * x0_0; a2_0_1 += k2 * x0_1; a2_0_2 += k2 * x0_2; a2_0_3 += k2 * x0_3; a2_0_4 += k2 * x0_4; a2_0_5 += k2 * x0_5; a2_0_6 += k2 * x0_6; a2_0_7 += k2 * x0_7
                            a3_0_0 += k3 * x0_0; a3_0_1 += k3 * x0_1; a3_0_2 += k3 * x0_2; a3_0_3 += k3 * x0_3; a3_0_4 += k3 * x0_4; a3_0_5 += k3 * x0_5; a3_0_6 += k3 * x0_6; a3_0_7 += k3 * x0_7
                            x1_0 = xs[xb + _U(8)]; x1_1 = xs[xb + _U(9)]; x1_2 = xs[xb + _U(10)]; x1_3 = xs[xb + _U(11)]; x1_4 = xs[xb + _U(12)]; x1_5 = xs[xb + _U(13)]; x1_6 = xs[xb + _U(14)]; x1_7 = xs[xb + _U(15)]
                            a0_1_0 += k0 * x1_0; a0_1_1 += k0 * x1_1; a0_1_2 += k0 * x1_2; a0_1_3 += k0 * x1_3; a0_1_4 += k0 * x1_4; a0_1_5 += k0 * x1_5; a0_1_6 += k0 * x1_6; a0_1_7 += k0 * x1_7
                            a1_1_0 += k1 * x1_0; a1_1_1 += k1 * x1_1; a1_1_2 += k1 * x1_2; a1_1_3 += k1 * x1_3; a1_1_4 += k1 * x1_4; a1_1_5 += k1 * x1_5; a1_1_6 += k1 * x1_6; a1_1_7 += k1 * x1_7
                            a2_1_0 += k2 * x1_0; a2_1_1 += k2 * x1_1; a2_1_2 += k2 * x1_2; a2_1_3 += k2 * x1_3; a2_1_4 += k2 * x1_4; a2_1_5 += k2 * x1_5; a2_1_6 += k2 * x1_6; a2_1_7 += k2 * x1_7
                            a3_1_0 += k3 * x1_0; a3_1_1 += k3 * x1_1; a3_1_2 += k3 * x1_2; a3_1_3 += k3 * x1_3; a3_1_4 += k3 * x1_4; a3_1_5 += k3 * x1_5; a3_1_6 += k3 * x1_6; a3_1_7 += k3 * x1_7
                ob = _U(o0 + ((f0 + 0) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7
                o[ob + _U(8)] = a0_1_0; o[ob + _U(9)] = a0_1_1; o[ob + _U(10)] = a0_1_2; o[ob + _U(11)] = a0_1_3; o[ob + _U(12)] = a0_1_4; o[ob + _U(13)] = a0_1_5; o[ob + _U(14)] = a0_1_6; o[ob + _U(15)] = a0_1_7
                ob = _U(o0 + ((f0 + 1) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7
                o[ob + _U(8)] = a1_1_0; o[ob + _U(9)] = a1_1_1; o[ob + _U(10)] = a1_1_2; o[ob + _U(11)] = a1_1_3; o[ob + _U(12)] = a1_1_4; o[ob + _U(13)] = a1_1_5; o[ob + _U(14)] = a1_1_6; o[ob + _U(15)] = a1_1_7
                ob = _U(o0 + ((f0 + 2) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7
                o[ob + _U(8)] = a2_1_0; o[ob + _U(9)] = a2_1_1; o[ob + _U(10)] = a2_1_2; o[ob + _U(11)] = a2_1_3; o[ob + _U(12)] = a2_1_4; o[ob + _U(13)] = a2_1_5; o[ob + _U(14)] = a2_1_6; o[ob + _U(15)] = a2_1_7
                ob = _U(o0 + ((f0 + 3) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7
                o[ob + _U(8)] = a3_1_0; o[ob + _U(9)] = a3_1_1; o[ob + _U(10)] = a3_1_2; o[ob + _U(11)] = a3_1_3; o[ob + _U(12)] = a3_1_4; o[ob + _U(13)] = a3_1_5; o[ob + _U(14)] = a3_1_6; o[ob + _U(15)] = a3_1_7

@njit(types.void(_IN4, _IN4, _IN1, _W4, _W3, _W3, _I, _I, _I), **_OPTIONS)
def forward_4x16(x, w, b, out, xs, ob, pad, n0, n1):
    """out[n0:n1] = conv(x, w[:F]) + b[:F] for images n0..n1-1 (3x3, stride 1, pad).

    w (Fr, C, 3, 3) and b (Fr,) hold Fr >= F filters (a multiple of 4, zeros
    beyond F); xs (C, H + 2 pad, Wr + 2) and ob (Fr, H_out, Wr) are this call's own buffers,
    Wr the output width rounded up to 16.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = out.shape[1], out.shape[2], out.shape[3]
    Fr = w.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], ob.shape[2]
    straight = Fr == F and Wr == W_out
    wf, of, bf = w.ravel(), out.ravel(), ob.ravel()
    xs[:] = 0
    xf = xs.ravel()
    dst = of if straight else bf
    for n in range(n0, n1):
        xs[:, pad:pad + H, pad:pad + W] = x[n]
        _forward_image_4x16(xf, wf, b, dst, n * F * H_out * W_out if straight else 0,
                           C, Fr, H_out, Wr, Hp, Wsp)
        if not straight:
            out[n] = ob[:F, :, :W_out]

@njit(**_OPTIONS)
def _forward_image_2x32(xs, w, b, o, o0, C, Fr, H_out, Wr, Hp, Wsp):
    """o[o0:] (Fr, H_out, Wr) = the 3x3 correlation of xs (C, Hp, Wsp) with w (Fr, C, 3, 3), plus b; blocks of 2 filters x 32 columns."""
    for f0 in range(0, Fr, 2):
        for h in range(H_out):
            for w0 in range(0, Wr, 32):
                bq = b[f0 + 0]
                a0_0_0 = bq; a0_0_1 = bq; a0_0_2 = bq; a0_0_3 = bq; a0_0_4 = bq; a0_0_5 = bq; a0_0_6 = bq; a0_0_7 = bq
                a0_1_0 = bq; a0_1_1 = bq; a0_1_2 = bq; a0_1_3 = bq; a0_1_4 = bq; a0_1_5 = bq; a0_1_6 = bq; a0_1_7 = bq
                a0_2_0 = bq; a0_2_1 = bq; a0_2_2 = bq; a0_2_3 = bq; a0_2_4 = bq; a0_2_5 = bq; a0_2_6 = bq; a0_2_7 = bq
                a0_3_0 = bq; a0_3_1 = bq; a0_3_2 = bq; a0_3_3 = bq; a0_3_4 = bq; a0_3_5 = bq; a0_3_6 = bq; a0_3_7 = bq
                bq = b[f0 + 1]
                a1_0_0 = bq; a1_0_1 = bq; a1_0_2 = bq; a1_0_3 = bq; a1_0_4 = bq; a1_0_5 = bq; a1_0_6 = bq; a1_0_7 = bq
                a1_1_0 = bq; a1_1_1 = bq; a1_1_2 = bq; a1_1_3 = bq; a1_1_4 = bq; a1_1_5 = bq; a1_1_6 = bq; a1_1_7 = bq
                a1_2_0 = bq; a1_2_1 = bq; a1_2_2 = bq; a1_2_3 = bq; a1_2_4 = bq; a1_2_5 = bq; a1_2_6 = bq; a1_2_7 = bq
                a1_3_0 = bq; a1_3_1 = bq; a1_3_2 = bq; a1_3_3 = bq; a1_3_4 = bq; a1_3_5 = bq; a1_3_6 = bq; a1_3_7 = bq
                for c in range(C):
                    for i in range(3):
                        for j in range(3):
                            xb = _U((c * Hp + h + i) * Wsp + w0 + j)
                            wb = _U(((f0 * C + c) * 3 + i) * 3 + j)
                            cs = _U(C * 9)
                            k0 = w[wb + _U(0) * cs]; k1 = w[wb + _U(1) * cs]
                            x0_0 = xs[xb + _U(0)]; x0_1 = xs[xb + _U(1)]; x0_2 = xs[xb + _U(2)]; x0_3 = xs[xb + _U(3)]; x0_4 = xs[xb + _U(4)]; x0_5 = xs[xb + _U(5)]; x0_6 = xs[xb + _U(6)]; x0_7 = xs[xb + _U(7)]
                            a0_0_0 += k0 * x0_0; a0_0_1 += k0 * x0_1; a0_0_2 += k0 * x0_2; a0_0_3 += k0 * x0_3; a0_0_4 += k0 * x0_4; a0_0_5 += k0 * x0_5; a0_0_6 += k0 * x0_6; a0_0_7 += k0 * x0_7
                            a1_0_0 += k1 * x0_0; a1_0_1 += k1 * x0_1; a1_0_2 += k1 * x0_2; a1_0_3 += k1 * x0_3; a1_0_4 += k1 * x0_4; a1_0_5 += k1 * x0_5; a1_0_6 += k1 * x0_6; a1_0_7 += k1 * x0_7
                            x1_0 = xs[xb + _U(8)]; x1_1 = xs[xb + _U(9)]; x1_2 = xs[xb + _U(10)]; x1_3 = xs[xb + _U(11)]; x1_4 = xs[xb + _U(12)]; x1_5 = xs[xb + _U(13)]; x1_6 = xs[xb + _U(14)]; x1_7 = xs[xb + _U(15)]
                            a0_1_0 += k0 * x1_0; a0_1_1 += k0 * x1_1; a0_1_2 += k0 * x1_2; a0_1_3 += k0 * x1_3; a0_1_4 += k0 * x1_4; a0_1_5 += k0 * x1_5; a0_1_6 += k0 * x1_6; a0_1_7 += k0 * x1_7
                            a1_1_0 += k1 * x1_0; a1_1_1 += k1 * x1_1; a1_1_2 += k1 * x1_2; a1_1_3 += k1 * x1_3; a1_1_4 += k1 * x1_4; a1_1_5 += k1 * x1_5; a1_1_6 += k1 * x1_6; a1_1_7 += k1 * x1_7
                            x2_0 = xs[xb + _U(16)]; x2_1 = xs[xb + _U(17)]; x2_2 = xs[xb + _U(18)]; x2_3 = xs[xb + _U(19)]; x2_4 = xs[xb + _U(20)]; x2_5 = xs[xb + _U(21)]; x2_6 = xs[xb + _U(22)]; x2_7 = xs[xb + _U(23)]
                            a0_2_0 += k0 * x2_0; a0_2_1 += k0 * x2_1; a0_2_2 += k0 * x2_2; a0_2_3 += k0 * x2_3; a0_2_4 += k0 * x2_4; a0_2_5 += k0 * x2_5; a0_2_6 += k0 * x2_6; a0_2_7 += k0 * x2_7
                            a1_2_0 += k1 * x2_0; a1_2_1 += k1 * x2_1; a1_2_2 += k1 * x2_2; a1_2_3 += k1 * x2_3; a1_2_4 += k1 * x2_4; a1_2_5 += k1 * x2_5; a1_2_6 += k1 * x2_6; a1_2_7 += k1 * x2_7
                            x3_0 = xs[xb + _U(24)]; x3_1 = xs[xb + _U(25)]; x3_2 = xs[xb + _U(26)]; x3_3 = xs[xb + _U(27)]; x3_4 = xs[xb + _U(28)]; x3_5 = xs[xb + _U(29)]; x3_6 = xs[xb + _U(30)]; x3_7 = xs[xb + _U(31)]
                            a0_3_0 += k0 * x3_0; a0_3_1 += k0 * x3_1; a0_3_2 += k0 * x3_2; a0_3_3 += k0 * x3_3; a0_3_4 += k0 * x3_4; a0_3_5 += k0 * x3_5; a0_3_6 += k0 * x3_6; a0_3_7 += k0 * x3_7
                            a1_3_0 += k1 * x3_0; a1_3_1 += k1 * x3_1; a1_3_2 += k1 * x3_2; a1_3_3 += k1 * x3_3; a1_3_4 += k1 * x3_4; a1_3_5 += k1 * x3_5; a1_3_6 += k1 * x3_6; a1_3_7 += k1 * x3_7
                ob = _U(o0 + ((f0 + 0) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7
                o[ob + _U(8)] = a0_1_0; o[ob + _U(9)] = a0_1_1; o[ob + _U(10)] = a0_1_2; o[ob + _U(11)] = a0_1_3; o[ob + _U(12)] = a0_1_4; o[ob + _U(13)] = a0_1_5; o[ob + _U(14)] = a0_1_6; o[ob + _U(15)] = a0_1_7
                o[ob + _U(16)] = a0_2_0; o[ob + _U(17)] = a0_2_1; o[ob + _U(18)] = a0_2_2; o[ob + _U(19)] = a0_2_3; o[ob + _U(20)] = a0_2_4; o[ob + _U(21)] = a0_2_5; o[ob + _U(22)] = a0_2_6; o[ob + _U(23)] = a0_2_7
                o[ob + _U(24)] = a0_3_0; o[ob + _U(25)] = a0_3_1; o[ob + _U(26)] = a0_3_2; o[ob + _U(27)] = a0_3_3; o[ob + _U(28)] = a0_3_4; o[ob + _U(29)] = a0_3_5; o[ob + _U(30)] = a0_3_6; o[ob + _U(31)] = a0_3_7
                ob = _U(o0 + ((f0 + 1) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7
                o[ob + _U(8)] = a1_1_0; o[ob + _U(9)] = a1_1_1; o[ob + _U(10)] = a1_1_2; o[ob + _U(11)] = a1_1_3; o[ob + _U(12)] = a1_1_4; o[ob + _U(13)] = a1_1_5; o[ob + _U(14)] = a1_1_6; o[ob + _U(15)] = a1_1_7
                o[ob + _U(16)] = a1_2_0; o[ob + _U(17)] = a1_2_1; o[ob + _U(18)] = a1_2_2; o[ob + _U(19)] = a1_2_3; o[ob + _U(20)] = a1_2_4; o[ob + _U(21)] = a1_2_5; o[ob + _U(22)] = a1_2_6; o[ob + _U(23)] = a1_2_7
                o[ob + _U(24)] = a1_3_0; o[ob + _U(25)] = a1_3_1; o[ob + _U(26)] = a1_3_2; o[ob + _U(27)] = a1_3_3; o[ob + _U(28)] = a1_3_4; o[ob + _U(29)] = a1_3_5; o[ob + _U(30)] = a1_3_6; o[ob + _U(31)] = a1_3_7

@njit(types.void(_IN4, _IN4, _IN1, _W4, _W3, _W3, _I, _I, _I), **_OPTIONS)
def forward_2x32(x, w, b, out, xs, ob, pad, n0, n1):
    """out[n0:n1] = conv(x, w[:F]) + b[:F] for images n0..n1-1 (3x3, stride 1, pad).

    w (Fr, C, 3, 3) and b (Fr,) hold Fr >= F filters (a multiple of 2, zeros
    beyond F); xs (C, H + 2 pad, Wr + 2) and ob (Fr, H_out, Wr) are this call's own buffers,
    Wr the output width rounded up to 32.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = out.shape[1], out.shape[2], out.shape[3]
    Fr = w.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], ob.shape[2]
    straight = Fr == F and Wr == W_out
    wf, of, bf = w.ravel(), out.ravel(), ob.ravel()
    xs[:] = 0
    xf = xs.ravel()
    dst = of if straight else bf
    for n in range(n0, n1):
        xs[:, pad:pad + H, pad:pad + W] = x[n]
        _forward_image_2x32(xf, wf, b, dst, n * F * H_out * W_out if straight else 0,
                           C, Fr, H_out, Wr, Hp, Wsp)
        if not straight:
            out[n] = ob[:F, :, :W_out]

@njit(**_OPTIONS)
def _forward_image_3x32(xs, w, b, o, o0, C, Fr, H_out, Wr, Hp, Wsp):
    """o[o0:] (Fr, H_out, Wr) = the 3x3 correlation of xs (C, Hp, Wsp) with w (Fr, C, 3, 3), plus b; blocks of 3 filters x 32 columns."""
    for f0 in range(0, Fr, 3):
        for h in range(H_out):
            for w0 in range(0, Wr, 32):
                bq = b[f0 + 0]
                a0_0_0 = bq; a0_0_1 = bq; a0_0_2 = bq; a0_0_3 = bq; a0_0_4 = bq; a0_0_5 = bq; a0_0_6 = bq; a0_0_7 = bq
                a0_1_0 = bq; a0_1_1 = bq; a0_1_2 = bq; a0_1_3 = bq; a0_1_4 = bq; a0_1_5 = bq; a0_1_6 = bq; a0_1_7 = bq
                a0_2_0 = bq; a0_2_1 = bq; a0_2_2 = bq; a0_2_3 = bq; a0_2_4 = bq; a0_2_5 = bq; a0_2_6 = bq; a0_2_7 = bq
                a0_3_0 = bq; a0_3_1 = bq; a0_3_2 = bq; a0_3_3 = bq; a0_3_4 = bq; a0_3_5 = bq; a0_3_6 = bq; a0_3_7 = bq
                bq = b[f0 + 1]
                a1_0_0 = bq; a1_0_1 = bq; a1_0_2 = bq; a1_0_3 = bq; a1_0_4 = bq; a1_0_5 = bq; a1_0_6 = bq; a1_0_7 = bq
                a1_1_0 = bq; a1_1_1 = bq; a1_1_2 = bq; a1_1_3 = bq; a1_1_4 = bq; a1_1_5 = bq; a1_1_6 = bq; a1_1_7 = bq
                a1_2_0 = bq; a1_2_1 = bq; a1_2_2 = bq; a1_2_3 = bq; a1_2_4 = bq; a1_2_5 = bq; a1_2_6 = bq; a1_2_7 = bq
                a1_3_0 = bq; a1_3_1 = bq; a1_3_2 = bq; a1_3_3 = bq; a1_3_4 = bq; a1_3_5 = bq; a1_3_6 = bq; a1_3_7 = bq
                bq = b[f0 + 2]
                a2_0_0 = bq; a2_0_1 = bq; a2_0_2 = bq; a2_0_3 = bq; a2_0_4 = bq; a2_0_5 = bq; a2_0_6 = bq; a2_0_7 = bq
                a2_1_0 = bq; a2_1_1 = bq; a2_1_2 = bq; a2_1_3 = bq; a2_1_4 = bq; a2_1_5 = bq; a2_1_6 = bq; a2_1_7 = bq
                a2_2_0 = bq; a2_2_1 = bq; a2_2_2 = bq; a2_2_3 = bq; a2_2_4 = bq; a2_2_5 = bq; a2_2_6 = bq; a2_2_7 = bq
                a2_3_0 = bq; a2_3_1 = bq; a2_3_2 = bq; a2_3_3 = bq; a2_3_4 = bq; a2_3_5 = bq; a2_3_6 = bq; a2_3_7 = bq
                for c in range(C):
                    for i in range(3):
                        for j in range(3):
                            xb = _U((c * Hp + h + i) * Wsp + w0 + j)
                            wb = _U(((f0 * C + c) * 3 + i) * 3 + j)
                            cs = _U(C * 9)
                            k0 = w[wb + _U(0) * cs]; k1 = w[wb + _U(1) * cs]; k2 = w[wb + _U(2) * cs]
                            x0_0 = xs[xb + _U(0)]; x0_1 = xs[xb + _U(1)]; x0_2 = xs[xb + _U(2)]; x0_3 = xs[xb + _U(3)]; x0_4 = xs[xb + _U(4)]; x0_5 = xs[xb + _U(5)]; x0_6 = xs[xb + _U(6)]; x0_7 = xs[xb + _U(7)]
                            a0_0_0 += k0 * x0_0; a0_0_1 += k0 * x0_1; a0_0_2 += k0 * x0_2; a0_0_3 += k0 * x0_3; a0_0_4 += k0 * x0_4; a0_0_5 += k0 * x0_5; a0_0_6 += k0 * x0_6; a0_0_7 += k0 * x0_7
                            a1_0_0 += k1 * x0_0; a1_0_1 += k1 * x0_1; a1_0_2 += k1 * x0_2; a1_0_3 += k1 * x0_3; a1_0_4 += k1 * x0_4; a1_0_5 += k1 * x0_5; a1_0_6 += k1 * x0_6; a1_0_7 += k1 * x0_7
                            a2_0_0 += k2 * x0_0; a2_0_1 += k2 * x0_1; a2_0_2 += k2 * x0_2; a2_0_3 += k2 * x0_3; a2_0_4 += k2 * x0_4; a2_0_5 += k2 * x0_5; a2_0_6 += k2 * x0_6; a2_0_7 += k2 * x0_7
                            x1_0 = xs[xb + _U(8)]; x1_1 = xs[xb + _U(9)]; x1_2 = xs[xb + _U(10)]; x1_3 = xs[xb + _U(11)]; x1_4 = xs[xb + _U(12)]; x1_5 = xs[xb + _U(13)]; x1_6 = xs[xb + _U(14)]; x1_7 = xs[xb + _U(15)]
                            a0_1_0 += k0 * x1_0; a0_1_1 += k0 * x1_1; a0_1_2 += k0 * x1_2; a0_1_3 += k0 * x1_3; a0_1_4 += k0 * x1_4; a0_1_5 += k0 * x1_5; a0_1_6 += k0 * x1_6; a0_1_7 += k0 * x1_7
                            a1_1_0 += k1 * x1_0; a1_1_1 += k1 * x1_1; a1_1_2 += k1 * x1_2; a1_1_3 += k1 * x1_3; a1_1_4 += k1 * x1_4; a1_1_5 += k1 * x1_5; a1_1_6 += k1 * x1_6; a1_1_7 += k1 * x1_7
                            a2_1_0 += k2 * x1_0; a2_1_1 += k2 * x1_1; a2_1_2 += k2 * x1_2; a2_1_3 += k2 * x1_3; a2_1_4 += k2 * x1_4; a2_1_5 += k2 * x1_5; a2_1_6 += k2 * x1_6; a2_1_7 += k2 * x1_7
                            x2_0 = xs[xb + _U(16)]; x2_1 = xs[xb + _U(17)]; x2_2 = xs[xb + _U(18)]; x2_3 = xs[xb + _U(19)]; x2_4 = xs[xb + _U(20)]; x2_5 = xs[xb + _U(21)]; x2_6 = xs[xb + _U(22)]; x2_7 = xs[xb + _U(23)]
                            a0_2_0 += k0 * x2_0; a0_2_1 += k0 * x2_1; a0_2_2 += k0 * x2_2; a0_2_3 += k0 * x2_3; a0_2_4 += k0 * x2_4; a0_2_5 += k0 * x2_5; a0_2_6 += k0 * x2_6; a0_2_7 += k0 * x2_7
                            a1_2_0 += k1 * x2_0; a1_2_1 += k1 * x2_1; a1_2_2 += k1 * x2_2; a1_2_3 += k1 * x2_3; a1_2_4 += k1 * x2_4; a1_2_5 += k1 * x2_5; a1_2_6 += k1 * x2_6; a1_2_7 += k1 * x2_7
                            a2_2_0 += k2 * x2_0; a2_2_1 += k2 * x2_1; a2_2_2 += k2 * x2_2; a2_2_3 += k2 * x2_3; a2_2_4 += k2 * x2_4; a2_2_5 += k2 * x2_5; a2_2_6 += k2 * x2_6; a2_2_7 += k2 * x2_7
                            x3_0 = xs[xb + _U(24)]; x3_1 = xs[xb + _U(25)]; x3_2 = xs[xb + _U(26)]; x3_3 = xs[xb + _U(27)]; x3_4 = xs[xb + _U(28)]; x3_5 = xs[xb + _U(29)]; x3_6 = xs[xb + _U(30)]; x3_7 = xs[xb + _U(31)]
                            a0_3_0 += k0 * x3_0; a0_3_1 += k0 * x3_1; a0_3_2 += k0 * x3_2; a0_3_3 += k0 * x3_3; a0_3_4 += k0 * x3_4; a0_3_5 += k0 * x3_5; a0_3_6 += k0 * x3_6; a0_3_7 += k0 * x3_7
                            a1_3_0 += k1 * x3_0; a1_3_1 += k1 * x3_1; a1_3_2 += k1 * x3_2; a1_3_3 += k1 * x3_3; a1_3_4 += k1 * x3_4; a1_3_5 += k1 * x3_5; a1_3_6 += k1 * x3_6; a1_3_7 += k1 * x3_7
                            a2_3_0 += k2 * x3_0; a2_3_1 += k2 * x3_1; a2_3_2 += k2 * x3_2; a2_3_3 += k2 * x3_3; a2_3_4 += k2 * x3_4; a2_3_5 += k2 * x3_5; a2_3_6 += k2 * x3_6; a2_3_7 += k2 * x3_7
                ob = _U(o0 + ((f0 + 0) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7
                o[ob + _U(8)] = a0_1_0; o[ob + _U(9)] = a0_1_1; o[ob + _U(10)] = a0_1_2; o[ob + _U(11)] = a0_1_3; o[ob + _U(12)] = a0_1_4; o[ob + _U(13)] = a0_1_5; o[ob + _U(14)] = a0_1_6; o[ob + _U(15)] = a0_1_7
                o[ob + _U(16)] = a0_2_0; o[ob + _U(17)] = a0_2_1; o[ob + _U(18)] = a0_2_2; o[ob + _U(19)] = a0_2_3; o[ob + _U(20)] = a0_2_4; o[ob + _U(21)] = a0_2_5; o[ob + _U(22)] = a0_2_6; o[ob + _U(23)] = a0_2_7
                o[ob + _U(24)] = a0_3_0; o[ob + _U(25)] = a0_3_1; o[ob + _U(26)] = a0_3_2; o[ob + _U(27)] = a0_3_3; o[ob + _U(28)] = a0_3_4; o[ob + _U(29)] = a0_3_5; o[ob + _U(30)] = a0_3_6; o[ob + _U(31)] = a0_3_7
                ob = _U(o0 + ((f0 + 1) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7
                o[ob + _U(8)] = a1_1_0; o[ob + _U(9)] = a1_1_1; o[ob + _U(10)] = a1_1_2; o[ob + _U(11)] = a1_1_3; o[ob + _U(12)] = a1_1_4; o[ob + _U(13)] = a1_1_5; o[ob + _U(14)] = a1_1_6; o[ob + _U(15)] = a1_1_7
                o[ob + _U(16)] = a1_2_0; o[ob + _U(17)] = a1_2_1; o[ob + _U(18)] = a1_2_2; o[ob + _U(19)] = a1_2_3; o[ob + _U(20)] = a1_2_4; o[ob + _U(21)] = a1_2_5; o[ob + _U(22)] = a1_2_6; o[ob + _U(23)] = a1_2_7
                o[ob + _U(24)] = a1_3_0; o[ob + _U(25)] = a1_3_1; o[ob + _U(26)] = a1_3_2; o[ob + _U(27)] = a1_3_3; o[ob + _U(28)] = a1_3_4; o[ob + _U(29)] = a1_3_5; o[ob + _U(30)] = a1_3_6; o[ob + _U(31)] = a1_3_7
                ob = _U(o0 + ((f0 + 2) * H_out + h) * Wr + w0)
                o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7
                o[ob + _U(8)] = a2_1_0; o[ob + _U(9)] = a2_1_1; o[ob + _U(10)] = a2_1_2; o[ob + _U(11)] = a2_1_3; o[ob + _U(12)] = a2_1_4; o[ob + _U(13)] = a2_1_5; o[ob + _U(14)] = a2_1_6; o[ob + _U(15)] = a2_1_7
                o[ob + _U(16)] = a2_2_0; o[ob + _U(17)] = a2_2_1; o[ob + _U(18)] = a2_2_2; o[ob + _U(19)] = a2_2_3; o[ob + _U(20)] = a2_2_4; o[ob + _U(21)] = a2_2_5; o[ob + _U(22)] = a2_2_6; o[ob + _U(23)] = a2_2_7
                o[ob + _U(24)] = a2_3_0; o[ob + _U(25)] = a2_3_1; o[ob + _U(26)] = a2_3_2; o[ob + _U(27)] = a2_3_3; o[ob + _U(28)] = a2_3_4; o[ob + _U(29)] = a2_3_5; o[ob + _U(30)] = a2_3_6; o[ob + _U(31)] = a2_3_7

@njit(types.void(_IN4, _IN4, _IN1, _W4, _W3, _W3, _I, _I, _I), **_OPTIONS)
def forward_3x32(x, w, b, out, xs, ob, pad, n0, n1):
    """out[n0:n1] = conv(x, w[:F]) + b[:F] for images n0..n1-1 (3x3, stride 1, pad).

    w (Fr, C, 3, 3) and b (Fr,) hold Fr >= F filters (a multiple of 3, zeros
    beyond F); xs (C, H + 2 pad, Wr + 2) and ob (Fr, H_out, Wr) are this call's own buffers,
    Wr the output width rounded up to 32.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = out.shape[1], out.shape[2], out.shape[3]
    Fr = w.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], ob.shape[2]
    straight = Fr == F and Wr == W_out
    wf, of, bf = w.ravel(), out.ravel(), ob.ravel()
    xs[:] = 0
    xf = xs.ravel()
    dst = of if straight else bf
    for n in range(n0, n1):
        xs[:, pad:pad + H, pad:pad + W] = x[n]
        _forward_image_3x32(xf, wf, b, dst, n * F * H_out * W_out if straight else 0,
                           C, Fr, H_out, Wr, Hp, Wsp)
        if not straight:
            out[n] = ob[:F, :, :W_out]

@njit(**_OPTIONS)
def _grad_image_16(xs, g, g0, lanes, C, Fr, H_out, Wr, Hp, Wsp):
    """lanes (Fr, C, 9, 16) += the products of g[g0:] (Fr, H_out, Wr) with xs (C, Hp, Wsp) for each tap, by column lane."""
    for f0 in range(0, Fr, 2):
        for c in range(C):
            d0_0_0 = _F32(0); d0_0_1 = _F32(0); d0_0_2 = _F32(0); d0_0_3 = _F32(0); d0_0_4 = _F32(0); d0_0_5 = _F32(0); d0_0_6 = _F32(0); d0_0_7 = _F32(0); d0_0_8 = _F32(0); d0_0_9 = _F32(0); d0_0_10 = _F32(0); d0_0_11 = _F32(0); d0_0_12 = _F32(0); d0_0_13 = _F32(0); d0_0_14 = _F32(0); d0_0_15 = _F32(0)
            d0_1_0 = _F32(0); d0_1_1 = _F32(0); d0_1_2 = _F32(0); d0_1_3 = _F32(0); d0_1_4 = _F32(0); d0_1_5 = _F32(0); d0_1_6 = _F32(0); d0_1_7 = _F32(0); d0_1_8 = _F32(0); d0_1_9 = _F32(0); d0_1_10 = _F32(0); d0_1_11 = _F32(0); d0_1_12 = _F32(0); d0_1_13 = _F32(0); d0_1_14 = _F32(0); d0_1_15 = _F32(0)
            d0_2_0 = _F32(0); d0_2_1 = _F32(0); d0_2_2 = _F32(0); d0_2_3 = _F32(0); d0_2_4 = _F32(0); d0_2_5 = _F32(0); d0_2_6 = _F32(0); d0_2_7 = _F32(0); d0_2_8 = _F32(0); d0_2_9 = _F32(0); d0_2_10 = _F32(0); d0_2_11 = _F32(0); d0_2_12 = _F32(0); d0_2_13 = _F32(0); d0_2_14 = _F32(0); d0_2_15 = _F32(0)
            d0_3_0 = _F32(0); d0_3_1 = _F32(0); d0_3_2 = _F32(0); d0_3_3 = _F32(0); d0_3_4 = _F32(0); d0_3_5 = _F32(0); d0_3_6 = _F32(0); d0_3_7 = _F32(0); d0_3_8 = _F32(0); d0_3_9 = _F32(0); d0_3_10 = _F32(0); d0_3_11 = _F32(0); d0_3_12 = _F32(0); d0_3_13 = _F32(0); d0_3_14 = _F32(0); d0_3_15 = _F32(0)
            d0_4_0 = _F32(0); d0_4_1 = _F32(0); d0_4_2 = _F32(0); d0_4_3 = _F32(0); d0_4_4 = _F32(0); d0_4_5 = _F32(0); d0_4_6 = _F32(0); d0_4_7 = _F32(0); d0_4_8 = _F32(0); d0_4_9 = _F32(0); d0_4_10 = _F32(0); d0_4_11 = _F32(0); d0_4_12 = _F32(0); d0_4_13 = _F32(0); d0_4_14 = _F32(0); d0_4_15 = _F32(0)
            d0_5_0 = _F32(0); d0_5_1 = _F32(0); d0_5_2 = _F32(0); d0_5_3 = _F32(0); d0_5_4 = _F32(0); d0_5_5 = _F32(0); d0_5_6 = _F32(0); d0_5_7 = _F32(0); d0_5_8 = _F32(0); d0_5_9 = _F32(0); d0_5_10 = _F32(0); d0_5_11 = _F32(0); d0_5_12 = _F32(0); d0_5_13 = _F32(0); d0_5_14 = _F32(0); d0_5_15 = _F32(0)
            d0_6_0 = _F32(0); d0_6_1 = _F32(0); d0_6_2 = _F32(0); d0_6_3 = _F32(0); d0_6_4 = _F32(0); d0_6_5 = _F32(0); d0_6_6 = _F32(0); d0_6_7 = _F32(0); d0_6_8 = _F32(0); d0_6_9 = _F32(0); d0_6_10 = _F32(0); d0_6_11 = _F32(0); d0_6_12 = _F32(0); d0_6_13 = _F32(0); d0_6_14 = _F32(0); d0_6_15 = _F32(0)
            d0_7_0 = _F32(0); d0_7_1 = _F32(0); d0_7_2 = _F32(0); d0_7_3 = _F32(0); d0_7_4 = _F32(0); d0_7_5 = _F32(0); d0_7_6 = _F32(0); d0_7_7 = _F32(0); d0_7_8 = _F32(0); d0_7_9 = _F32(0); d0_7_10 = _F32(0); d0_7_11 = _F32(0); d0_7_12 = _F32(0); d0_7_13 = _F32(0); d0_7_14 = _F32(0); d0_7_15 = _F32(0)
            d0_8_0 = _F32(0); d0_8_1 = _F32(0); d0_8_2 = _F32(0); d0_8_3 = _F32(0); d0_8_4 = _F32(0); d0_8_5 = _F32(0); d0_8_6 = _F32(0); d0_8_7 = _F32(0); d0_8_8 = _F32(0); d0_8_9 = _F32(0); d0_8_10 = _F32(0); d0_8_11 = _F32(0); d0_8_12 = _F32(0); d0_8_13 = _F32(0); d0_8_14 = _F32(0); d0_8_15 = _F32(0)
            d1_0_0 = _F32(0); d1_0_1 = _F32(0); d1_0_2 = _F32(0); d1_0_3 = _F32(0); d1_0_4 = _F32(0); d1_0_5 = _F32(0); d1_0_6 = _F32(0); d1_0_7 = _F32(0); d1_0_8 = _F32(0); d1_0_9 = _F32(0); d1_0_10 = _F32(0); d1_0_11 = _F32(0); d1_0_12 = _F32(0); d1_0_13 = _F32(0); d1_0_14 = _F32(0); d1_0_15 = _F32(0)
            d1_1_0 = _F32(0); d1_1_1 = _F32(0); d1_1_2 = _F32(0); d1_1_3 = _F32(0); d1_1_4 = _F32(0); d1_1_5 = _F32(0); d1_1_6 = _F32(0); d1_1_7 = _F32(0); d1_1_8 = _F32(0); d1_1_9 = _F32(0); d1_1_10 = _F32(0); d1_1_11 = _F32(0); d1_1_12 = _F32(0); d1_1_13 = _F32(0); d1_1_14 = _F32(0); d1_1_15 = _F32(0)
            d1_2_0 = _F32(0); d1_2_1 = _F32(0); d1_2_2 = _F32(0); d1_2_3 = _F32(0); d1_2_4 = _F32(0); d1_2_5 = _F32(0); d1_2_6 = _F32(0); d1_2_7 = _F32(0); d1_2_8 = _F32(0); d1_2_9 = _F32(0); d1_2_10 = _F32(0); d1_2_11 = _F32(0); d1_2_12 = _F32(0); d1_2_13 = _F32(0); d1_2_14 = _F32(0); d1_2_15 = _F32(0)
            d1_3_0 = _F32(0); d1_3_1 = _F32(0); d1_3_2 = _F32(0); d1_3_3 = _F32(0); d1_3_4 = _F32(0); d1_3_5 = _F32(0); d1_3_6 = _F32(0); d1_3_7 = _F32(0); d1_3_8 = _F32(0); d1_3_9 = _F32(0); d1_3_10 = _F32(0); d1_3_11 = _F32(0); d1_3_12 = _F32(0); d1_3_13 = _F32(0); d1_3_14 = _F32(0); d1_3_15 = _F32(0)
            d1_4_0 = _F32(0); d1_4_1 = _F32(0); d1_4_2 = _F32(0); d1_4_3 = _F32(0); d1_4_4 = _F32(0); d1_4_5 = _F32(0); d1_4_6 = _F32(0); d1_4_7 = _F32(0); d1_4_8 = _F32(0); d1_4_9 = _F32(0); d1_4_10 = _F32(0); d1_4_11 = _F32(0); d1_4_12 = _F32(0); d1_4_13 = _F32(0); d1_4_14 = _F32(0); d1_4_15 = _F32(0)
            d1_5_0 = _F32(0); d1_5_1 = _F32(0); d1_5_2 = _F32(0); d1_5_3 = _F32(0); d1_5_4 = _F32(0); d1_5_5 = _F32(0); d1_5_6 = _F32(0); d1_5_7 = _F32(0); d1_5_8 = _F32(0); d1_5_9 = _F32(0); d1_5_10 = _F32(0); d1_5_11 = _F32(0); d1_5_12 = _F32(0); d1_5_13 = _F32(0); d1_5_14 = _F32(0); d1_5_15 = _F32(0)
            d1_6_0 = _F32(0); d1_6_1 = _F32(0); d1_6_2 = _F32(0); d1_6_3 = _F32(0); d1_6_4 = _F32(0); d1_6_5 = _F32(0); d1_6_6 = _F32(0); d1_6_7 = _F32(0); d1_6_8 = _F32(0); d1_6_9 = _F32(0); d1_6_10 = _F32(0); d1_6_11 = _F32(0); d1_6_12 = _F32(0); d1_6_13 = _F32(0); d1_6_14 = _F32(0); d1_6_15 = _F32(0)
            d1_7_0 = _F32(0); d1_7_1 = _F32(0); d1_7_2 = _F32(0); d1_7_3 = _F32(0); d1_7_4 = _F32(0); d1_7_5 = _F32(0); d1_7_6 = _F32(0); d1_7_7 = _F32(0); d1_7_8 = _F32(0); d1_7_9 = _F32(0); d1_7_10 = _F32(0); d1_7_11 = _F32(0); d1_7_12 = _F32(0); d1_7_13 = _F32(0); d1_7_14 = _F32(0); d1_7_15 = _F32(0)
            d1_8_0 = _F32(0); d1_8_1 = _F32(0); d1_8_2 = _F32(0); d1_8_3 = _F32(0); d1_8_4 = _F32(0); d1_8_5 = _F32(0); d1_8_6 = _F32(0); d1_8_7 = _F32(0); d1_8_8 = _F32(0); d1_8_9 = _F32(0); d1_8_10 = _F32(0); d1_8_11 = _F32(0); d1_8_12 = _F32(0); d1_8_13 = _F32(0); d1_8_14 = _F32(0); d1_8_15 = _F32(0)
            for h in range(H_out):
                for w0 in range(0, Wr, 16):
                    gb = _U(g0 + ((f0 + 0) * H_out + h) * Wr + w0)
                    g0_0 = g[gb + _U(0)]; g0_1 = g[gb + _U(1)]; g0_2 = g[gb + _U(2)]; g0_3 = g[gb + _U(3)]; g0_4 = g[gb + _U(4)]; g0_5 = g[gb + _U(5)]; g0_6 = g[gb + _U(6)]; g0_7 = g[gb + _U(7)]; g0_8 = g[gb + _U(8)]; g0_9 = g[gb + _U(9)]; g0_10 = g[gb + _U(10)]; g0_11 = g[gb + _U(11)]; g0_12 = g[gb + _U(12)]; g0_13 = g[gb + _U(13)]; g0_14 = g[gb + _U(14)]; g0_15 = g[gb + _U(15)]
                    gb = _U(g0 + ((f0 + 1) * H_out + h) * Wr + w0)
                    g1_0 = g[gb + _U(0)]; g1_1 = g[gb + _U(1)]; g1_2 = g[gb + _U(2)]; g1_3 = g[gb + _U(3)]; g1_4 = g[gb + _U(4)]; g1_5 = g[gb + _U(5)]; g1_6 = g[gb + _U(6)]; g1_7 = g[gb + _U(7)]; g1_8 = g[gb + _U(8)]; g1_9 = g[gb + _U(9)]; g1_10 = g[gb + _U(10)]; g1_11 = g[gb + _U(11)]; g1_12 = g[gb + _U(12)]; g1_13 = g[gb + _U(13)]; g1_14 = g[gb + _U(14)]; g1_15 = g[gb + _U(15)]
                    xb = _U((c * Hp + h + 0) * Wsp + w0 + 0)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_0_0 += g0_0 * x0; d0_0_1 += g0_1 * x1; d0_0_2 += g0_2 * x2; d0_0_3 += g0_3 * x3; d0_0_4 += g0_4 * x4; d0_0_5 += g0_5 * x5; d0_0_6 += g0_6 * x6; d0_0_7 += g0_7 * x7; d0_0_8 += g0_8 * x8; d0_0_9 += g0_9 * x9; d0_0_10 += g0_10 * x10; d0_0_11 += g0_11 * x11; d0_0_12 += g0_12 * x12; d0_0_13 += g0_13 * x13; d0_0_14 += g0_14 * x14; d0_0_15 += g0_15 * x15
                    d1_0_0 += g1_0 * x0; d1_0_1 += g1_1 * x1; d1_0_2 += g1_2 * x2; d1_0_3 += g1_3 * x3; d1_0_4 += g1_4 * x4; d1_0_5 += g1_5 * x5; d1_0_6 += g1_6 * x6; d1_0_7 += g1_7 * x7; d1_0_8 += g1_8 * x8; d1_0_9 += g1_9 * x9; d1_0_10 += g1_10 * x10; d1_0_11 += g1_11 * x11; d1_0_12 += g1_12 * x12; d1_0_13 += g1_13 * x13; d1_0_14 += g1_14 * x14; d1_0_15 += g1_15 * x15
                    xb = _U((c * Hp + h + 0) * Wsp + w0 + 1)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_1_0 += g0_0 * x0; d0_1_1 += g0_1 * x1; d0_1_2 += g0_2 * x2; d0_1_3 += g0_3 * x3; d0_1_4 += g0_4 * x4; d0_1_5 += g0_5 * x5; d0_1_6 += g0_6 * x6; d0_1_7 += g0_7 * x7; d0_1_8 += g0_8 * x8; d0_1_9 += g0_9 * x9; d0_1_10 += g0_10 * x10; d0_1_11 += g0_11 * x11; d0_1_12 += g0_12 * x12; d0_1_13 += g0_13 * x13; d0_1_14 += g0_14 * x14; d0_1_15 += g0_15 * x15
                    d1_1_0 += g1_0 * x0; d1_1_1 += g1_1 * x1; d1_1_2 += g1_2 * x2; d1_1_3 += g1_3 * x3; d1_1_4 += g1_4 * x4; d1_1_5 += g1_5 * x5; d1_1_6 += g1_6 * x6; d1_1_7 += g1_7 * x7; d1_1_8 += g1_8 * x8; d1_1_9 += g1_9 * x9; d1_1_10 += g1_10 * x10; d1_1_11 += g1_11 * x11; d1_1_12 += g1_12 * x12; d1_1_13 += g1_13 * x13; d1_1_14 += g1_14 * x14; d1_1_15 += g1_15 * x15
                    xb = _U((c * Hp + h + 0) * Wsp + w0 + 2)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_2_0 += g0_0 * x0; d0_2_1 += g0_1 * x1; d0_2_2 += g0_2 * x2; d0_2_3 += g0_3 * x3; d0_2_4 += g0_4 * x4; d0_2_5 += g0_5 * x5; d0_2_6 += g0_6 * x6; d0_2_7 += g0_7 * x7; d0_2_8 += g0_8 * x8; d0_2_9 += g0_9 * x9; d0_2_10 += g0_10 * x10; d0_2_11 += g0_11 * x11; d0_2_12 += g0_12 * x12; d0_2_13 += g0_13 * x13; d0_2_14 += g0_14 * x14; d0_2_15 += g0_15 * x15
                    d1_2_0 += g1_0 * x0; d1_2_1 += g1_1 * x1; d1_2_2 += g1_2 * x2; d1_2_3 += g1_3 * x3; d1_2_4 += g1_4 * x4; d1_2_5 += g1_5 * x5; d1_2_6 += g1_6 * x6; d1_2_7 += g1_7 * x7; d1_2_8 += g1_8 * x8; d1_2_9 += g1_9 * x9; d1_2_10 += g1_10 * x10; d1_2_11 += g1_11 * x11; d1_2_12 += g1_12 * x12; d1_2_13 += g1_13 * x13; d1_2_14 += g1_14 * x14; d1_2_15 += g1_15 * x15
                    xb = _U((c * Hp + h + 1) * Wsp + w0 + 0)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_3_0 += g0_0 * x0; d0_3_1 += g0_1 * x1; d0_3_2 += g0_2 * x2; d0_3_3 += g0_3 * x3; d0_3_4 += g0_4 * x4; d0_3_5 += g0_5 * x5; d0_3_6 += g0_6 * x6; d0_3_7 += g0_7 * x7; d0_3_8 += g0_8 * x8; d0_3_9 += g0_9 * x9; d0_3_10 += g0_10 * x10; d0_3_11 += g0_11 * x11; d0_3_12 += g0_12 * x12; d0_3_13 += g0_13 * x13; d0_3_14 += g0_14 * x14; d0_3_15 += g0_15 * x15
                    d1_3_0 += g1_0 * x0; d1_3_1 += g1_1 * x1; d1_3_2 += g1_2 * x2; d1_3_3 += g1_3 * x3; d1_3_4 += g1_4 * x4; d1_3_5 += g1_5 * x5; d1_3_6 += g1_6 * x6; d1_3_7 += g1_7 * x7; d1_3_8 += g1_8 * x8; d1_3_9 += g1_9 * x9; d1_3_10 += g1_10 * x10; d1_3_11 += g1_11 * x11; d1_3_12 += g1_12 * x12; d1_3_13 += g1_13 * x13; d1_3_14 += g1_14 * x14; d1_3_15 += g1_15 * x15
                    xb = _U((c * Hp + h + 1) * Wsp + w0 + 1)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_4_0 += g0_0 * x0; d0_4_1 += g0_1 * x1; d0_4_2 += g0_2 * x2; d0_4_3 += g0_3 * x3; d0_4_4 += g0_4 * x4; d0_4_5 += g0_5 * x5; d0_4_6 += g0_6 * x6; d0_4_7 += g0_7 * x7; d0_4_8 += g0_8 * x8; d0_4_9 += g0_9 * x9; d0_4_10 += g0_10 * x10; d0_4_11 += g0_11 * x11; d0_4_12 += g0_12 * x12; d0_4_13 += g0_13 * x13; d0_4_14 += g0_14 * x14; d0_4_15 += g0_15 * x15
                    d1_4_0 += g1_0 * x0; d1_4_1 += g1_1 * x1; d1_4_2 += g1_2 * x2; d1_4_3 += g1_3 * x3; d1_4_4 += g1_4 * x4; d1_4_5 += g1_5 * x5; d1_4_6 += g1_6 * x6; d1_4_7 += g1_7 * x7; d1_4_8 += g1_8 * x8; d1_4_9 += g1_9 * x9; d1_4_10 += g1_10 * x10; d1_4_11 += g1_11 * x11; d1_4_12 += g1_12 * x12; d1_4_13 += g1_13 * x13; d1_4_14 += g1_14 * x14; d1_4_15 += g1_15 * x15
                    xb = _U((c * Hp + h + 1) * Wsp + w0 + 2)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_5_0 += g0_0 * x0; d0_5_1 += g0_1 * x1; d0_5_2 += g0_2 * x2; d0_5_3 += g0_3 * x3; d0_5_4 += g0_4 * x4; d0_5_5 += g0_5 * x5; d0_5_6 += g0_6 * x6; d0_5_7 += g0_7 * x7; d0_5_8 += g0_8 * x8; d0_5_9 += g0_9 * x9; d0_5_10 += g0_10 * x10; d0_5_11 += g0_11 * x11; d0_5_12 += g0_12 * x12; d0_5_13 += g0_13 * x13; d0_5_14 += g0_14 * x14; d0_5_15 += g0_15 * x15
                    d1_5_0 += g1_0 * x0; d1_5_1 += g1_1 * x1; d1_5_2 += g1_2 * x2; d1_5_3 += g1_3 * x3; d1_5_4 += g1_4 * x4; d1_5_5 += g1_5 * x5; d1_5_6 += g1_6 * x6; d1_5_7 += g1_7 * x7; d1_5_8 += g1_8 * x8; d1_5_9 += g1_9 * x9; d1_5_10 += g1_10 * x10; d1_5_11 += g1_11 * x11; d1_5_12 += g1_12 * x12; d1_5_13 += g1_13 * x13; d1_5_14 += g1_14 * x14; d1_5_15 += g1_15 * x15
                    xb = _U((c * Hp + h + 2) * Wsp + w0 + 0)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_6_0 += g0_0 * x0; d0_6_1 += g0_1 * x1; d0_6_2 += g0_2 * x2; d0_6_3 += g0_3 * x3; d0_6_4 += g0_4 * x4; d0_6_5 += g0_5 * x5; d0_6_6 += g0_6 * x6; d0_6_7 += g0_7 * x7; d0_6_8 += g0_8 * x8; d0_6_9 += g0_9 * x9; d0_6_10 += g0_10 * x10; d0_6_11 += g0_11 * x11; d0_6_12 += g0_12 * x12; d0_6_13 += g0_13 * x13; d0_6_14 += g0_14 * x14; d0_6_15 += g0_15 * x15
                    d1_6_0 += g1_0 * x0; d1_6_1 += g1_1 * x1; d1_6_2 += g1_2 * x2; d1_6_3 += g1_3 * x3; d1_6_4 += g1_4 * x4; d1_6_5 += g1_5 * x5; d1_6_6 += g1_6 * x6; d1_6_7 += g1_7 * x7; d1_6_8 += g1_8 * x8; d1_6_9 += g1_9 * x9; d1_6_10 += g1_10 * x10; d1_6_11 += g1_11 * x11; d1_6_12 += g1_12 * x12; d1_6_13 += g1_13 * x13; d1_6_14 += g1_14 * x14; d1_6_15 += g1_15 * x15
                    xb = _U((c * Hp + h + 2) * Wsp + w0 + 1)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_7_0 += g0_0 * x0; d0_7_1 += g0_1 * x1; d0_7_2 += g0_2 * x2; d0_7_3 += g0_3 * x3; d0_7_4 += g0_4 * x4; d0_7_5 += g0_5 * x5; d0_7_6 += g0_6 * x6; d0_7_7 += g0_7 * x7; d0_7_8 += g0_8 * x8; d0_7_9 += g0_9 * x9; d0_7_10 += g0_10 * x10; d0_7_11 += g0_11 * x11; d0_7_12 += g0_12 * x12; d0_7_13 += g0_13 * x13; d0_7_14 += g0_14 * x14; d0_7_15 += g0_15 * x15
                    d1_7_0 += g1_0 * x0; d1_7_1 += g1_1 * x1; d1_7_2 += g1_2 * x2; d1_7_3 += g1_3 * x3; d1_7_4 += g1_4 * x4; d1_7_5 += g1_5 * x5; d1_7_6 += g1_6 * x6; d1_7_7 += g1_7 * x7; d1_7_8 += g1_8 * x8; d1_7_9 += g1_9 * x9; d1_7_10 += g1_10 * x10; d1_7_11 += g1_11 * x11; d1_7_12 += g1_12 * x12; d1_7_13 += g1_13 * x13; d1_7_14 += g1_14 * x14; d1_7_15 += g1_15 * x15
                    xb = _U((c * Hp + h + 2) * Wsp + w0 + 2)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]; x8 = xs[xb + _U(8)]; x9 = xs[xb + _U(9)]; x10 = xs[xb + _U(10)]; x11 = xs[xb + _U(11)]; x12 = xs[xb + _U(12)]; x13 = xs[xb + _U(13)]; x14 = xs[xb + _U(14)]; x15 = xs[xb + _U(15)]
                    d0_8_0 += g0_0 * x0; d0_8_1 += g0_1 * x1; d0_8_2 += g0_2 * x2; d0_8_3 += g0_3 * x3; d0_8_4 += g0_4 * x4; d0_8_5 += g0_5 * x5; d0_8_6 += g0_6 * x6; d0_8_7 += g0_7 * x7; d0_8_8 += g0_8 * x8; d0_8_9 += g0_9 * x9; d0_8_10 += g0_10 * x10; d0_8_11 += g0_11 * x11; d0_8_12 += g0_12 * x12; d0_8_13 += g0_13 * x13; d0_8_14 += g0_14 * x14; d0_8_15 += g0_15 * x15
                    d1_8_0 += g1_0 * x0; d1_8_1 += g1_1 * x1; d1_8_2 += g1_2 * x2; d1_8_3 += g1_3 * x3; d1_8_4 += g1_4 * x4; d1_8_5 += g1_5 * x5; d1_8_6 += g1_6 * x6; d1_8_7 += g1_7 * x7; d1_8_8 += g1_8 * x8; d1_8_9 += g1_9 * x9; d1_8_10 += g1_10 * x10; d1_8_11 += g1_11 * x11; d1_8_12 += g1_12 * x12; d1_8_13 += g1_13 * x13; d1_8_14 += g1_14 * x14; d1_8_15 += g1_15 * x15
            lb = _U((((f0 + 0) * C + c) * 9 + 0) * 16)
            lanes[lb + _U(0)] += d0_0_0; lanes[lb + _U(1)] += d0_0_1; lanes[lb + _U(2)] += d0_0_2; lanes[lb + _U(3)] += d0_0_3; lanes[lb + _U(4)] += d0_0_4; lanes[lb + _U(5)] += d0_0_5; lanes[lb + _U(6)] += d0_0_6; lanes[lb + _U(7)] += d0_0_7; lanes[lb + _U(8)] += d0_0_8; lanes[lb + _U(9)] += d0_0_9; lanes[lb + _U(10)] += d0_0_10; lanes[lb + _U(11)] += d0_0_11; lanes[lb + _U(12)] += d0_0_12; lanes[lb + _U(13)] += d0_0_13; lanes[lb + _U(14)] += d0_0_14; lanes[lb + _U(15)] += d0_0_15
            lb = _U((((f0 + 0) * C + c) * 9 + 1) * 16)
            lanes[lb + _U(0)] += d0_1_0; lanes[lb + _U(1)] += d0_1_1; lanes[lb + _U(2)] += d0_1_2; lanes[lb + _U(3)] += d0_1_3; lanes[lb + _U(4)] += d0_1_4; lanes[lb + _U(5)] += d0_1_5; lanes[lb + _U(6)] += d0_1_6; lanes[lb + _U(7)] += d0_1_7; lanes[lb + _U(8)] += d0_1_8; lanes[lb + _U(9)] += d0_1_9; lanes[lb + _U(10)] += d0_1_10; lanes[lb + _U(11)] += d0_1_11; lanes[lb + _U(12)] += d0_1_12; lanes[lb + _U(13)] += d0_1_13; lanes[lb + _U(14)] += d0_1_14; lanes[lb + _U(15)] += d0_1_15
            lb = _U((((f0 + 0) * C + c) * 9 + 2) * 16)
            lanes[lb + _U(0)] += d0_2_0; lanes[lb + _U(1)] += d0_2_1; lanes[lb + _U(2)] += d0_2_2; lanes[lb + _U(3)] += d0_2_3; lanes[lb + _U(4)] += d0_2_4; lanes[lb + _U(5)] += d0_2_5; lanes[lb + _U(6)] += d0_2_6; lanes[lb + _U(7)] += d0_2_7; lanes[lb + _U(8)] += d0_2_8; lanes[lb + _U(9)] += d0_2_9; lanes[lb + _U(10)] += d0_2_10; lanes[lb + _U(11)] += d0_2_11; lanes[lb + _U(12)] += d0_2_12; lanes[lb + _U(13)] += d0_2_13; lanes[lb + _U(14)] += d0_2_14; lanes[lb + _U(15)] += d0_2_15
            lb = _U((((f0 + 0) * C + c) * 9 + 3) * 16)
            lanes[lb + _U(0)] += d0_3_0; lanes[lb + _U(1)] += d0_3_1; lanes[lb + _U(2)] += d0_3_2; lanes[lb + _U(3)] += d0_3_3; lanes[lb + _U(4)] += d0_3_4; lanes[lb + _U(5)] += d0_3_5; lanes[lb + _U(6)] += d0_3_6; lanes[lb + _U(7)] += d0_3_7; lanes[lb + _U(8)] += d0_3_8; lanes[lb + _U(9)] += d0_3_9; lanes[lb + _U(10)] += d0_3_10; lanes[lb + _U(11)] += d0_3_11; lanes[lb + _U(12)] += d0_3_12; lanes[lb + _U(13)] += d0_3_13; lanes[lb + _U(14)] += d0_3_14; lanes[lb + _U(15)] += d0_3_15
            lb = _U((((f0 + 0) * C + c) * 9 + 4) * 16)
            lanes[lb + _U(0)] += d0_4_0; lanes[lb + _U(1)] += d0_4_1; lanes[lb + _U(2)] += d0_4_2; lanes[lb + _U(3)] += d0_4_3; lanes[lb + _U(4)] += d0_4_4; lanes[lb + _U(5)] += d0_4_5; lanes[lb + _U(6)] += d0_4_6; lanes[lb + _U(7)] += d0_4_7; lanes[lb + _U(8)] += d0_4_8; lanes[lb + _U(9)] += d0_4_9; lanes[lb + _U(10)] += d0_4_10; lanes[lb + _U(11)] += d0_4_11; lanes[lb + _U(12)] += d0_4_12; lanes[lb + _U(13)] += d0_4_13; lanes[lb + _U(14)] += d0_4_14; lanes[lb + _U(15)] += d0_4_15
            lb = _U((((f0 + 0) * C + c) * 9 + 5) * 16)
            lanes[lb + _U(0)] += d0_5_0; lanes[lb + _U(1)] += d0_5_1; lanes[lb + _U(2)] += d0_5_2; lanes[lb + _U(3)] += d0_5_3; lanes[lb + _U(4)] += d0_5_4; lanes[lb + _U(5)] += d0_5_5; lanes[lb + _U(6)] += d0_5_6; lanes[lb + _U(7)] += d0_5_7; lanes[lb + _U(8)] += d0_5_8; lanes[lb + _U(9)] += d0_5_9; lanes[lb + _U(10)] += d0_5_10; lanes[lb + _U(11)] += d0_5_11; lanes[lb + _U(12)] += d0_5_12; lanes[lb + _U(13)] += d0_5_13; lanes[lb + _U(14)] += d0_5_14; lanes[lb + _U(15)] += d0_5_15
            lb = _U((((f0 + 0) * C + c) * 9 + 6) * 16)
            lanes[lb + _U(0)] += d0_6_0; lanes[lb + _U(1)] += d0_6_1; lanes[lb + _U(2)] += d0_6_2; lanes[lb + _U(3)] += d0_6_3; lanes[lb + _U(4)] += d0_6_4; lanes[lb + _U(5)] += d0_6_5; lanes[lb + _U(6)] += d0_6_6; lanes[lb + _U(7)] += d0_6_7; lanes[lb + _U(8)] += d0_6_8; lanes[lb + _U(9)] += d0_6_9; lanes[lb + _U(10)] += d0_6_10; lanes[lb + _U(11)] += d0_6_11; lanes[lb + _U(12)] += d0_6_12; lanes[lb + _U(13)] += d0_6_13; lanes[lb + _U(14)] += d0_6_14; lanes[lb + _U(15)] += d0_6_15
            lb = _U((((f0 + 0) * C + c) * 9 + 7) * 16)
            lanes[lb + _U(0)] += d0_7_0; lanes[lb + _U(1)] += d0_7_1; lanes[lb + _U(2)] += d0_7_2; lanes[lb + _U(3)] += d0_7_3; lanes[lb + _U(4)] += d0_7_4; lanes[lb + _U(5)] += d0_7_5; lanes[lb + _U(6)] += d0_7_6; lanes[lb + _U(7)] += d0_7_7; lanes[lb + _U(8)] += d0_7_8; lanes[lb + _U(9)] += d0_7_9; lanes[lb + _U(10)] += d0_7_10; lanes[lb + _U(11)] += d0_7_11; lanes[lb + _U(12)] += d0_7_12; lanes[lb + _U(13)] += d0_7_13; lanes[lb + _U(14)] += d0_7_14; lanes[lb + _U(15)] += d0_7_15
            lb = _U((((f0 + 0) * C + c) * 9 + 8) * 16)
            lanes[lb + _U(0)] += d0_8_0; lanes[lb + _U(1)] += d0_8_1; lanes[lb + _U(2)] += d0_8_2; lanes[lb + _U(3)] += d0_8_3; lanes[lb + _U(4)] += d0_8_4; lanes[lb + _U(5)] += d0_8_5; lanes[lb + _U(6)] += d0_8_6; lanes[lb + _U(7)] += d0_8_7; lanes[lb + _U(8)] += d0_8_8; lanes[lb + _U(9)] += d0_8_9; lanes[lb + _U(10)] += d0_8_10; lanes[lb + _U(11)] += d0_8_11; lanes[lb + _U(12)] += d0_8_12; lanes[lb + _U(13)] += d0_8_13; lanes[lb + _U(14)] += d0_8_14; lanes[lb + _U(15)] += d0_8_15
            lb = _U((((f0 + 1) * C + c) * 9 + 0) * 16)
            lanes[lb + _U(0)] += d1_0_0; lanes[lb + _U(1)] += d1_0_1; lanes[lb + _U(2)] += d1_0_2; lanes[lb + _U(3)] += d1_0_3; lanes[lb + _U(4)] += d1_0_4; lanes[lb + _U(5)] += d1_0_5; lanes[lb + _U(6)] += d1_0_6; lanes[lb + _U(7)] += d1_0_7; lanes[lb + _U(8)] += d1_0_8; lanes[lb + _U(9)] += d1_0_9; lanes[lb + _U(10)] += d1_0_10; lanes[lb + _U(11)] += d1_0_11; lanes[lb + _U(12)] += d1_0_12; lanes[lb + _U(13)] += d1_0_13; lanes[lb + _U(14)] += d1_0_14; lanes[lb + _U(15)] += d1_0_15
            lb = _U((((f0 + 1) * C + c) * 9 + 1) * 16)
            lanes[lb + _U(0)] += d1_1_0; lanes[lb + _U(1)] += d1_1_1; lanes[lb + _U(2)] += d1_1_2; lanes[lb + _U(3)] += d1_1_3; lanes[lb + _U(4)] += d1_1_4; lanes[lb + _U(5)] += d1_1_5; lanes[lb + _U(6)] += d1_1_6; lanes[lb + _U(7)] += d1_1_7; lanes[lb + _U(8)] += d1_1_8; lanes[lb + _U(9)] += d1_1_9; lanes[lb + _U(10)] += d1_1_10; lanes[lb + _U(11)] += d1_1_11; lanes[lb + _U(12)] += d1_1_12; lanes[lb + _U(13)] += d1_1_13; lanes[lb + _U(14)] += d1_1_14; lanes[lb + _U(15)] += d1_1_15
            lb = _U((((f0 + 1) * C + c) * 9 + 2) * 16)
            lanes[lb + _U(0)] += d1_2_0; lanes[lb + _U(1)] += d1_2_1; lanes[lb + _U(2)] += d1_2_2; lanes[lb + _U(3)] += d1_2_3; lanes[lb + _U(4)] += d1_2_4; lanes[lb + _U(5)] += d1_2_5; lanes[lb + _U(6)] += d1_2_6; lanes[lb + _U(7)] += d1_2_7; lanes[lb + _U(8)] += d1_2_8; lanes[lb + _U(9)] += d1_2_9; lanes[lb + _U(10)] += d1_2_10; lanes[lb + _U(11)] += d1_2_11; lanes[lb + _U(12)] += d1_2_12; lanes[lb + _U(13)] += d1_2_13; lanes[lb + _U(14)] += d1_2_14; lanes[lb + _U(15)] += d1_2_15
            lb = _U((((f0 + 1) * C + c) * 9 + 3) * 16)
            lanes[lb + _U(0)] += d1_3_0; lanes[lb + _U(1)] += d1_3_1; lanes[lb + _U(2)] += d1_3_2; lanes[lb + _U(3)] += d1_3_3; lanes[lb + _U(4)] += d1_3_4; lanes[lb + _U(5)] += d1_3_5; lanes[lb + _U(6)] += d1_3_6; lanes[lb + _U(7)] += d1_3_7; lanes[lb + _U(8)] += d1_3_8; lanes[lb + _U(9)] += d1_3_9; lanes[lb + _U(10)] += d1_3_10; lanes[lb + _U(11)] += d1_3_11; lanes[lb + _U(12)] += d1_3_12; lanes[lb + _U(13)] += d1_3_13; lanes[lb + _U(14)] += d1_3_14; lanes[lb + _U(15)] += d1_3_15
            lb = _U((((f0 + 1) * C + c) * 9 + 4) * 16)
            lanes[lb + _U(0)] += d1_4_0; lanes[lb + _U(1)] += d1_4_1; lanes[lb + _U(2)] += d1_4_2; lanes[lb + _U(3)] += d1_4_3; lanes[lb + _U(4)] += d1_4_4; lanes[lb + _U(5)] += d1_4_5; lanes[lb + _U(6)] += d1_4_6; lanes[lb + _U(7)] += d1_4_7; lanes[lb + _U(8)] += d1_4_8; lanes[lb + _U(9)] += d1_4_9; lanes[lb + _U(10)] += d1_4_10; lanes[lb + _U(11)] += d1_4_11; lanes[lb + _U(12)] += d1_4_12; lanes[lb + _U(13)] += d1_4_13; lanes[lb + _U(14)] += d1_4_14; lanes[lb + _U(15)] += d1_4_15
            lb = _U((((f0 + 1) * C + c) * 9 + 5) * 16)
            lanes[lb + _U(0)] += d1_5_0; lanes[lb + _U(1)] += d1_5_1; lanes[lb + _U(2)] += d1_5_2; lanes[lb + _U(3)] += d1_5_3; lanes[lb + _U(4)] += d1_5_4; lanes[lb + _U(5)] += d1_5_5; lanes[lb + _U(6)] += d1_5_6; lanes[lb + _U(7)] += d1_5_7; lanes[lb + _U(8)] += d1_5_8; lanes[lb + _U(9)] += d1_5_9; lanes[lb + _U(10)] += d1_5_10; lanes[lb + _U(11)] += d1_5_11; lanes[lb + _U(12)] += d1_5_12; lanes[lb + _U(13)] += d1_5_13; lanes[lb + _U(14)] += d1_5_14; lanes[lb + _U(15)] += d1_5_15
            lb = _U((((f0 + 1) * C + c) * 9 + 6) * 16)
            lanes[lb + _U(0)] += d1_6_0; lanes[lb + _U(1)] += d1_6_1; lanes[lb + _U(2)] += d1_6_2; lanes[lb + _U(3)] += d1_6_3; lanes[lb + _U(4)] += d1_6_4; lanes[lb + _U(5)] += d1_6_5; lanes[lb + _U(6)] += d1_6_6; lanes[lb + _U(7)] += d1_6_7; lanes[lb + _U(8)] += d1_6_8; lanes[lb + _U(9)] += d1_6_9; lanes[lb + _U(10)] += d1_6_10; lanes[lb + _U(11)] += d1_6_11; lanes[lb + _U(12)] += d1_6_12; lanes[lb + _U(13)] += d1_6_13; lanes[lb + _U(14)] += d1_6_14; lanes[lb + _U(15)] += d1_6_15
            lb = _U((((f0 + 1) * C + c) * 9 + 7) * 16)
            lanes[lb + _U(0)] += d1_7_0; lanes[lb + _U(1)] += d1_7_1; lanes[lb + _U(2)] += d1_7_2; lanes[lb + _U(3)] += d1_7_3; lanes[lb + _U(4)] += d1_7_4; lanes[lb + _U(5)] += d1_7_5; lanes[lb + _U(6)] += d1_7_6; lanes[lb + _U(7)] += d1_7_7; lanes[lb + _U(8)] += d1_7_8; lanes[lb + _U(9)] += d1_7_9; lanes[lb + _U(10)] += d1_7_10; lanes[lb + _U(11)] += d1_7_11; lanes[lb + _U(12)] += d1_7_12; lanes[lb + _U(13)] += d1_7_13; lanes[lb + _U(14)] += d1_7_14; lanes[lb + _U(15)] += d1_7_15
            lb = _U((((f0 + 1) * C + c) * 9 + 8) * 16)
            lanes[lb + _U(0)] += d1_8_0; lanes[lb + _U(1)] += d1_8_1; lanes[lb + _U(2)] += d1_8_2; lanes[lb + _U(3)] += d1_8_3; lanes[lb + _U(4)] += d1_8_4; lanes[lb + _U(5)] += d1_8_5; lanes[lb + _U(6)] += d1_8_6; lanes[lb + _U(7)] += d1_8_7; lanes[lb + _U(8)] += d1_8_8; lanes[lb + _U(9)] += d1_8_9; lanes[lb + _U(10)] += d1_8_10; lanes[lb + _U(11)] += d1_8_11; lanes[lb + _U(12)] += d1_8_12; lanes[lb + _U(13)] += d1_8_13; lanes[lb + _U(14)] += d1_8_14; lanes[lb + _U(15)] += d1_8_15

@njit(types.void(_IN4, _IN4, _W4, _W2, _W4, _W3, _W3, _I, _I, _I, _I), **_OPTIONS)
def grad_16(x, dout, part, dbpart, lanes, xs, gs, pad, group, g0, g1):
    """part[k] (Fr, C, 9) and dbpart[k] (Fr,) = the filter and bias gradients of images
    k * group .. k * group + group - 1, for the groups k = g0..g1-1 (3x3, stride 1, pad).

    lanes (Fr, C, 9, 16), xs (C, H + 2 pad, Wr + 2) and gs (Fr, H_out, Wr) are this call's
    own buffers, Wr the output width rounded up to 16, Fr >= F a multiple of 2.
    """
    N, C, H, W = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = dout.shape[1], dout.shape[2], dout.shape[3]
    Fr = lanes.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], gs.shape[2]
    straight = Fr == F and Wr == W_out
    gf, lf = dout.ravel(), lanes.ravel()
    xs[:] = 0
    gs[:] = 0
    xf = xs.ravel()
    src = gf if straight else gs.ravel()
    for k in range(g0, g1):
        lanes[:] = 0
        for f in range(F):
            dbpart[k, f] = 0
        for n in range(k * group, min(N, k * group + group)):
            xs[:, pad:pad + H, pad:pad + W] = x[n]
            if not straight:
                gs[:F, :, :W_out] = dout[n]
            _grad_image_16(xf, src, n * F * H_out * W_out if straight else 0, lf,
                            C, Fr, H_out, Wr, Hp, Wsp)
            for f in range(F):
                s = _F32(0)
                for h in range(H_out):
                    for v in range(W_out):
                        s += dout[n, f, h, v]
                dbpart[k, f] += s
        for f in range(F):
            for c in range(C):
                for t in range(9):
                    s = _F32(0)
                    for lane in range(16):
                        s += lanes[f, c, t, lane]
                    part[k, f, c, t] = s

@njit(**_OPTIONS)
def _grad_image_8(xs, g, g0, lanes, C, Fr, H_out, Wr, Hp, Wsp):
    """lanes (Fr, C, 9, 8) += the products of g[g0:] (Fr, H_out, Wr) with xs (C, Hp, Wsp) for each tap, by column lane."""
    for f0 in range(0, Fr, 2):
        for c in range(C):
            d0_0_0 = _F32(0); d0_0_1 = _F32(0); d0_0_2 = _F32(0); d0_0_3 = _F32(0); d0_0_4 = _F32(0); d0_0_5 = _F32(0); d0_0_6 = _F32(0); d0_0_7 = _F32(0)
            d0_1_0 = _F32(0); d0_1_1 = _F32(0); d0_1_2 = _F32(0); d0_1_3 = _F32(0); d0_1_4 = _F32(0); d0_1_5 = _F32(0); d0_1_6 = _F32(0); d0_1_7 = _F32(0)
            d0_2_0 = _F32(0); d0_2_1 = _F32(0); d0_2_2 = _F32(0); d0_2_3 = _F32(0); d0_2_4 = _F32(0); d0_2_5 = _F32(0); d0_2_6 = _F32(0); d0_2_7 = _F32(0)
            d0_3_0 = _F32(0); d0_3_1 = _F32(0); d0_3_2 = _F32(0); d0_3_3 = _F32(0); d0_3_4 = _F32(0); d0_3_5 = _F32(0); d0_3_6 = _F32(0); d0_3_7 = _F32(0)
            d0_4_0 = _F32(0); d0_4_1 = _F32(0); d0_4_2 = _F32(0); d0_4_3 = _F32(0); d0_4_4 = _F32(0); d0_4_5 = _F32(0); d0_4_6 = _F32(0); d0_4_7 = _F32(0)
            d0_5_0 = _F32(0); d0_5_1 = _F32(0); d0_5_2 = _F32(0); d0_5_3 = _F32(0); d0_5_4 = _F32(0); d0_5_5 = _F32(0); d0_5_6 = _F32(0); d0_5_7 = _F32(0)
            d0_6_0 = _F32(0); d0_6_1 = _F32(0); d0_6_2 = _F32(0); d0_6_3 = _F32(0); d0_6_4 = _F32(0); d0_6_5 = _F32(0); d0_6_6 = _F32(0); d0_6_7 = _F32(0)
            d0_7_0 = _F32(0); d0_7_1 = _F32(0); d0_7_2 = _F32(0); d0_7_3 = _F32(0); d0_7_4 = _F32(0); d0_7_5 = _F32(0); d0_7_6 = _F32(0); d0_7_7 = _F32(0)
            d0_8_0 = _F32(0); d0_8_1 = _F32(0); d0_8_2 = _F32(0); d0_8_3 = _F32(0); d0_8_4 = _F32(0); d0_8_5 = _F32(0); d0_8_6 = _F32(0); d0_8_7 = _F32(0)
            d1_0_0 = _F32(0); d1_0_1 = _F32(0); d1_0_2 = _F32(0); d1_0_3 = _F32(0); d1_0_4 = _F32(0); d1_0_5 = _F32(0); d1_0_6 = _F32(0); d1_0_7 = _F32(0)
            d1_1_0 = _F32(0); d1_1_1 = _F32(0); d1_1_2 = _F32(0); d1_1_3 = _F32(0); d1_1_4 = _F32(0); d1_1_5 = _F32(0); d1_1_6 = _F32(0); d1_1_7 = _F32(0)
            d1_2_0 = _F32(0); d1_2_1 = _F32(0); d1_2_2 = _F32(0); d1_2_3 = _F32(0); d1_2_4 = _F32(0); d1_2_5 = _F32(0); d1_2_6 = _F32(0); d1_2_7 = _F32(0)
            d1_3_0 = _F32(0); d1_3_1 = _F32(0); d1_3_2 = _F32(0); d1_3_3 = _F32(0); d1_3_4 = _F32(0); d1_3_5 = _F32(0); d1_3_6 = _F32(0); d1_3_7 = _F32(0)
            d1_4_0 = _F32(0); d1_4_1 = _F32(0); d1_4_2 = _F32(0); d1_4_3 = _F32(0); d1_4_4 = _F32(0); d1_4_5 = _F32(0); d1_4_6 = _F32(0); d1_4_7 = _F32(0)
            d1_5_0 = _F32(0); d1_5_1 = _F32(0); d1_5_2 = _F32(0); d1_5_3 = _F32(0); d1_5_4 = _F32(0); d1_5_5 = _F32(0); d1_5_6 = _F32(0); d1_5_7 = _F32(0)
            d1_6_0 = _F32(0); d1_6_1 = _F32(0); d1_6_2 = _F32(0); d1_6_3 = _F32(0); d1_6_4 = _F32(0); d1_6_5 = _F32(0); d1_6_6 = _F32(0); d1_6_7 = _F32(0)
            d1_7_0 = _F32(0); d1_7_1 = _F32(0); d1_7_2 = _F32(0); d1_7_3 = _F32(0); d1_7_4 = _F32(0); d1_7_5 = _F32(0); d1_7_6 = _F32(0); d1_7_7 = _F32(0)
            d1_8_0 = _F32(0); d1_8_1 = _F32(0); d1_8_2 = _F32(0); d1_8_3 = _F32(0); d1_8_4 = _F32(0); d1_8_5 = _F32(0); d1_8_6 = _F32(0); d1_8_7 = _F32(0)
            for h in range(H_out):
                for w0 in range(0, Wr, 8):
                    gb = _U(g0 + ((f0 + 0) * H_out + h) * Wr + w0)
                    g0_0 = g[gb + _U(0)]; g0_1 = g[gb + _U(1)]; g0_2 = g[gb + _U(2)]; g0_3 = g[gb + _U(3)]; g0_4 = g[gb + _U(4)]; g0_5 = g[gb + _U(5)]; g0_6 = g[gb + _U(6)]; g0_7 = g[gb + _U(7)]
                    gb = _U(g0 + ((f0 + 1) * H_out + h) * Wr + w0)
                    g1_0 = g[gb + _U(0)]; g1_1 = g[gb + _U(1)]; g1_2 = g[gb + _U(2)]; g1_3 = g[gb + _U(3)]; g1_4 = g[gb + _U(4)]; g1_5 = g[gb + _U(5)]; g1_6 = g[gb + _U(6)]; g1_7 = g[gb + _U(7)]
                    xb = _U((c * Hp + h + 0) * Wsp + w0 + 0)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_0_0 += g0_0 * x0; d0_0_1 += g0_1 * x1; d0_0_2 += g0_2 * x2; d0_0_3 += g0_3 * x3; d0_0_4 += g0_4 * x4; d0_0_5 += g0_5 * x5; d0_0_6 += g0_6 * x6; d0_0_7 += g0_7 * x7
                    d1_0_0 += g1_0 * x0; d1_0_1 += g1_1 * x1; d1_0_2 += g1_2 * x2; d1_0_3 += g1_3 * x3; d1_0_4 += g1_4 * x4; d1_0_5 += g1_5 * x5; d1_0_6 += g1_6 * x6; d1_0_7 += g1_7 * x7
                    xb = _U((c * Hp + h + 0) * Wsp + w0 + 1)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_1_0 += g0_0 * x0; d0_1_1 += g0_1 * x1; d0_1_2 += g0_2 * x2; d0_1_3 += g0_3 * x3; d0_1_4 += g0_4 * x4; d0_1_5 += g0_5 * x5; d0_1_6 += g0_6 * x6; d0_1_7 += g0_7 * x7
                    d1_1_0 += g1_0 * x0; d1_1_1 += g1_1 * x1; d1_1_2 += g1_2 * x2; d1_1_3 += g1_3 * x3; d1_1_4 += g1_4 * x4; d1_1_5 += g1_5 * x5; d1_1_6 += g1_6 * x6; d1_1_7 += g1_7 * x7
                    xb = _U((c * Hp + h + 0) * Wsp + w0 + 2)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_2_0 += g0_0 * x0; d0_2_1 += g0_1 * x1; d0_2_2 += g0_2 * x2; d0_2_3 += g0_3 * x3; d0_2_4 += g0_4 * x4; d0_2_5 += g0_5 * x5; d0_2_6 += g0_6 * x6; d0_2_7 += g0_7 * x7
                    d1_2_0 += g1_0 * x0; d1_2_1 += g1_1 * x1; d1_2_2 += g1_2 * x2; d1_2_3 += g1_3 * x3; d1_2_4 += g1_4 * x4; d1_2_5 += g1_5 * x5; d1_2_6 += g1_6 * x6; d1_2_7 += g1_7 * x7
                    xb = _U((c * Hp + h + 1) * Wsp + w0 + 0)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_3_0 += g0_0 * x0; d0_3_1 += g0_1 * x1; d0_3_2 += g0_2 * x2; d0_3_3 += g0_3 * x3; d0_3_4 += g0_4 * x4; d0_3_5 += g0_5 * x5; d0_3_6 += g0_6 * x6; d0_3_7 += g0_7 * x7
                    d1_3_0 += g1_0 * x0; d1_3_1 += g1_1 * x1; d1_3_2 += g1_2 * x2; d1_3_3 += g1_3 * x3; d1_3_4 += g1_4 * x4; d1_3_5 += g1_5 * x5; d1_3_6 += g1_6 * x6; d1_3_7 += g1_7 * x7
                    xb = _U((c * Hp + h + 1) * Wsp + w0 + 1)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_4_0 += g0_0 * x0; d0_4_1 += g0_1 * x1; d0_4_2 += g0_2 * x2; d0_4_3 += g0_3 * x3; d0_4_4 += g0_4 * x4; d0_4_5 += g0_5 * x5; d0_4_6 += g0_6 * x6; d0_4_7 += g0_7 * x7
                    d1_4_0 += g1_0 * x0; d1_4_1 += g1_1 * x1; d1_4_2 += g1_2 * x2; d1_4_3 += g1_3 * x3; d1_4_4 += g1_4 * x4; d1_4_5 += g1_5 * x5; d1_4_6 += g1_6 * x6; d1_4_7 += g1_7 * x7
                    xb = _U((c * Hp + h + 1) * Wsp + w0 + 2)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_5_0 += g0_0 * x0; d0_5_1 += g0_1 * x1; d0_5_2 += g0_2 * x2; d0_5_3 += g0_3 * x3; d0_5_4 += g0_4 * x4; d0_5_5 += g0_5 * x5; d0_5_6 += g0_6 * x6; d0_5_7 += g0_7 * x7
                    d1_5_0 += g1_0 * x0; d1_5_1 += g1_1 * x1; d1_5_2 += g1_2 * x2; d1_5_3 += g1_3 * x3; d1_5_4 += g1_4 * x4; d1_5_5 += g1_5 * x5; d1_5_6 += g1_6 * x6; d1_5_7 += g1_7 * x7
                    xb = _U((c * Hp + h + 2) * Wsp + w0 + 0)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_6_0 += g0_0 * x0; d0_6_1 += g0_1 * x1; d0_6_2 += g0_2 * x2; d0_6_3 += g0_3 * x3; d0_6_4 += g0_4 * x4; d0_6_5 += g0_5 * x5; d0_6_6 += g0_6 * x6; d0_6_7 += g0_7 * x7
                    d1_6_0 += g1_0 * x0; d1_6_1 += g1_1 * x1; d1_6_2 += g1_2 * x2; d1_6_3 += g1_3 * x3; d1_6_4 += g1_4 * x4; d1_6_5 += g1_5 * x5; d1_6_6 += g1_6 * x6; d1_6_7 += g1_7 * x7
                    xb = _U((c * Hp + h + 2) * Wsp + w0 + 1)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_7_0 += g0_0 * x0; d0_7_1 += g0_1 * x1; d0_7_2 += g0_2 * x2; d0_7_3 += g0_3 * x3; d0_7_4 += g0_4 * x4; d0_7_5 += g0_5 * x5; d0_7_6 += g0_6 * x6; d0_7_7 += g0_7 * x7
                    d1_7_0 += g1_0 * x0; d1_7_1 += g1_1 * x1; d1_7_2 += g1_2 * x2; d1_7_3 += g1_3 * x3; d1_7_4 += g1_4 * x4; d1_7_5 += g1_5 * x5; d1_7_6 += g1_6 * x6; d1_7_7 += g1_7 * x7
                    xb = _U((c * Hp + h + 2) * Wsp + w0 + 2)
                    x0 = xs[xb + _U(0)]; x1 = xs[xb + _U(1)]; x2 = xs[xb + _U(2)]; x3 = xs[xb + _U(3)]; x4 = xs[xb + _U(4)]; x5 = xs[xb + _U(5)]; x6 = xs[xb + _U(6)]; x7 = xs[xb + _U(7)]
                    d0_8_0 += g0_0 * x0; d0_8_1 += g0_1 * x1; d0_8_2 += g0_2 * x2; d0_8_3 += g0_3 * x3; d0_8_4 += g0_4 * x4; d0_8_5 += g0_5 * x5; d0_8_6 += g0_6 * x6; d0_8_7 += g0_7 * x7
                    d1_8_0 += g1_0 * x0; d1_8_1 += g1_1 * x1; d1_8_2 += g1_2 * x2; d1_8_3 += g1_3 * x3; d1_8_4 += g1_4 * x4; d1_8_5 += g1_5 * x5; d1_8_6 += g1_6 * x6; d1_8_7 += g1_7 * x7
            lb = _U((((f0 + 0) * C + c) * 9 + 0) * 8)
            lanes[lb + _U(0)] += d0_0_0; lanes[lb + _U(1)] += d0_0_1; lanes[lb + _U(2)] += d0_0_2; lanes[lb + _U(3)] += d0_0_3; lanes[lb + _U(4)] += d0_0_4; lanes[lb + _U(5)] += d0_0_5; lanes[lb + _U(6)] += d0_0_6; lanes[lb + _U(7)] += d0_0_7
            lb = _U((((f0 + 0) * C + c) * 9 + 1) * 8)
            lanes[lb + _U(0)] += d0_1_0; lanes[lb + _U(1)] += d0_1_1; lanes[lb + _U(2)] += d0_1_2; lanes[lb + _U(3)] += d0_1_3; lanes[lb + _U(4)] += d0_1_4; lanes[lb + _U(5)] += d0_1_5; lanes[lb + _U(6)] += d0_1_6; lanes[lb + _U(7)] += d0_1_7
            lb = _U((((f0 + 0) * C + c) * 9 + 2) * 8)
            lanes[lb + _U(0)] += d0_2_0; lanes[lb + _U(1)] += d0_2_1; lanes[lb + _U(2)] += d0_2_2; lanes[lb + _U(3)] += d0_2_3; lanes[lb + _U(4)] += d0_2_4; lanes[lb + _U(5)] += d0_2_5; lanes[lb + _U(6)] += d0_2_6; lanes[lb + _U(7)] += d0_2_7
            lb = _U((((f0 + 0) * C + c) * 9 + 3) * 8)
            lanes[lb + _U(0)] += d0_3_0; lanes[lb + _U(1)] += d0_3_1; lanes[lb + _U(2)] += d0_3_2; lanes[lb + _U(3)] += d0_3_3; lanes[lb + _U(4)] += d0_3_4; lanes[lb + _U(5)] += d0_3_5; lanes[lb + _U(6)] += d0_3_6; lanes[lb + _U(7)] += d0_3_7
            lb = _U((((f0 + 0) * C + c) * 9 + 4) * 8)
            lanes[lb + _U(0)] += d0_4_0; lanes[lb + _U(1)] += d0_4_1; lanes[lb + _U(2)] += d0_4_2; lanes[lb + _U(3)] += d0_4_3; lanes[lb + _U(4)] += d0_4_4; lanes[lb + _U(5)] += d0_4_5; lanes[lb + _U(6)] += d0_4_6; lanes[lb + _U(7)] += d0_4_7
            lb = _U((((f0 + 0) * C + c) * 9 + 5) * 8)
            lanes[lb + _U(0)] += d0_5_0; lanes[lb + _U(1)] += d0_5_1; lanes[lb + _U(2)] += d0_5_2; lanes[lb + _U(3)] += d0_5_3; lanes[lb + _U(4)] += d0_5_4; lanes[lb + _U(5)] += d0_5_5; lanes[lb + _U(6)] += d0_5_6; lanes[lb + _U(7)] += d0_5_7
            lb = _U((((f0 + 0) * C + c) * 9 + 6) * 8)
            lanes[lb + _U(0)] += d0_6_0; lanes[lb + _U(1)] += d0_6_1; lanes[lb + _U(2)] += d0_6_2; lanes[lb + _U(3)] += d0_6_3; lanes[lb + _U(4)] += d0_6_4; lanes[lb + _U(5)] += d0_6_5; lanes[lb + _U(6)] += d0_6_6; lanes[lb + _U(7)] += d0_6_7
            lb = _U((((f0 + 0) * C + c) * 9 + 7) * 8)
            lanes[lb + _U(0)] += d0_7_0; lanes[lb + _U(1)] += d0_7_1; lanes[lb + _U(2)] += d0_7_2; lanes[lb + _U(3)] += d0_7_3; lanes[lb + _U(4)] += d0_7_4; lanes[lb + _U(5)] += d0_7_5; lanes[lb + _U(6)] += d0_7_6; lanes[lb + _U(7)] += d0_7_7
            lb = _U((((f0 + 0) * C + c) * 9 + 8) * 8)
            lanes[lb + _U(0)] += d0_8_0; lanes[lb + _U(1)] += d0_8_1; lanes[lb + _U(2)] += d0_8_2; lanes[lb + _U(3)] += d0_8_3; lanes[lb + _U(4)] += d0_8_4; lanes[lb + _U(5)] += d0_8_5; lanes[lb + _U(6)] += d0_8_6; lanes[lb + _U(7)] += d0_8_7
            lb = _U((((f0 + 1) * C + c) * 9 + 0) * 8)
            lanes[lb + _U(0)] += d1_0_0; lanes[lb + _U(1)] += d1_0_1; lanes[lb + _U(2)] += d1_0_2; lanes[lb + _U(3)] += d1_0_3; lanes[lb + _U(4)] += d1_0_4; lanes[lb + _U(5)] += d1_0_5; lanes[lb + _U(6)] += d1_0_6; lanes[lb + _U(7)] += d1_0_7
            lb = _U((((f0 + 1) * C + c) * 9 + 1) * 8)
            lanes[lb + _U(0)] += d1_1_0; lanes[lb + _U(1)] += d1_1_1; lanes[lb + _U(2)] += d1_1_2; lanes[lb + _U(3)] += d1_1_3; lanes[lb + _U(4)] += d1_1_4; lanes[lb + _U(5)] += d1_1_5; lanes[lb + _U(6)] += d1_1_6; lanes[lb + _U(7)] += d1_1_7
            lb = _U((((f0 + 1) * C + c) * 9 + 2) * 8)
            lanes[lb + _U(0)] += d1_2_0; lanes[lb + _U(1)] += d1_2_1; lanes[lb + _U(2)] += d1_2_2; lanes[lb + _U(3)] += d1_2_3; lanes[lb + _U(4)] += d1_2_4; lanes[lb + _U(5)] += d1_2_5; lanes[lb + _U(6)] += d1_2_6; lanes[lb + _U(7)] += d1_2_7
            lb = _U((((f0 + 1) * C + c) * 9 + 3) * 8)
            lanes[lb + _U(0)] += d1_3_0; lanes[lb + _U(1)] += d1_3_1; lanes[lb + _U(2)] += d1_3_2; lanes[lb + _U(3)] += d1_3_3; lanes[lb + _U(4)] += d1_3_4; lanes[lb + _U(5)] += d1_3_5; lanes[lb + _U(6)] += d1_3_6; lanes[lb + _U(7)] += d1_3_7
            lb = _U((((f0 + 1) * C + c) * 9 + 4) * 8)
            lanes[lb + _U(0)] += d1_4_0; lanes[lb + _U(1)] += d1_4_1; lanes[lb + _U(2)] += d1_4_2; lanes[lb + _U(3)] += d1_4_3; lanes[lb + _U(4)] += d1_4_4; lanes[lb + _U(5)] += d1_4_5; lanes[lb + _U(6)] += d1_4_6; lanes[lb + _U(7)] += d1_4_7
            lb = _U((((f0 + 1) * C + c) * 9 + 5) * 8)
            lanes[lb + _U(0)] += d1_5_0; lanes[lb + _U(1)] += d1_5_1; lanes[lb + _U(2)] += d1_5_2; lanes[lb + _U(3)] += d1_5_3; lanes[lb + _U(4)] += d1_5_4; lanes[lb + _U(5)] += d1_5_5; lanes[lb + _U(6)] += d1_5_6; lanes[lb + _U(7)] += d1_5_7
            lb = _U((((f0 + 1) * C + c) * 9 + 6) * 8)
            lanes[lb + _U(0)] += d1_6_0; lanes[lb + _U(1)] += d1_6_1; lanes[lb + _U(2)] += d1_6_2; lanes[lb + _U(3)] += d1_6_3; lanes[lb + _U(4)] += d1_6_4; lanes[lb + _U(5)] += d1_6_5; lanes[lb + _U(6)] += d1_6_6; lanes[lb + _U(7)] += d1_6_7
            lb = _U((((f0 + 1) * C + c) * 9 + 7) * 8)
            lanes[lb + _U(0)] += d1_7_0; lanes[lb + _U(1)] += d1_7_1; lanes[lb + _U(2)] += d1_7_2; lanes[lb + _U(3)] += d1_7_3; lanes[lb + _U(4)] += d1_7_4; lanes[lb + _U(5)] += d1_7_5; lanes[lb + _U(6)] += d1_7_6; lanes[lb + _U(7)] += d1_7_7
            lb = _U((((f0 + 1) * C + c) * 9 + 8) * 8)
            lanes[lb + _U(0)] += d1_8_0; lanes[lb + _U(1)] += d1_8_1; lanes[lb + _U(2)] += d1_8_2; lanes[lb + _U(3)] += d1_8_3; lanes[lb + _U(4)] += d1_8_4; lanes[lb + _U(5)] += d1_8_5; lanes[lb + _U(6)] += d1_8_6; lanes[lb + _U(7)] += d1_8_7

@njit(types.void(_IN4, _IN4, _W4, _W2, _W4, _W3, _W3, _I, _I, _I, _I), **_OPTIONS)
def grad_8(x, dout, part, dbpart, lanes, xs, gs, pad, group, g0, g1):
    """part[k] (Fr, C, 9) and dbpart[k] (Fr,) = the filter and bias gradients of images
    k * group .. k * group + group - 1, for the groups k = g0..g1-1 (3x3, stride 1, pad).

    lanes (Fr, C, 9, 8), xs (C, H + 2 pad, Wr + 2) and gs (Fr, H_out, Wr) are this call's
    own buffers, Wr the output width rounded up to 8, Fr >= F a multiple of 2.
    """
    N, C, H, W = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = dout.shape[1], dout.shape[2], dout.shape[3]
    Fr = lanes.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], gs.shape[2]
    straight = Fr == F and Wr == W_out
    gf, lf = dout.ravel(), lanes.ravel()
    xs[:] = 0
    gs[:] = 0
    xf = xs.ravel()
    src = gf if straight else gs.ravel()
    for k in range(g0, g1):
        lanes[:] = 0
        for f in range(F):
            dbpart[k, f] = 0
        for n in range(k * group, min(N, k * group + group)):
            xs[:, pad:pad + H, pad:pad + W] = x[n]
            if not straight:
                gs[:F, :, :W_out] = dout[n]
            _grad_image_8(xf, src, n * F * H_out * W_out if straight else 0, lf,
                            C, Fr, H_out, Wr, Hp, Wsp)
            for f in range(F):
                s = _F32(0)
                for h in range(H_out):
                    for v in range(W_out):
                        s += dout[n, f, h, v]
                dbpart[k, f] += s
        for f in range(F):
            for c in range(C):
                for t in range(9):
                    s = _F32(0)
                    for lane in range(8):
                        s += lanes[f, c, t, lane]
                    part[k, f, c, t] = s

@njit(**_OPTIONS)
def _channels_last(x, n, xs, top, left):
    """xs[top:top + H, left:left + W, :C] = image n of x (N, C, H, W), channels last."""
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    for h in range(H):
        for w in range(W):
            for c in range(C):
                xs[top + h, left + w, c] = x[n, c, h, w]

@njit(**_OPTIONS)
def _taps_block_32x8(xs, pa, oa, wk, toff, T, C, Fr, o, npos, bias):
    """o[oa[p] + f] = bias[f] + the sum over taps t < T and channels c < C of
    xs[pa[p] + toff[t] + c] * wk[(t * C + c) * Fr + f], for positions p < npos (a
    multiple of 8) and filters f < Fr (a multiple of 32)."""
    for f0 in range(0, Fr, 32):
        for p0 in range(0, npos, 8):
            q0 = _U(pa[p0 + 0]); q1 = _U(pa[p0 + 1]); q2 = _U(pa[p0 + 2]); q3 = _U(pa[p0 + 3]); q4 = _U(pa[p0 + 4]); q5 = _U(pa[p0 + 5]); q6 = _U(pa[p0 + 6]); q7 = _U(pa[p0 + 7])
            b0_0 = bias[f0 + 0]; b0_1 = bias[f0 + 1]; b0_2 = bias[f0 + 2]; b0_3 = bias[f0 + 3]; b0_4 = bias[f0 + 4]; b0_5 = bias[f0 + 5]; b0_6 = bias[f0 + 6]; b0_7 = bias[f0 + 7]; b0_8 = bias[f0 + 8]; b0_9 = bias[f0 + 9]; b0_10 = bias[f0 + 10]; b0_11 = bias[f0 + 11]; b0_12 = bias[f0 + 12]; b0_13 = bias[f0 + 13]; b0_14 = bias[f0 + 14]; b0_15 = bias[f0 + 15]
            b1_0 = bias[f0 + 16]; b1_1 = bias[f0 + 17]; b1_2 = bias[f0 + 18]; b1_3 = bias[f0 + 19]; b1_4 = bias[f0 + 20]; b1_5 = bias[f0 + 21]; b1_6 = bias[f0 + 22]; b1_7 = bias[f0 + 23]; b1_8 = bias[f0 + 24]; b1_9 = bias[f0 + 25]; b1_10 = bias[f0 + 26]; b1_11 = bias[f0 + 27]; b1_12 = bias[f0 + 28]; b1_13 = bias[f0 + 29]; b1_14 = bias[f0 + 30]; b1_15 = bias[f0 + 31]
            a0_0_0 = b0_0; a0_0_1 = b0_1; a0_0_2 = b0_2; a0_0_3 = b0_3; a0_0_4 = b0_4; a0_0_5 = b0_5; a0_0_6 = b0_6; a0_0_7 = b0_7; a0_0_8 = b0_8; a0_0_9 = b0_9; a0_0_10 = b0_10; a0_0_11 = b0_11; a0_0_12 = b0_12; a0_0_13 = b0_13; a0_0_14 = b0_14; a0_0_15 = b0_15
            a0_1_0 = b1_0; a0_1_1 = b1_1; a0_1_2 = b1_2; a0_1_3 = b1_3; a0_1_4 = b1_4; a0_1_5 = b1_5; a0_1_6 = b1_6; a0_1_7 = b1_7; a0_1_8 = b1_8; a0_1_9 = b1_9; a0_1_10 = b1_10; a0_1_11 = b1_11; a0_1_12 = b1_12; a0_1_13 = b1_13; a0_1_14 = b1_14; a0_1_15 = b1_15
            a1_0_0 = b0_0; a1_0_1 = b0_1; a1_0_2 = b0_2; a1_0_3 = b0_3; a1_0_4 = b0_4; a1_0_5 = b0_5; a1_0_6 = b0_6; a1_0_7 = b0_7; a1_0_8 = b0_8; a1_0_9 = b0_9; a1_0_10 = b0_10; a1_0_11 = b0_11; a1_0_12 = b0_12; a1_0_13 = b0_13; a1_0_14 = b0_14; a1_0_15 = b0_15
            a1_1_0 = b1_0; a1_1_1 = b1_1; a1_1_2 = b1_2; a1_1_3 = b1_3; a1_1_4 = b1_4; a1_1_5 = b1_5; a1_1_6 = b1_6; a1_1_7 = b1_7; a1_1_8 = b1_8; a1_1_9 = b1_9; a1_1_10 = b1_10; a1_1_11 = b1_11; a1_1_12 = b1_12; a1_1_13 = b1_13; a1_1_14 = b1_14; a1_1_15 = b1_15
            a2_0_0 = b0_0; a2_0_1 = b0_1; a2_0_2 = b0_2; a2_0_3 = b0_3; a2_0_4 = b0_4; a2_0_5 = b0_5; a2_0_6 = b0_6; a2_0_7 = b0_7; a2_0_8 = b0_8; a2_0_9 = b0_9; a2_0_10 = b0_10; a2_0_11 = b0_11; a2_0_12 = b0_12; a2_0_13 = b0_13; a2_0_14 = b0_14; a2_0_15 = b0_15
            a2_1_0 = b1_0; a2_1_1 = b1_1; a2_1_2 = b1_2; a2_1_3 = b1_3; a2_1_4 = b1_4; a2_1_5 = b1_5; a2_1_6 = b1_6; a2_1_7 = b1_7; a2_1_8 = b1_8; a2_1_9 = b1_9; a2_1_10 = b1_10; a2_1_11 = b1_11; a2_1_12 = b1_12; a2_1_13 = b1_13; a2_1_14 = b1_14; a2_1_15 = b1_15
            a3_0_0 = b0_0; a3_0_1 = b0_1; a3_0_2 = b0_2; a3_0_3 = b0_3; a3_0_4 = b0_4; a3_0_5 = b0_5; a3_0_6 = b0_6; a3_0_7 = b0_7; a3_0_8 = b0_8; a3_0_9 = b0_9; a3_0_10 = b0_10; a3_0_11 = b0_11; a3_0_12 = b0_12; a3_0_13 = b0_13; a3_0_14 = b0_14; a3_0_15 = b0_15
            a3_1_0 = b1_0; a3_1_1 = b1_1; a3_1_2 = b1_2; a3_1_3 = b1_3; a3_1_4 = b1_4; a3_1_5 = b1_5; a3_1_6 = b1_6; a3_1_7 = b1_7; a3_1_8 = b1_8; a3_1_9 = b1_9; a3_1_10 = b1_10; a3_1_11 = b1_11; a3_1_12 = b1_12; a3_1_13 = b1_13; a3_1_14 = b1_14; a3_1_15 = b1_15
            a4_0_0 = b0_0; a4_0_1 = b0_1; a4_0_2 = b0_2; a4_0_3 = b0_3; a4_0_4 = b0_4; a4_0_5 = b0_5; a4_0_6 = b0_6; a4_0_7 = b0_7; a4_0_8 = b0_8; a4_0_9 = b0_9; a4_0_10 = b0_10; a4_0_11 = b0_11; a4_0_12 = b0_12; a4_0_13 = b0_13; a4_0_14 = b0_14; a4_0_15 = b0_15
            a4_1_0 = b1_0; a4_1_1 = b1_1; a4_1_2 = b1_2; a4_1_3 = b1_3; a4_1_4 = b1_4; a4_1_5 = b1_5; a4_1_6 = b1_6; a4_1_7 = b1_7; a4_1_8 = b1_8; a4_1_9 = b1_9; a4_1_10 = b1_10; a4_1_11 = b1_11; a4_1_12 = b1_12; a4_1_13 = b1_13; a4_1_14 = b1_14; a4_1_15 = b1_15
            a5_0_0 = b0_0; a5_0_1 = b0_1; a5_0_2 = b0_2; a5_0_3 = b0_3; a5_0_4 = b0_4; a5_0_5 = b0_5; a5_0_6 = b0_6; a5_0_7 = b0_7; a5_0_8 = b0_8; a5_0_9 = b0_9; a5_0_10 = b0_10; a5_0_11 = b0_11; a5_0_12 = b0_12; a5_0_13 = b0_13; a5_0_14 = b0_14; a5_0_15 = b0_15
            a5_1_0 = b1_0; a5_1_1 = b1_1; a5_1_2 = b1_2; a5_1_3 = b1_3; a5_1_4 = b1_4; a5_1_5 = b1_5; a5_1_6 = b1_6; a5_1_7 = b1_7; a5_1_8 = b1_8; a5_1_9 = b1_9; a5_1_10 = b1_10; a5_1_11 = b1_11; a5_1_12 = b1_12; a5_1_13 = b1_13; a5_1_14 = b1_14; a5_1_15 = b1_15
            a6_0_0 = b0_0; a6_0_1 = b0_1; a6_0_2 = b0_2; a6_0_3 = b0_3; a6_0_4 = b0_4; a6_0_5 = b0_5; a6_0_6 = b0_6; a6_0_7 = b0_7; a6_0_8 = b0_8; a6_0_9 = b0_9; a6_0_10 = b0_10; a6_0_11 = b0_11; a6_0_12 = b0_12; a6_0_13 = b0_13; a6_0_14 = b0_14; a6_0_15 = b0_15
            a6_1_0 = b1_0; a6_1_1 = b1_1; a6_1_2 = b1_2; a6_1_3 = b1_3; a6_1_4 = b1_4; a6_1_5 = b1_5; a6_1_6 = b1_6; a6_1_7 = b1_7; a6_1_8 = b1_8; a6_1_9 = b1_9; a6_1_10 = b1_10; a6_1_11 = b1_11; a6_1_12 = b1_12; a6_1_13 = b1_13; a6_1_14 = b1_14; a6_1_15 = b1_15
            a7_0_0 = b0_0; a7_0_1 = b0_1; a7_0_2 = b0_2; a7_0_3 = b0_3; a7_0_4 = b0_4; a7_0_5 = b0_5; a7_0_6 = b0_6; a7_0_7 = b0_7; a7_0_8 = b0_8; a7_0_9 = b0_9; a7_0_10 = b0_10; a7_0_11 = b0_11; a7_0_12 = b0_12; a7_0_13 = b0_13; a7_0_14 = b0_14; a7_0_15 = b0_15
            a7_1_0 = b1_0; a7_1_1 = b1_1; a7_1_2 = b1_2; a7_1_3 = b1_3; a7_1_4 = b1_4; a7_1_5 = b1_5; a7_1_6 = b1_6; a7_1_7 = b1_7; a7_1_8 = b1_8; a7_1_9 = b1_9; a7_1_10 = b1_10; a7_1_11 = b1_11; a7_1_12 = b1_12; a7_1_13 = b1_13; a7_1_14 = b1_14; a7_1_15 = b1_15
            for t in range(T):
                tb = _U(toff[t])
                for c in range(C):
                    wb = _U((t * C + c) * Fr + f0)
                    xo = tb + _U(c)
                    k0_0 = wk[wb + _U(0)]; k0_1 = wk[wb + _U(1)]; k0_2 = wk[wb + _U(2)]; k0_3 = wk[wb + _U(3)]; k0_4 = wk[wb + _U(4)]; k0_5 = wk[wb + _U(5)]; k0_6 = wk[wb + _U(6)]; k0_7 = wk[wb + _U(7)]; k0_8 = wk[wb + _U(8)]; k0_9 = wk[wb + _U(9)]; k0_10 = wk[wb + _U(10)]; k0_11 = wk[wb + _U(11)]; k0_12 = wk[wb + _U(12)]; k0_13 = wk[wb + _U(13)]; k0_14 = wk[wb + _U(14)]; k0_15 = wk[wb + _U(15)]
                    k1_0 = wk[wb + _U(16)]; k1_1 = wk[wb + _U(17)]; k1_2 = wk[wb + _U(18)]; k1_3 = wk[wb + _U(19)]; k1_4 = wk[wb + _U(20)]; k1_5 = wk[wb + _U(21)]; k1_6 = wk[wb + _U(22)]; k1_7 = wk[wb + _U(23)]; k1_8 = wk[wb + _U(24)]; k1_9 = wk[wb + _U(25)]; k1_10 = wk[wb + _U(26)]; k1_11 = wk[wb + _U(27)]; k1_12 = wk[wb + _U(28)]; k1_13 = wk[wb + _U(29)]; k1_14 = wk[wb + _U(30)]; k1_15 = wk[wb + _U(31)]
                    x0 = xs[q0 + xo]
                    a0_0_0 += x0 * k0_0; a0_0_1 += x0 * k0_1; a0_0_2 += x0 * k0_2; a0_0_3 += x0 * k0_3; a0_0_4 += x0 * k0_4; a0_0_5 += x0 * k0_5; a0_0_6 += x0 * k0_6; a0_0_7 += x0 * k0_7; a0_0_8 += x0 * k0_8; a0_0_9 += x0 * k0_9; a0_0_10 += x0 * k0_10; a0_0_11 += x0 * k0_11; a0_0_12 += x0 * k0_12; a0_0_13 += x0 * k0_13; a0_0_14 += x0 * k0_14; a0_0_15 += x0 * k0_15
                    a0_1_0 += x0 * k1_0; a0_1_1 += x0 * k1_1; a0_1_2 += x0 * k1_2; a0_1_3 += x0 * k1_3; a0_1_4 += x0 * k1_4; a0_1_5 += x0 * k1_5; a0_1_6 += x0 * k1_6; a0_1_7 += x0 * k1_7; a0_1_8 += x0 * k1_8; a0_1_9 += x0 * k1_9; a0_1_10 += x0 * k1_10; a0_1_11 += x0 * k1_11; a0_1_12 += x0 * k1_12; a0_1_13 += x0 * k1_13; a0_1_14 += x0 * k1_14; a0_1_15 += x0 * k1_15
                    x1 = xs[q1 + xo]
                    a1_0_0 += x1 * k0_0; a1_0_1 += x1 * k0_1; a1_0_2 += x1 * k0_2; a1_0_3 += x1 * k0_3; a1_0_4 += x1 * k0_4; a1_0_5 += x1 * k0_5; a1_0_6 += x1 * k0_6; a1_0_7 += x1 * k0_7; a1_0_8 += x1 * k0_8; a1_0_9 += x1 * k0_9; a1_0_10 += x1 * k0_10; a1_0_11 += x1 * k0_11; a1_0_12 += x1 * k0_12; a1_0_13 += x1 * k0_13; a1_0_14 += x1 * k0_14; a1_0_15 += x1 * k0_15
                    a1_1_0 += x1 * k1_0; a1_1_1 += x1 * k1_1; a1_1_2 += x1 * k1_2; a1_1_3 += x1 * k1_3; a1_1_4 += x1 * k1_4; a1_1_5 += x1 * k1_5; a1_1_6 += x1 * k1_6; a1_1_7 += x1 * k1_7; a1_1_8 += x1 * k1_8; a1_1_9 += x1 * k1_9; a1_1_10 += x1 * k1_10; a1_1_11 += x1 * k1_11; a1_1_12 += x1 * k1_12; a1_1_13 += x1 * k1_13; a1_1_14 += x1 * k1_14; a1_1_15 += x1 * k1_15
                    x2 = xs[q2 + xo]
                    a2_0_0 += x2 * k0_0; a2_0_1 += x2 * k0_1; a2_0_2 += x2 * k0_2; a2_0_3 += x2 * k0_3; a2_0_4 += x2 * k0_4; a2_0_5 += x2 * k0_5; a2_0_6 += x2 * k0_6; a2_0_7 += x2 * k0_7; a2_0_8 += x2 * k0_8; a2_0_9 += x2 * k0_9; a2_0_10 += x2 * k0_10; a2_0_11 += x2 * k0_11; a2_0_12 += x2 * k0_12; a2_0_13 += x2 * k0_13; a2_0_14 += x2 * k0_14; a2_0_15 += x2 * k0_15
                    a2_1_0 += x2 * k1_0; a2_1_1 += x2 * k1_1; a2_1_2 += x2 * k1_2; a2_1_3 += x2 * k1_3; a2_1_4 += x2 * k1_4; a2_1_5 += x2 * k1_5; a2_1_6 += x2 * k1_6; a2_1_7 += x2 * k1_7; a2_1_8 += x2 * k1_8; a2_1_9 += x2 * k1_9; a2_1_10 += x2 * k1_10; a2_1_11 += x2 * k1_11; a2_1_12 += x2 * k1_12; a2_1_13 += x2 * k1_13; a2_1_14 += x2 * k1_14; a2_1_15 += x2 * k1_15
                    x3 = xs[q3 + xo]
                    a3_0_0 += x3 * k0_0; a3_0_1 += x3 * k0_1; a3_0_2 += x3 * k0_2; a3_0_3 += x3 * k0_3; a3_0_4 += x3 * k0_4; a3_0_5 += x3 * k0_5; a3_0_6 += x3 * k0_6; a3_0_7 += x3 * k0_7; a3_0_8 += x3 * k0_8; a3_0_9 += x3 * k0_9; a3_0_10 += x3 * k0_10; a3_0_11 += x3 * k0_11; a3_0_12 += x3 * k0_12; a3_0_13 += x3 * k0_13; a3_0_14 += x3 * k0_14; a3_0_15 += x3 * k0_15
                    a3_1_0 += x3 * k1_0; a3_1_1 += x3 * k1_1; a3_1_2 += x3 * k1_2; a3_1_3 += x3 * k1_3; a3_1_4 += x3 * k1_4; a3_1_5 += x3 * k1_5; a3_1_6 += x3 * k1_6; a3_1_7 += x3 * k1_7; a3_1_8 += x3 * k1_8; a3_1_9 += x3 * k1_9; a3_1_10 += x3 * k1_10; a3_1_11 += x3 * k1_11; a3_1_12 += x3 * k1_12; a3_1_13 += x3 * k1_13; a3_1_14 += x3 * k1_14; a3_1_15 += x3 * k1_15
                    x4 = xs[q4 + xo]
                    a4_0_0 += x4 * k0_0; a4_0_1 += x4 * k0_1; a4_0_2 += x4 * k0_2; a4_0_3 += x4 * k0_3; a4_0_4 += x4 * k0_4; a4_0_5 += x4 * k0_5; a4_0_6 += x4 * k0_6; a4_0_7 += x4 * k0_7; a4_0_8 += x4 * k0_8; a4_0_9 += x4 * k0_9; a4_0_10 += x4 * k0_10; a4_0_11 += x4 * k0_11; a4_0_12 += x4 * k0_12; a4_0_13 += x4 * k0_13; a4_0_14 += x4 * k0_14; a4_0_15 += x4 * k0_15
                    a4_1_0 += x4 * k1_0; a4_1_1 += x4 * k1_1; a4_1_2 += x4 * k1_2; a4_1_3 += x4 * k1_3; a4_1_4 += x4 * k1_4; a4_1_5 += x4 * k1_5; a4_1_6 += x4 * k1_6; a4_1_7 += x4 * k1_7; a4_1_8 += x4 * k1_8; a4_1_9 += x4 * k1_9; a4_1_10 += x4 * k1_10; a4_1_11 += x4 * k1_11; a4_1_12 += x4 * k1_12; a4_1_13 += x4 * k1_13; a4_1_14 += x4 * k1_14; a4_1_15 += x4 * k1_15
                    x5 = xs[q5 + xo]
                    a5_0_0 += x5 * k0_0; a5_0_1 += x5 * k0_1; a5_0_2 += x5 * k0_2; a5_0_3 += x5 * k0_3; a5_0_4 += x5 * k0_4; a5_0_5 += x5 * k0_5; a5_0_6 += x5 * k0_6; a5_0_7 += x5 * k0_7; a5_0_8 += x5 * k0_8; a5_0_9 += x5 * k0_9; a5_0_10 += x5 * k0_10; a5_0_11 += x5 * k0_11; a5_0_12 += x5 * k0_12; a5_0_13 += x5 * k0_13; a5_0_14 += x5 * k0_14; a5_0_15 += x5 * k0_15
                    a5_1_0 += x5 * k1_0; a5_1_1 += x5 * k1_1; a5_1_2 += x5 * k1_2; a5_1_3 += x5 * k1_3; a5_1_4 += x5 * k1_4; a5_1_5 += x5 * k1_5; a5_1_6 += x5 * k1_6; a5_1_7 += x5 * k1_7; a5_1_8 += x5 * k1_8; a5_1_9 += x5 * k1_9; a5_1_10 += x5 * k1_10; a5_1_11 += x5 * k1_11; a5_1_12 += x5 * k1_12; a5_1_13 += x5 * k1_13; a5_1_14 += x5 * k1_14; a5_1_15 += x5 * k1_15
                    x6 = xs[q6 + xo]
                    a6_0_0 += x6 * k0_0; a6_0_1 += x6 * k0_1; a6_0_2 += x6 * k0_2; a6_0_3 += x6 * k0_3; a6_0_4 += x6 * k0_4; a6_0_5 += x6 * k0_5; a6_0_6 += x6 * k0_6; a6_0_7 += x6 * k0_7; a6_0_8 += x6 * k0_8; a6_0_9 += x6 * k0_9; a6_0_10 += x6 * k0_10; a6_0_11 += x6 * k0_11; a6_0_12 += x6 * k0_12; a6_0_13 += x6 * k0_13; a6_0_14 += x6 * k0_14; a6_0_15 += x6 * k0_15
                    a6_1_0 += x6 * k1_0; a6_1_1 += x6 * k1_1; a6_1_2 += x6 * k1_2; a6_1_3 += x6 * k1_3; a6_1_4 += x6 * k1_4; a6_1_5 += x6 * k1_5; a6_1_6 += x6 * k1_6; a6_1_7 += x6 * k1_7; a6_1_8 += x6 * k1_8; a6_1_9 += x6 * k1_9; a6_1_10 += x6 * k1_10; a6_1_11 += x6 * k1_11; a6_1_12 += x6 * k1_12; a6_1_13 += x6 * k1_13; a6_1_14 += x6 * k1_14; a6_1_15 += x6 * k1_15
                    x7 = xs[q7 + xo]
                    a7_0_0 += x7 * k0_0; a7_0_1 += x7 * k0_1; a7_0_2 += x7 * k0_2; a7_0_3 += x7 * k0_3; a7_0_4 += x7 * k0_4; a7_0_5 += x7 * k0_5; a7_0_6 += x7 * k0_6; a7_0_7 += x7 * k0_7; a7_0_8 += x7 * k0_8; a7_0_9 += x7 * k0_9; a7_0_10 += x7 * k0_10; a7_0_11 += x7 * k0_11; a7_0_12 += x7 * k0_12; a7_0_13 += x7 * k0_13; a7_0_14 += x7 * k0_14; a7_0_15 += x7 * k0_15
                    a7_1_0 += x7 * k1_0; a7_1_1 += x7 * k1_1; a7_1_2 += x7 * k1_2; a7_1_3 += x7 * k1_3; a7_1_4 += x7 * k1_4; a7_1_5 += x7 * k1_5; a7_1_6 += x7 * k1_6; a7_1_7 += x7 * k1_7; a7_1_8 += x7 * k1_8; a7_1_9 += x7 * k1_9; a7_1_10 += x7 * k1_10; a7_1_11 += x7 * k1_11; a7_1_12 += x7 * k1_12; a7_1_13 += x7 * k1_13; a7_1_14 += x7 * k1_14; a7_1_15 += x7 * k1_15
            ob = _U(oa[p0 + 0] + f0)
            o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7; o[ob + _U(8)] = a0_0_8; o[ob + _U(9)] = a0_0_9; o[ob + _U(10)] = a0_0_10; o[ob + _U(11)] = a0_0_11; o[ob + _U(12)] = a0_0_12; o[ob + _U(13)] = a0_0_13; o[ob + _U(14)] = a0_0_14; o[ob + _U(15)] = a0_0_15
            o[ob + _U(16)] = a0_1_0; o[ob + _U(17)] = a0_1_1; o[ob + _U(18)] = a0_1_2; o[ob + _U(19)] = a0_1_3; o[ob + _U(20)] = a0_1_4; o[ob + _U(21)] = a0_1_5; o[ob + _U(22)] = a0_1_6; o[ob + _U(23)] = a0_1_7; o[ob + _U(24)] = a0_1_8; o[ob + _U(25)] = a0_1_9; o[ob + _U(26)] = a0_1_10; o[ob + _U(27)] = a0_1_11; o[ob + _U(28)] = a0_1_12; o[ob + _U(29)] = a0_1_13; o[ob + _U(30)] = a0_1_14; o[ob + _U(31)] = a0_1_15
            ob = _U(oa[p0 + 1] + f0)
            o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7; o[ob + _U(8)] = a1_0_8; o[ob + _U(9)] = a1_0_9; o[ob + _U(10)] = a1_0_10; o[ob + _U(11)] = a1_0_11; o[ob + _U(12)] = a1_0_12; o[ob + _U(13)] = a1_0_13; o[ob + _U(14)] = a1_0_14; o[ob + _U(15)] = a1_0_15
            o[ob + _U(16)] = a1_1_0; o[ob + _U(17)] = a1_1_1; o[ob + _U(18)] = a1_1_2; o[ob + _U(19)] = a1_1_3; o[ob + _U(20)] = a1_1_4; o[ob + _U(21)] = a1_1_5; o[ob + _U(22)] = a1_1_6; o[ob + _U(23)] = a1_1_7; o[ob + _U(24)] = a1_1_8; o[ob + _U(25)] = a1_1_9; o[ob + _U(26)] = a1_1_10; o[ob + _U(27)] = a1_1_11; o[ob + _U(28)] = a1_1_12; o[ob + _U(29)] = a1_1_13; o[ob + _U(30)] = a1_1_14; o[ob + _U(31)] = a1_1_15
            ob = _U(oa[p0 + 2] + f0)
            o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7; o[ob + _U(8)] = a2_0_8; o[ob + _U(9)] = a2_0_9; o[ob + _U(10)] = a2_0_10; o[ob + _U(11)] = a2_0_11; o[ob + _U(12)] = a2_0_12; o[ob + _U(13)] = a2_0_13; o[ob + _U(14)] = a2_0_14; o[ob + _U(15)] = a2_0_15
            o[ob + _U(16)] = a2_1_0; o[ob + _U(17)] = a2_1_1; o[ob + _U(18)] = a2_1_2; o[ob + _U(19)] = a2_1_3; o[ob + _U(20)] = a2_1_4; o[ob + _U(21)] = a2_1_5; o[ob + _U(22)] = a2_1_6; o[ob + _U(23)] = a2_1_7; o[ob + _U(24)] = a2_1_8; o[ob + _U(25)] = a2_1_9; o[ob + _U(26)] = a2_1_10; o[ob + _U(27)] = a2_1_11; o[ob + _U(28)] = a2_1_12; o[ob + _U(29)] = a2_1_13; o[ob + _U(30)] = a2_1_14; o[ob + _U(31)] = a2_1_15
            ob = _U(oa[p0 + 3] + f0)
            o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7; o[ob + _U(8)] = a3_0_8; o[ob + _U(9)] = a3_0_9; o[ob + _U(10)] = a3_0_10; o[ob + _U(11)] = a3_0_11; o[ob + _U(12)] = a3_0_12; o[ob + _U(13)] = a3_0_13; o[ob + _U(14)] = a3_0_14; o[ob + _U(15)] = a3_0_15
            o[ob + _U(16)] = a3_1_0; o[ob + _U(17)] = a3_1_1; o[ob + _U(18)] = a3_1_2; o[ob + _U(19)] = a3_1_3; o[ob + _U(20)] = a3_1_4; o[ob + _U(21)] = a3_1_5; o[ob + _U(22)] = a3_1_6; o[ob + _U(23)] = a3_1_7; o[ob + _U(24)] = a3_1_8; o[ob + _U(25)] = a3_1_9; o[ob + _U(26)] = a3_1_10; o[ob + _U(27)] = a3_1_11; o[ob + _U(28)] = a3_1_12; o[ob + _U(29)] = a3_1_13; o[ob + _U(30)] = a3_1_14; o[ob + _U(31)] = a3_1_15
            ob = _U(oa[p0 + 4] + f0)
            o[ob + _U(0)] = a4_0_0; o[ob + _U(1)] = a4_0_1; o[ob + _U(2)] = a4_0_2; o[ob + _U(3)] = a4_0_3; o[ob + _U(4)] = a4_0_4; o[ob + _U(5)] = a4_0_5; o[ob + _U(6)] = a4_0_6; o[ob + _U(7)] = a4_0_7; o[ob + _U(8)] = a4_0_8; o[ob + _U(9)] = a4_0_9; o[ob + _U(10)] = a4_0_10; o[ob + _U(11)] = a4_0_11; o[ob + _U(12)] = a4_0_12; o[ob + _U(13)] = a4_0_13; o[ob + _U(14)] = a4_0_14; o[ob + _U(15)] = a4_0_15
            o[ob + _U(16)] = a4_1_0; o[ob + _U(17)] = a4_1_1; o[ob + _U(18)] = a4_1_2; o[ob + _U(19)] = a4_1_3; o[ob + _U(20)] = a4_1_4; o[ob + _U(21)] = a4_1_5; o[ob + _U(22)] = a4_1_6; o[ob + _U(23)] = a4_1_7; o[ob + _U(24)] = a4_1_8; o[ob + _U(25)] = a4_1_9; o[ob + _U(26)] = a4_1_10; o[ob + _U(27)] = a4_1_11; o[ob + _U(28)] = a4_1_12; o[ob + _U(29)] = a4_1_13; o[ob + _U(30)] = a4_1_14; o[ob + _U(31)] = a4_1_15
            ob = _U(oa[p0 + 5] + f0)
            o[ob + _U(0)] = a5_0_0; o[ob + _U(1)] = a5_0_1; o[ob + _U(2)] = a5_0_2; o[ob + _U(3)] = a5_0_3; o[ob + _U(4)] = a5_0_4; o[ob + _U(5)] = a5_0_5; o[ob + _U(6)] = a5_0_6; o[ob + _U(7)] = a5_0_7; o[ob + _U(8)] = a5_0_8; o[ob + _U(9)] = a5_0_9; o[ob + _U(10)] = a5_0_10; o[ob + _U(11)] = a5_0_11; o[ob + _U(12)] = a5_0_12; o[ob + _U(13)] = a5_0_13; o[ob + _U(14)] = a5_0_14; o[ob + _U(15)] = a5_0_15
            o[ob + _U(16)] = a5_1_0; o[ob + _U(17)] = a5_1_1; o[ob + _U(18)] = a5_1_2; o[ob + _U(19)] = a5_1_3; o[ob + _U(20)] = a5_1_4; o[ob + _U(21)] = a5_1_5; o[ob + _U(22)] = a5_1_6; o[ob + _U(23)] = a5_1_7; o[ob + _U(24)] = a5_1_8; o[ob + _U(25)] = a5_1_9; o[ob + _U(26)] = a5_1_10; o[ob + _U(27)] = a5_1_11; o[ob + _U(28)] = a5_1_12; o[ob + _U(29)] = a5_1_13; o[ob + _U(30)] = a5_1_14; o[ob + _U(31)] = a5_1_15
            ob = _U(oa[p0 + 6] + f0)
            o[ob + _U(0)] = a6_0_0; o[ob + _U(1)] = a6_0_1; o[ob + _U(2)] = a6_0_2; o[ob + _U(3)] = a6_0_3; o[ob + _U(4)] = a6_0_4; o[ob + _U(5)] = a6_0_5; o[ob + _U(6)] = a6_0_6; o[ob + _U(7)] = a6_0_7; o[ob + _U(8)] = a6_0_8; o[ob + _U(9)] = a6_0_9; o[ob + _U(10)] = a6_0_10; o[ob + _U(11)] = a6_0_11; o[ob + _U(12)] = a6_0_12; o[ob + _U(13)] = a6_0_13; o[ob + _U(14)] = a6_0_14; o[ob + _U(15)] = a6_0_15
            o[ob + _U(16)] = a6_1_0; o[ob + _U(17)] = a6_1_1; o[ob + _U(18)] = a6_1_2; o[ob + _U(19)] = a6_1_3; o[ob + _U(20)] = a6_1_4; o[ob + _U(21)] = a6_1_5; o[ob + _U(22)] = a6_1_6; o[ob + _U(23)] = a6_1_7; o[ob + _U(24)] = a6_1_8; o[ob + _U(25)] = a6_1_9; o[ob + _U(26)] = a6_1_10; o[ob + _U(27)] = a6_1_11; o[ob + _U(28)] = a6_1_12; o[ob + _U(29)] = a6_1_13; o[ob + _U(30)] = a6_1_14; o[ob + _U(31)] = a6_1_15
            ob = _U(oa[p0 + 7] + f0)
            o[ob + _U(0)] = a7_0_0; o[ob + _U(1)] = a7_0_1; o[ob + _U(2)] = a7_0_2; o[ob + _U(3)] = a7_0_3; o[ob + _U(4)] = a7_0_4; o[ob + _U(5)] = a7_0_5; o[ob + _U(6)] = a7_0_6; o[ob + _U(7)] = a7_0_7; o[ob + _U(8)] = a7_0_8; o[ob + _U(9)] = a7_0_9; o[ob + _U(10)] = a7_0_10; o[ob + _U(11)] = a7_0_11; o[ob + _U(12)] = a7_0_12; o[ob + _U(13)] = a7_0_13; o[ob + _U(14)] = a7_0_14; o[ob + _U(15)] = a7_0_15
            o[ob + _U(16)] = a7_1_0; o[ob + _U(17)] = a7_1_1; o[ob + _U(18)] = a7_1_2; o[ob + _U(19)] = a7_1_3; o[ob + _U(20)] = a7_1_4; o[ob + _U(21)] = a7_1_5; o[ob + _U(22)] = a7_1_6; o[ob + _U(23)] = a7_1_7; o[ob + _U(24)] = a7_1_8; o[ob + _U(25)] = a7_1_9; o[ob + _U(26)] = a7_1_10; o[ob + _U(27)] = a7_1_11; o[ob + _U(28)] = a7_1_12; o[ob + _U(29)] = a7_1_13; o[ob + _U(30)] = a7_1_14; o[ob + _U(31)] = a7_1_15

@njit(types.void(_IN4, _IN1, _IN1, _W4, _W3, _W2, _IDX, _IDX, _IDX, _IDX, _IDX, _I, _I, _I,
                 _I), **_OPTIONS)
def taps_32x8(x, wk, bias, out, xs, ob, pa, oa, toff, pofs, tofs, top, left, n0, n1):
    """out[n0:n1] (N, F, Ho, Wo) from x[n0:n1] (N, C, H, W), channels last inside.

    Each image goes into xs (Hs, Ws, C), zero-padded, at row top and column left; then for
    each phase g the block kernel runs on positions pa/oa[pofs[g]:pofs[g + 1]] with taps
    toff[tofs[g]:tofs[g + 1]] and their weights wk (taps, C, Fr), writing ob (Ho * Wo, Fr);
    ob[:, :F] is the image's output. Fr (bias's length) is a multiple of 32, the positions
    of each phase a multiple of 8.
    """
    C = x.shape[1]
    F, Ho, Wo = out.shape[1], out.shape[2], out.shape[3]
    Fr = bias.shape[0]
    xs[:] = 0
    xf, of = xs.ravel(), ob.ravel()
    for n in range(n0, n1):
        _channels_last(x, n, xs, top, left)
        for g in range(pofs.shape[0] - 1):
            p0, p1, t0, t1 = pofs[g], pofs[g + 1], tofs[g], tofs[g + 1]
            if p1 > p0:
                _taps_block_32x8(xf, pa[p0:p1], oa[p0:p1], wk[t0 * C * Fr:t1 * C * Fr],
                                 toff[t0:t1], t1 - t0, C, Fr, of, p1 - p0, bias)
        for f in range(F):
            for h in range(Ho):
                for w in range(Wo):
                    out[n, f, h, w] = ob[h * Wo + w, f]

@njit(**_OPTIONS)
def _taps_block_16x16(xs, pa, oa, wk, toff, T, C, Fr, o, npos, bias):
    """o[oa[p] + f] = bias[f] + the sum over taps t < T and channels c < C of
    xs[pa[p] + toff[t] + c] * wk[(t * C + c) * Fr + f], for positions p < npos (a
    multiple of 16) and filters f < Fr (a multiple of 16)."""
    for f0 in range(0, Fr, 16):
        for p0 in range(0, npos, 16):
            q0 = _U(pa[p0 + 0]); q1 = _U(pa[p0 + 1]); q2 = _U(pa[p0 + 2]); q3 = _U(pa[p0 + 3]); q4 = _U(pa[p0 + 4]); q5 = _U(pa[p0 + 5]); q6 = _U(pa[p0 + 6]); q7 = _U(pa[p0 + 7]); q8 = _U(pa[p0 + 8]); q9 = _U(pa[p0 + 9]); q10 = _U(pa[p0 + 10]); q11 = _U(pa[p0 + 11]); q12 = _U(pa[p0 + 12]); q13 = _U(pa[p0 + 13]); q14 = _U(pa[p0 + 14]); q15 = _U(pa[p0 + 15])
            b0_0 = bias[f0 + 0]; b0_1 = bias[f0 + 1]; b0_2 = bias[f0 + 2]; b0_3 = bias[f0 + 3]; b0_4 = bias[f0 + 4]; b0_5 = bias[f0 + 5]; b0_6 = bias[f0 + 6]; b0_7 = bias[f0 + 7]; b0_8 = bias[f0 + 8]; b0_9 = bias[f0 + 9]; b0_10 = bias[f0 + 10]; b0_11 = bias[f0 + 11]; b0_12 = bias[f0 + 12]; b0_13 = bias[f0 + 13]; b0_14 = bias[f0 + 14]; b0_15 = bias[f0 + 15]
            a0_0_0 = b0_0; a0_0_1 = b0_1; a0_0_2 = b0_2; a0_0_3 = b0_3; a0_0_4 = b0_4; a0_0_5 = b0_5; a0_0_6 = b0_6; a0_0_7 = b0_7; a0_0_8 = b0_8; a0_0_9 = b0_9; a0_0_10 = b0_10; a0_0_11 = b0_11; a0_0_12 = b0_12; a0_0_13 = b0_13; a0_0_14 = b0_14; a0_0_15 = b0_15
            a1_0_0 = b0_0; a1_0_1 = b0_1; a1_0_2 = b0_2; a1_0_3 = b0_3; a1_0_4 = b0_4; a1_0_5 = b0_5; a1_0_6 = b0_6; a1_0_7 = b0_7; a1_0_8 = b0_8; a1_0_9 = b0_9; a1_0_10 = b0_10; a1_0_11 = b0_11; a1_0_12 = b0_12; a1_0_13 = b0_13; a1_0_14 = b0_14; a1_0_15 = b0_15
            a2_0_0 = b0_0; a2_0_1 = b0_1; a2_0_2 = b0_2; a2_0_3 = b0_3; a2_0_4 = b0_4; a2_0_5 = b0_5; a2_0_6 = b0_6; a2_0_7 = b0_7; a2_0_8 = b0_8; a2_0_9 = b0_9; a2_0_10 = b0_10; a2_0_11 = b0_11; a2_0_12 = b0_12; a2_0_13 = b0_13; a2_0_14 = b0_14; a2_0_15 = b0_15
            a3_0_0 = b0_0; a3_0_1 = b0_1; a3_0_2 = b0_2; a3_0_3 = b0_3; a3_0_4 = b0_4; a3_0_5 = b0_5; a3_0_6 = b0_6; a3_0_7 = b0_7; a3_0_8 = b0_8; a3_0_9 = b0_9; a3_0_10 = b0_10; a3_0_11 = b0_11; a3_0_12 = b0_12; a3_0_13 = b0_13; a3_0_14 = b0_14; a3_0_15 = b0_15
            a4_0_0 = b0_0; a4_0_1 = b0_1; a4_0_2 = b0_2; a4_0_3 = b0_3; a4_0_4 = b0_4; a4_0_5 = b0_5; a4_0_6 = b0_6; a4_0_7 = b0_7; a4_0_8 = b0_8; a4_0_9 = b0_9; a4_0_10 = b0_10; a4_0_11 = b0_11; a4_0_12 = b0_12; a4_0_13 = b0_13; a4_0_14 = b0_14; a4_0_15 = b0_15
            a5_0_0 = b0_0; a5_0_1 = b0_1; a5_0_2 = b0_2; a5_0_3 = b0_3; a5_0_4 = b0_4; a5_0_5 = b0_5; a5_0_6 = b0_6; a5_0_7 = b0_7; a5_0_8 = b0_8; a5_0_9 = b0_9; a5_0_10 = b0_10; a5_0_11 = b0_11; a5_0_12 = b0_12; a5_0_13 = b0_13; a5_0_14 = b0_14; a5_0_15 = b0_15
            a6_0_0 = b0_0; a6_0_1 = b0_1; a6_0_2 = b0_2; a6_0_3 = b0_3; a6_0_4 = b0_4; a6_0_5 = b0_5; a6_0_6 = b0_6; a6_0_7 = b0_7; a6_0_8 = b0_8; a6_0_9 = b0_9; a6_0_10 = b0_10; a6_0_11 = b0_11; a6_0_12 = b0_12; a6_0_13 = b0_13; a6_0_14 = b0_14; a6_0_15 = b0_15
            a7_0_0 = b0_0; a7_0_1 = b0_1; a7_0_2 = b0_2; a7_0_3 = b0_3; a7_0_4 = b0_4; a7_0_5 = b0_5; a7_0_6 = b0_6; a7_0_7 = b0_7; a7_0_8 = b0_8; a7_0_9 = b0_9; a7_0_10 = b0_10; a7_0_11 = b0_11; a7_0_12 = b0_12; a7_0_13 = b0_13; a7_0_14 = b0_14; a7_0_15 = b0_15
            a8_0_0 = b0_0; a8_0_1 = b0_1; a8_0_2 = b0_2; a8_0_3 = b0_3; a8_0_4 = b0_4; a8_0_5 = b0_5; a8_0_6 = b0_6; a8_0_7 = b0_7; a8_0_8 = b0_8; a8_0_9 = b0_9; a8_0_10 = b0_10; a8_0_11 = b0_11; a8_0_12 = b0_12; a8_0_13 = b0_13; a8_0_14 = b0_14; a8_0_15 = b0_15
            a9_0_0 = b0_0; a9_0_1 = b0_1; a9_0_2 = b0_2; a9_0_3 = b0_3; a9_0_4 = b0_4; a9_0_5 = b0_5; a9_0_6 = b0_6; a9_0_7 = b0_7; a9_0_8 = b0_8; a9_0_9 = b0_9; a9_0_10 = b0_10; a9_0_11 = b0_11; a9_0_12 = b0_12; a9_0_13 = b0_13; a9_0_14 = b0_14; a9_0_15 = b0_15
            a10_0_0 = b0_0; a10_0_1 = b0_1; a10_0_2 = b0_2; a10_0_3 = b0_3; a10_0_4 = b0_4; a10_0_5 = b0_5; a10_0_6 = b0_6; a10_0_7 = b0_7; a10_0_8 = b0_8; a10_0_9 = b0_9; a10_0_10 = b0_10; a10_0_11 = b0_11; a10_0_12 = b0_12; a10_0_13 = b0_13; a10_0_14 = b0_14; a10_0_15 = b0_15
            a11_0_0 = b0_0; a11_0_1 = b0_1; a11_0_2 = b0_2; a11_0_3 = b0_3; a11_0_4 = b0_4; a11_0_5 = b0_5; a11_0_6 = b0_6; a11_0_7 = b0_7; a11_0_8 = b0_8; a11_0_9 = b0_9; a11_0_10 = b0_10; a11_0_11 = b0_11; a11_0_12 = b0_12; a11_0_13 = b0_13; a11_0_14 = b0_14; a11_0_15 = b0_15
            a12_0_0 = b0_0; a12_0_1 = b0_1; a12_0_2 = b0_2; a12_0_3 = b0_3; a12_0_4 = b0_4; a12_0_5 = b0_5; a12_0_6 = b0_6; a12_0_7 = b0_7; a12_0_8 = b0_8; a12_0_9 = b0_9; a12_0_10 = b0_10; a12_0_11 = b0_11; a12_0_12 = b0_12; a12_0_13 = b0_13; a12_0_14 = b0_14; a12_0_15 = b0_15
            a13_0_0 = b0_0; a13_0_1 = b0_1; a13_0_2 = b0_2; a13_0_3 = b0_3; a13_0_4 = b0_4; a13_0_5 = b0_5; a13_0_6 = b0_6; a13_0_7 = b0_7; a13_0_8 = b0_8; a13_0_9 = b0_9; a13_0_10 = b0_10; a13_0_11 = b0_11; a13_0_12 = b0_12; a13_0_13 = b0_13; a13_0_14 = b0_14; a13_0_15 = b0_15
            a14_0_0 = b0_0; a14_0_1 = b0_1; a14_0_2 = b0_2; a14_0_3 = b0_3; a14_0_4 = b0_4; a14_0_5 = b0_5; a14_0_6 = b0_6; a14_0_7 = b0_7; a14_0_8 = b0_8; a14_0_9 = b0_9; a14_0_10 = b0_10; a14_0_11 = b0_11; a14_0_12 = b0_12; a14_0_13 = b0_13; a14_0_14 = b0_14; a14_0_15 = b0_15
            a15_0_0 = b0_0; a15_0_1 = b0_1; a15_0_2 = b0_2; a15_0_3 = b0_3; a15_0_4 = b0_4; a15_0_5 = b0_5; a15_0_6 = b0_6; a15_0_7 = b0_7; a15_0_8 = b0_8; a15_0_9 = b0_9; a15_0_10 = b0_10; a15_0_11 = b0_11; a15_0_12 = b0_12; a15_0_13 = b0_13; a15_0_14 = b0_14; a15_0_15 = b0_15
            for t in range(T):
                tb = _U(toff[t])
                for c in range(C):
                    wb = _U((t * C + c) * Fr + f0)
                    xo = tb + _U(c)
                    k0_0 = wk[wb + _U(0)]; k0_1 = wk[wb + _U(1)]; k0_2 = wk[wb + _U(2)]; k0_3 = wk[wb + _U(3)]; k0_4 = wk[wb + _U(4)]; k0_5 = wk[wb + _U(5)]; k0_6 = wk[wb + _U(6)]; k0_7 = wk[wb + _U(7)]; k0_8 = wk[wb + _U(8)]; k0_9 = wk[wb + _U(9)]; k0_10 = wk[wb + _U(10)]; k0_11 = wk[wb + _U(11)]; k0_12 = wk[wb + _U(12)]; k0_13 = wk[wb + _U(13)]; k0_14 = wk[wb + _U(14)]; k0_15 = wk[wb + _U(15)]
                    x0 = xs[q0 + xo]
                    a0_0_0 += x0 * k0_0; a0_0_1 += x0 * k0_1; a0_0_2 += x0 * k0_2; a0_0_3 += x0 * k0_3; a0_0_4 += x0 * k0_4; a0_0_5 += x0 * k0_5; a0_0_6 += x0 * k0_6; a0_0_7 += x0 * k0_7; a0_0_8 += x0 * k0_8; a0_0_9 += x0 * k0_9; a0_0_10 += x0 * k0_10; a0_0_11 += x0 * k0_11; a0_0_12 += x0 * k0_12; a0_0_13 += x0 * k0_13; a0_0_14 += x0 * k0_14; a0_0_15 += x0 * k0_15
                    x1 = xs[q1 + xo]
                    a1_0_0 += x1 * k0_0; a1_0_1 += x1 * k0_1; a1_0_2 += x1 * k0_2; a1_0_3 += x1 * k0_3; a1_0_4 += x1 * k0_4; a1_0_5 += x1 * k0_5; a1_0_6 += x1 * k0_6; a1_0_7 += x1 * k0_7; a1_0_8 += x1 * k0_8; a1_0_9 += x1 * k0_9; a1_0_10 += x1 * k0_10; a1_0_11 += x1 * k0_11; a1_0_12 += x1 * k0_12; a1_0_13 += x1 * k0_13; a1_0_14 += x1 * k0_14; a1_0_15 += x1 * k0_15
                    x2 = xs[q2 + xo]
                    a2_0_0 += x2 * k0_0; a2_0_1 += x2 * k0_1; a2_0_2 += x2 * k0_2; a2_0_3 += x2 * k0_3; a2_0_4 += x2 * k0_4; a2_0_5 += x2 * k0_5; a2_0_6 += x2 * k0_6; a2_0_7 += x2 * k0_7; a2_0_8 += x2 * k0_8; a2_0_9 += x2 * k0_9; a2_0_10 += x2 * k0_10; a2_0_11 += x2 * k0_11; a2_0_12 += x2 * k0_12; a2_0_13 += x2 * k0_13; a2_0_14 += x2 * k0_14; a2_0_15 += x2 * k0_15
                    x3 = xs[q3 + xo]
                    a3_0_0 += x3 * k0_0; a3_0_1 += x3 * k0_1; a3_0_2 += x3 * k0_2; a3_0_3 += x3 * k0_3; a3_0_4 += x3 * k0_4; a3_0_5 += x3 * k0_5; a3_0_6 += x3 * k0_6; a3_0_7 += x3 * k0_7; a3_0_8 += x3 * k0_8; a3_0_9 += x3 * k0_9; a3_0_10 += x3 * k0_10; a3_0_11 += x3 * k0_11; a3_0_12 += x3 * k0_12; a3_0_13 += x3 * k0_13; a3_0_14 += x3 * k0_14; a3_0_15 += x3 * k0_15
                    x4 = xs[q4 + xo]
                    a4_0_0 += x4 * k0_0; a4_0_1 += x4 * k0_1; a4_0_2 += x4 * k0_2; a4_0_3 += x4 * k0_3; a4_0_4 += x4 * k0_4; a4_0_5 += x4 * k0_5; a4_0_6 += x4 * k0_6; a4_0_7 += x4 * k0_7; a4_0_8 += x4 * k0_8; a4_0_9 += x4 * k0_9; a4_0_10 += x4 * k0_10; a4_0_11 += x4 * k0_11; a4_0_12 += x4 * k0_12; a4_0_13 += x4 * k0_13; a4_0_14 += x4 * k0_14; a4_0_15 += x4 * k0_15
                    x5 = xs[q5 + xo]
                    a5_0_0 += x5 * k0_0; a5_0_1 += x5 * k0_1; a5_0_2 += x5 * k0_2; a5_0_3 += x5 * k0_3; a5_0_4 += x5 * k0_4; a5_0_5 += x5 * k0_5; a5_0_6 += x5 * k0_6; a5_0_7 += x5 * k0_7; a5_0_8 += x5 * k0_8; a5_0_9 += x5 * k0_9; a5_0_10 += x5 * k0_10; a5_0_11 += x5 * k0_11; a5_0_12 += x5 * k0_12; a5_0_13 += x5 * k0_13; a5_0_14 += x5 * k0_14; a5_0_15 += x5 * k0_15
                    x6 = xs[q6 + xo]
                    a6_0_0 += x6 * k0_0; a6_0_1 += x6 * k0_1; a6_0_2 += x6 * k0_2; a6_0_3 += x6 * k0_3; a6_0_4 += x6 * k0_4; a6_0_5 += x6 * k0_5; a6_0_6 += x6 * k0_6; a6_0_7 += x6 * k0_7; a6_0_8 += x6 * k0_8; a6_0_9 += x6 * k0_9; a6_0_10 += x6 * k0_10; a6_0_11 += x6 * k0_11; a6_0_12 += x6 * k0_12; a6_0_13 += x6 * k0_13; a6_0_14 += x6 * k0_14; a6_0_15 += x6 * k0_15
                    x7 = xs[q7 + xo]
                    a7_0_0 += x7 * k0_0; a7_0_1 += x7 * k0_1; a7_0_2 += x7 * k0_2; a7_0_3 += x7 * k0_3; a7_0_4 += x7 * k0_4; a7_0_5 += x7 * k0_5; a7_0_6 += x7 * k0_6; a7_0_7 += x7 * k0_7; a7_0_8 += x7 * k0_8; a7_0_9 += x7 * k0_9; a7_0_10 += x7 * k0_10; a7_0_11 += x7 * k0_11; a7_0_12 += x7 * k0_12; a7_0_13 += x7 * k0_13; a7_0_14 += x7 * k0_14; a7_0_15 += x7 * k0_15
                    x8 = xs[q8 + xo]
                    a8_0_0 += x8 * k0_0; a8_0_1 += x8 * k0_1; a8_0_2 += x8 * k0_2; a8_0_3 += x8 * k0_3; a8_0_4 += x8 * k0_4; a8_0_5 += x8 * k0_5; a8_0_6 += x8 * k0_6; a8_0_7 += x8 * k0_7; a8_0_8 += x8 * k0_8; a8_0_9 += x8 * k0_9; a8_0_10 += x8 * k0_10; a8_0_11 += x8 * k0_11; a8_0_12 += x8 * k0_12; a8_0_13 += x8 * k0_13; a8_0_14 += x8 * k0_14; a8_0_15 += x8 * k0_15
                    x9 = xs[q9 + xo]
                    a9_0_0 += x9 * k0_0; a9_0_1 += x9 * k0_1; a9_0_2 += x9 * k0_2; a9_0_3 += x9 * k0_3; a9_0_4 += x9 * k0_4; a9_0_5 += x9 * k0_5; a9_0_6 += x9 * k0_6; a9_0_7 += x9 * k0_7; a9_0_8 += x9 * k0_8; a9_0_9 += x9 * k0_9; a9_0_10 += x9 * k0_10; a9_0_11 += x9 * k0_11; a9_0_12 += x9 * k0_12; a9_0_13 += x9 * k0_13; a9_0_14 += x9 * k0_14; a9_0_15 += x9 * k0_15
                    x10 = xs[q10 + xo]
                    a10_0_0 += x10 * k0_0; a10_0_1 += x10 * k0_1; a10_0_2 += x10 * k0_2; a10_0_3 += x10 * k0_3; a10_0_4 += x10 * k0_4; a10_0_5 += x10 * k0_5; a10_0_6 += x10 * k0_6; a10_0_7 += x10 * k0_7; a10_0_8 += x10 * k0_8; a10_0_9 += x10 * k0_9; a10_0_10 += x10 * k0_10; a10_0_11 += x10 * k0_11; a10_0_12 += x10 * k0_12; a10_0_13 += x10 * k0_13; a10_0_14 += x10 * k0_14; a10_0_15 += x10 * k0_15
                    x11 = xs[q11 + xo]
                    a11_0_0 += x11 * k0_0; a11_0_1 += x11 * k0_1; a11_0_2 += x11 * k0_2; a11_0_3 += x11 * k0_3; a11_0_4 += x11 * k0_4; a11_0_5 += x11 * k0_5; a11_0_6 += x11 * k0_6; a11_0_7 += x11 * k0_7; a11_0_8 += x11 * k0_8; a11_0_9 += x11 * k0_9; a11_0_10 += x11 * k0_10; a11_0_11 += x11 * k0_11; a11_0_12 += x11 * k0_12; a11_0_13 += x11 * k0_13; a11_0_14 += x11 * k0_14; a11_0_15 += x11 * k0_15
                    x12 = xs[q12 + xo]
                    a12_0_0 += x12 * k0_0; a12_0_1 += x12 * k0_1; a12_0_2 += x12 * k0_2; a12_0_3 += x12 * k0_3; a12_0_4 += x12 * k0_4; a12_0_5 += x12 * k0_5; a12_0_6 += x12 * k0_6; a12_0_7 += x12 * k0_7; a12_0_8 += x12 * k0_8; a12_0_9 += x12 * k0_9; a12_0_10 += x12 * k0_10; a12_0_11 += x12 * k0_11; a12_0_12 += x12 * k0_12; a12_0_13 += x12 * k0_13; a12_0_14 += x12 * k0_14; a12_0_15 += x12 * k0_15
                    x13 = xs[q13 + xo]
                    a13_0_0 += x13 * k0_0; a13_0_1 += x13 * k0_1; a13_0_2 += x13 * k0_2; a13_0_3 += x13 * k0_3; a13_0_4 += x13 * k0_4; a13_0_5 += x13 * k0_5; a13_0_6 += x13 * k0_6; a13_0_7 += x13 * k0_7; a13_0_8 += x13 * k0_8; a13_0_9 += x13 * k0_9; a13_0_10 += x13 * k0_10; a13_0_11 += x13 * k0_11; a13_0_12 += x13 * k0_12; a13_0_13 += x13 * k0_13; a13_0_14 += x13 * k0_14; a13_0_15 += x13 * k0_15
                    x14 = xs[q14 + xo]
                    a14_0_0 += x14 * k0_0; a14_0_1 += x14 * k0_1; a14_0_2 += x14 * k0_2; a14_0_3 += x14 * k0_3; a14_0_4 += x14 * k0_4; a14_0_5 += x14 * k0_5; a14_0_6 += x14 * k0_6; a14_0_7 += x14 * k0_7; a14_0_8 += x14 * k0_8; a14_0_9 += x14 * k0_9; a14_0_10 += x14 * k0_10; a14_0_11 += x14 * k0_11; a14_0_12 += x14 * k0_12; a14_0_13 += x14 * k0_13; a14_0_14 += x14 * k0_14; a14_0_15 += x14 * k0_15
                    x15 = xs[q15 + xo]
                    a15_0_0 += x15 * k0_0; a15_0_1 += x15 * k0_1; a15_0_2 += x15 * k0_2; a15_0_3 += x15 * k0_3; a15_0_4 += x15 * k0_4; a15_0_5 += x15 * k0_5; a15_0_6 += x15 * k0_6; a15_0_7 += x15 * k0_7; a15_0_8 += x15 * k0_8; a15_0_9 += x15 * k0_9; a15_0_10 += x15 * k0_10; a15_0_11 += x15 * k0_11; a15_0_12 += x15 * k0_12; a15_0_13 += x15 * k0_13; a15_0_14 += x15 * k0_14; a15_0_15 += x15 * k0_15
            ob = _U(oa[p0 + 0] + f0)
            o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7; o[ob + _U(8)] = a0_0_8; o[ob + _U(9)] = a0_0_9; o[ob + _U(10)] = a0_0_10; o[ob + _U(11)] = a0_0_11; o[ob + _U(12)] = a0_0_12; o[ob + _U(13)] = a0_0_13; o[ob + _U(14)] = a0_0_14; o[ob + _U(15)] = a0_0_15
            ob = _U(oa[p0 + 1] + f0)
            o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7; o[ob + _U(8)] = a1_0_8; o[ob + _U(9)] = a1_0_9; o[ob + _U(10)] = a1_0_10; o[ob + _U(11)] = a1_0_11; o[ob + _U(12)] = a1_0_12; o[ob + _U(13)] = a1_0_13; o[ob + _U(14)] = a1_0_14; o[ob + _U(15)] = a1_0_15
            ob = _U(oa[p0 + 2] + f0)
            o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7; o[ob + _U(8)] = a2_0_8; o[ob + _U(9)] = a2_0_9; o[ob + _U(10)] = a2_0_10; o[ob + _U(11)] = a2_0_11; o[ob + _U(12)] = a2_0_12; o[ob + _U(13)] = a2_0_13; o[ob + _U(14)] = a2_0_14; o[ob + _U(15)] = a2_0_15
            ob = _U(oa[p0 + 3] + f0)
            o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7; o[ob + _U(8)] = a3_0_8; o[ob + _U(9)] = a3_0_9; o[ob + _U(10)] = a3_0_10; o[ob + _U(11)] = a3_0_11; o[ob + _U(12)] = a3_0_12; o[ob + _U(13)] = a3_0_13; o[ob + _U(14)] = a3_0_14; o[ob + _U(15)] = a3_0_15
            ob = _U(oa[p0 + 4] + f0)
            o[ob + _U(0)] = a4_0_0; o[ob + _U(1)] = a4_0_1; o[ob + _U(2)] = a4_0_2; o[ob + _U(3)] = a4_0_3; o[ob + _U(4)] = a4_0_4; o[ob + _U(5)] = a4_0_5; o[ob + _U(6)] = a4_0_6; o[ob + _U(7)] = a4_0_7; o[ob + _U(8)] = a4_0_8; o[ob + _U(9)] = a4_0_9; o[ob + _U(10)] = a4_0_10; o[ob + _U(11)] = a4_0_11; o[ob + _U(12)] = a4_0_12; o[ob + _U(13)] = a4_0_13; o[ob + _U(14)] = a4_0_14; o[ob + _U(15)] = a4_0_15
            ob = _U(oa[p0 + 5] + f0)
            o[ob + _U(0)] = a5_0_0; o[ob + _U(1)] = a5_0_1; o[ob + _U(2)] = a5_0_2; o[ob + _U(3)] = a5_0_3; o[ob + _U(4)] = a5_0_4; o[ob + _U(5)] = a5_0_5; o[ob + _U(6)] = a5_0_6; o[ob + _U(7)] = a5_0_7; o[ob + _U(8)] = a5_0_8; o[ob + _U(9)] = a5_0_9; o[ob + _U(10)] = a5_0_10; o[ob + _U(11)] = a5_0_11; o[ob + _U(12)] = a5_0_12; o[ob + _U(13)] = a5_0_13; o[ob + _U(14)] = a5_0_14; o[ob + _U(15)] = a5_0_15
            ob = _U(oa[p0 + 6] + f0)
            o[ob + _U(0)] = a6_0_0; o[ob + _U(1)] = a6_0_1; o[ob + _U(2)] = a6_0_2; o[ob + _U(3)] = a6_0_3; o[ob + _U(4)] = a6_0_4; o[ob + _U(5)] = a6_0_5; o[ob + _U(6)] = a6_0_6; o[ob + _U(7)] = a6_0_7; o[ob + _U(8)] = a6_0_8; o[ob + _U(9)] = a6_0_9; o[ob + _U(10)] = a6_0_10; o[ob + _U(11)] = a6_0_11; o[ob + _U(12)] = a6_0_12; o[ob + _U(13)] = a6_0_13; o[ob + _U(14)] = a6_0_14; o[ob + _U(15)] = a6_0_15
            ob = _U(oa[p0 + 7] + f0)
            o[ob + _U(0)] = a7_0_0; o[ob + _U(1)] = a7_0_1; o[ob + _U(2)] = a7_0_2; o[ob + _U(3)] = a7_0_3; o[ob + _U(4)] = a7_0_4; o[ob + _U(5)] = a7_0_5; o[ob + _U(6)] = a7_0_6; o[ob + _U(7)] = a7_0_7; o[ob + _U(8)] = a7_0_8; o[ob + _U(9)] = a7_0_9; o[ob + _U(10)] = a7_0_10; o[ob + _U(11)] = a7_0_11; o[ob + _U(12)] = a7_0_12; o[ob + _U(13)] = a7_0_13; o[ob + _U(14)] = a7_0_14; o[ob + _U(15)] = a7_0_15
            ob = _U(oa[p0 + 8] + f0)
            o[ob + _U(0)] = a8_0_0; o[ob + _U(1)] = a8_0_1; o[ob + _U(2)] = a8_0_2; o[ob + _U(3)] = a8_0_3; o[ob + _U(4)] = a8_0_4; o[ob + _U(5)] = a8_0_5; o[ob + _U(6)] = a8_0_6; o[ob + _U(7)] = a8_0_7; o[ob + _U(8)] = a8_0_8; o[ob + _U(9)] = a8_0_9; o[ob + _U(10)] = a8_0_10; o[ob + _U(11)] = a8_0_11; o[ob + _U(12)] = a8_0_12; o[ob + _U(13)] = a8_0_13; o[ob + _U(14)] = a8_0_14; o[ob + _U(15)] = a8_0_15
            ob = _U(oa[p0 + 9] + f0)
            o[ob + _U(0)] = a9_0_0; o[ob + _U(1)] = a9_0_1; o[ob + _U(2)] = a9_0_2; o[ob + _U(3)] = a9_0_3; o[ob + _U(4)] = a9_0_4; o[ob + _U(5)] = a9_0_5; o[ob + _U(6)] = a9_0_6; o[ob + _U(7)] = a9_0_7; o[ob + _U(8)] = a9_0_8; o[ob + _U(9)] = a9_0_9; o[ob + _U(10)] = a9_0_10; o[ob + _U(11)] = a9_0_11; o[ob + _U(12)] = a9_0_12; o[ob + _U(13)] = a9_0_13; o[ob + _U(14)] = a9_0_14; o[ob + _U(15)] = a9_0_15
            ob = _U(oa[p0 + 10] + f0)
            o[ob + _U(0)] = a10_0_0; o[ob + _U(1)] = a10_0_1; o[ob + _U(2)] = a10_0_2; o[ob + _U(3)] = a10_0_3; o[ob + _U(4)] = a10_0_4; o[ob + _U(5)] = a10_0_5; o[ob + _U(6)] = a10_0_6; o[ob + _U(7)] = a10_0_7; o[ob + _U(8)] = a10_0_8; o[ob + _U(9)] = a10_0_9; o[ob + _U(10)] = a10_0_10; o[ob + _U(11)] = a10_0_11; o[ob + _U(12)] = a10_0_12; o[ob + _U(13)] = a10_0_13; o[ob + _U(14)] = a10_0_14; o[ob + _U(15)] = a10_0_15
            ob = _U(oa[p0 + 11] + f0)
            o[ob + _U(0)] = a11_0_0; o[ob + _U(1)] = a11_0_1; o[ob + _U(2)] = a11_0_2; o[ob + _U(3)] = a11_0_3; o[ob + _U(4)] = a11_0_4; o[ob + _U(5)] = a11_0_5; o[ob + _U(6)] = a11_0_6; o[ob + _U(7)] = a11_0_7; o[ob + _U(8)] = a11_0_8; o[ob + _U(9)] = a11_0_9; o[ob + _U(10)] = a11_0_10; o[ob + _U(11)] = a11_0_11; o[ob + _U(12)] = a11_0_12; o[ob + _U(13)] = a11_0_13; o[ob + _U(14)] = a11_0_14; o[ob + _U(15)] = a11_0_15
            ob = _U(oa[p0 + 12] + f0)
            o[ob + _U(0)] = a12_0_0; o[ob + _U(1)] = a12_0_1; o[ob + _U(2)] = a12_0_2; o[ob + _U(3)] = a12_0_3; o[ob + _U(4)] = a12_0_4; o[ob + _U(5)] = a12_0_5; o[ob + _U(6)] = a12_0_6; o[ob + _U(7)] = a12_0_7; o[ob + _U(8)] = a12_0_8; o[ob + _U(9)] = a12_0_9; o[ob + _U(10)] = a12_0_10; o[ob + _U(11)] = a12_0_11; o[ob + _U(12)] = a12_0_12; o[ob + _U(13)] = a12_0_13; o[ob + _U(14)] = a12_0_14; o[ob + _U(15)] = a12_0_15
            ob = _U(oa[p0 + 13] + f0)
            o[ob + _U(0)] = a13_0_0; o[ob + _U(1)] = a13_0_1; o[ob + _U(2)] = a13_0_2; o[ob + _U(3)] = a13_0_3; o[ob + _U(4)] = a13_0_4; o[ob + _U(5)] = a13_0_5; o[ob + _U(6)] = a13_0_6; o[ob + _U(7)] = a13_0_7; o[ob + _U(8)] = a13_0_8; o[ob + _U(9)] = a13_0_9; o[ob + _U(10)] = a13_0_10; o[ob + _U(11)] = a13_0_11; o[ob + _U(12)] = a13_0_12; o[ob + _U(13)] = a13_0_13; o[ob + _U(14)] = a13_0_14; o[ob + _U(15)] = a13_0_15
            ob = _U(oa[p0 + 14] + f0)
            o[ob + _U(0)] = a14_0_0; o[ob + _U(1)] = a14_0_1; o[ob + _U(2)] = a14_0_2; o[ob + _U(3)] = a14_0_3; o[ob + _U(4)] = a14_0_4; o[ob + _U(5)] = a14_0_5; o[ob + _U(6)] = a14_0_6; o[ob + _U(7)] = a14_0_7; o[ob + _U(8)] = a14_0_8; o[ob + _U(9)] = a14_0_9; o[ob + _U(10)] = a14_0_10; o[ob + _U(11)] = a14_0_11; o[ob + _U(12)] = a14_0_12; o[ob + _U(13)] = a14_0_13; o[ob + _U(14)] = a14_0_14; o[ob + _U(15)] = a14_0_15
            ob = _U(oa[p0 + 15] + f0)
            o[ob + _U(0)] = a15_0_0; o[ob + _U(1)] = a15_0_1; o[ob + _U(2)] = a15_0_2; o[ob + _U(3)] = a15_0_3; o[ob + _U(4)] = a15_0_4; o[ob + _U(5)] = a15_0_5; o[ob + _U(6)] = a15_0_6; o[ob + _U(7)] = a15_0_7; o[ob + _U(8)] = a15_0_8; o[ob + _U(9)] = a15_0_9; o[ob + _U(10)] = a15_0_10; o[ob + _U(11)] = a15_0_11; o[ob + _U(12)] = a15_0_12; o[ob + _U(13)] = a15_0_13; o[ob + _U(14)] = a15_0_14; o[ob + _U(15)] = a15_0_15

@njit(types.void(_IN4, _IN1, _IN1, _W4, _W3, _W2, _IDX, _IDX, _IDX, _IDX, _IDX, _I, _I, _I,
                 _I), **_OPTIONS)
def taps_16x16(x, wk, bias, out, xs, ob, pa, oa, toff, pofs, tofs, top, left, n0, n1):
    """out[n0:n1] (N, F, Ho, Wo) from x[n0:n1] (N, C, H, W), channels last inside.

    Each image goes into xs (Hs, Ws, C), zero-padded, at row top and column left; then for
    each phase g the block kernel runs on positions pa/oa[pofs[g]:pofs[g + 1]] with taps
    toff[tofs[g]:tofs[g + 1]] and their weights wk (taps, C, Fr), writing ob (Ho * Wo, Fr);
    ob[:, :F] is the image's output. Fr (bias's length) is a multiple of 16, the positions
    of each phase a multiple of 16.
    """
    C = x.shape[1]
    F, Ho, Wo = out.shape[1], out.shape[2], out.shape[3]
    Fr = bias.shape[0]
    xs[:] = 0
    xf, of = xs.ravel(), ob.ravel()
    for n in range(n0, n1):
        _channels_last(x, n, xs, top, left)
        for g in range(pofs.shape[0] - 1):
            p0, p1, t0, t1 = pofs[g], pofs[g + 1], tofs[g], tofs[g + 1]
            if p1 > p0:
                _taps_block_16x16(xf, pa[p0:p1], oa[p0:p1], wk[t0 * C * Fr:t1 * C * Fr],
                                 toff[t0:t1], t1 - t0, C, Fr, of, p1 - p0, bias)
        for f in range(F):
            for h in range(Ho):
                for w in range(Wo):
                    out[n, f, h, w] = ob[h * Wo + w, f]

@njit(**_OPTIONS)
def _taps_block_16x4(xs, pa, oa, wk, toff, T, C, Fr, o, npos, bias):
    """o[oa[p] + f] = bias[f] + the sum over taps t < T and channels c < C of
    xs[pa[p] + toff[t] + c] * wk[(t * C + c) * Fr + f], for positions p < npos (a
    multiple of 4) and filters f < Fr (a multiple of 16)."""
    for f0 in range(0, Fr, 16):
        for p0 in range(0, npos, 4):
            q0 = _U(pa[p0 + 0]); q1 = _U(pa[p0 + 1]); q2 = _U(pa[p0 + 2]); q3 = _U(pa[p0 + 3])
            b0_0 = bias[f0 + 0]; b0_1 = bias[f0 + 1]; b0_2 = bias[f0 + 2]; b0_3 = bias[f0 + 3]; b0_4 = bias[f0 + 4]; b0_5 = bias[f0 + 5]; b0_6 = bias[f0 + 6]; b0_7 = bias[f0 + 7]; b0_8 = bias[f0 + 8]; b0_9 = bias[f0 + 9]; b0_10 = bias[f0 + 10]; b0_11 = bias[f0 + 11]; b0_12 = bias[f0 + 12]; b0_13 = bias[f0 + 13]; b0_14 = bias[f0 + 14]; b0_15 = bias[f0 + 15]
            a0_0_0 = b0_0; a0_0_1 = b0_1; a0_0_2 = b0_2; a0_0_3 = b0_3; a0_0_4 = b0_4; a0_0_5 = b0_5; a0_0_6 = b0_6; a0_0_7 = b0_7; a0_0_8 = b0_8; a0_0_9 = b0_9; a0_0_10 = b0_10; a0_0_11 = b0_11; a0_0_12 = b0_12; a0_0_13 = b0_13; a0_0_14 = b0_14; a0_0_15 = b0_15
            a1_0_0 = b0_0; a1_0_1 = b0_1; a1_0_2 = b0_2; a1_0_3 = b0_3; a1_0_4 = b0_4; a1_0_5 = b0_5; a1_0_6 = b0_6; a1_0_7 = b0_7; a1_0_8 = b0_8; a1_0_9 = b0_9; a1_0_10 = b0_10; a1_0_11 = b0_11; a1_0_12 = b0_12; a1_0_13 = b0_13; a1_0_14 = b0_14; a1_0_15 = b0_15
            a2_0_0 = b0_0; a2_0_1 = b0_1; a2_0_2 = b0_2; a2_0_3 = b0_3; a2_0_4 = b0_4; a2_0_5 = b0_5; a2_0_6 = b0_6; a2_0_7 = b0_7; a2_0_8 = b0_8; a2_0_9 = b0_9; a2_0_10 = b0_10; a2_0_11 = b0_11; a2_0_12 = b0_12; a2_0_13 = b0_13; a2_0_14 = b0_14; a2_0_15 = b0_15
            a3_0_0 = b0_0; a3_0_1 = b0_1; a3_0_2 = b0_2; a3_0_3 = b0_3; a3_0_4 = b0_4; a3_0_5 = b0_5; a3_0_6 = b0_6; a3_0_7 = b0_7; a3_0_8 = b0_8; a3_0_9 = b0_9; a3_0_10 = b0_10; a3_0_11 = b0_11; a3_0_12 = b0_12; a3_0_13 = b0_13; a3_0_14 = b0_14; a3_0_15 = b0_15
            for t in range(T):
                tb = _U(toff[t])
                for c in range(C):
                    wb = _U((t * C + c) * Fr + f0)
                    xo = tb + _U(c)
                    k0_0 = wk[wb + _U(0)]; k0_1 = wk[wb + _U(1)]; k0_2 = wk[wb + _U(2)]; k0_3 = wk[wb + _U(3)]; k0_4 = wk[wb + _U(4)]; k0_5 = wk[wb + _U(5)]; k0_6 = wk[wb + _U(6)]; k0_7 = wk[wb + _U(7)]; k0_8 = wk[wb + _U(8)]; k0_9 = wk[wb + _U(9)]; k0_10 = wk[wb + _U(10)]; k0_11 = wk[wb + _U(11)]; k0_12 = wk[wb + _U(12)]; k0_13 = wk[wb + _U(13)]; k0_14 = wk[wb + _U(14)]; k0_15 = wk[wb + _U(15)]
                    x0 = xs[q0 + xo]
                    a0_0_0 += x0 * k0_0; a0_0_1 += x0 * k0_1; a0_0_2 += x0 * k0_2; a0_0_3 += x0 * k0_3; a0_0_4 += x0 * k0_4; a0_0_5 += x0 * k0_5; a0_0_6 += x0 * k0_6; a0_0_7 += x0 * k0_7; a0_0_8 += x0 * k0_8; a0_0_9 += x0 * k0_9; a0_0_10 += x0 * k0_10; a0_0_11 += x0 * k0_11; a0_0_12 += x0 * k0_12; a0_0_13 += x0 * k0_13; a0_0_14 += x0 * k0_14; a0_0_15 += x0 * k0_15
                    x1 = xs[q1 + xo]
                    a1_0_0 += x1 * k0_0; a1_0_1 += x1 * k0_1; a1_0_2 += x1 * k0_2; a1_0_3 += x1 * k0_3; a1_0_4 += x1 * k0_4; a1_0_5 += x1 * k0_5; a1_0_6 += x1 * k0_6; a1_0_7 += x1 * k0_7; a1_0_8 += x1 * k0_8; a1_0_9 += x1 * k0_9; a1_0_10 += x1 * k0_10; a1_0_11 += x1 * k0_11; a1_0_12 += x1 * k0_12; a1_0_13 += x1 * k0_13; a1_0_14 += x1 * k0_14; a1_0_15 += x1 * k0_15
                    x2 = xs[q2 + xo]
                    a2_0_0 += x2 * k0_0; a2_0_1 += x2 * k0_1; a2_0_2 += x2 * k0_2; a2_0_3 += x2 * k0_3; a2_0_4 += x2 * k0_4; a2_0_5 += x2 * k0_5; a2_0_6 += x2 * k0_6; a2_0_7 += x2 * k0_7; a2_0_8 += x2 * k0_8; a2_0_9 += x2 * k0_9; a2_0_10 += x2 * k0_10; a2_0_11 += x2 * k0_11; a2_0_12 += x2 * k0_12; a2_0_13 += x2 * k0_13; a2_0_14 += x2 * k0_14; a2_0_15 += x2 * k0_15
                    x3 = xs[q3 + xo]
                    a3_0_0 += x3 * k0_0; a3_0_1 += x3 * k0_1; a3_0_2 += x3 * k0_2; a3_0_3 += x3 * k0_3; a3_0_4 += x3 * k0_4; a3_0_5 += x3 * k0_5; a3_0_6 += x3 * k0_6; a3_0_7 += x3 * k0_7; a3_0_8 += x3 * k0_8; a3_0_9 += x3 * k0_9; a3_0_10 += x3 * k0_10; a3_0_11 += x3 * k0_11; a3_0_12 += x3 * k0_12; a3_0_13 += x3 * k0_13; a3_0_14 += x3 * k0_14; a3_0_15 += x3 * k0_15
            ob = _U(oa[p0 + 0] + f0)
            o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7; o[ob + _U(8)] = a0_0_8; o[ob + _U(9)] = a0_0_9; o[ob + _U(10)] = a0_0_10; o[ob + _U(11)] = a0_0_11; o[ob + _U(12)] = a0_0_12; o[ob + _U(13)] = a0_0_13; o[ob + _U(14)] = a0_0_14; o[ob + _U(15)] = a0_0_15
            ob = _U(oa[p0 + 1] + f0)
            o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7; o[ob + _U(8)] = a1_0_8; o[ob + _U(9)] = a1_0_9; o[ob + _U(10)] = a1_0_10; o[ob + _U(11)] = a1_0_11; o[ob + _U(12)] = a1_0_12; o[ob + _U(13)] = a1_0_13; o[ob + _U(14)] = a1_0_14; o[ob + _U(15)] = a1_0_15
            ob = _U(oa[p0 + 2] + f0)
            o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7; o[ob + _U(8)] = a2_0_8; o[ob + _U(9)] = a2_0_9; o[ob + _U(10)] = a2_0_10; o[ob + _U(11)] = a2_0_11; o[ob + _U(12)] = a2_0_12; o[ob + _U(13)] = a2_0_13; o[ob + _U(14)] = a2_0_14; o[ob + _U(15)] = a2_0_15
            ob = _U(oa[p0 + 3] + f0)
            o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7; o[ob + _U(8)] = a3_0_8; o[ob + _U(9)] = a3_0_9; o[ob + _U(10)] = a3_0_10; o[ob + _U(11)] = a3_0_11; o[ob + _U(12)] = a3_0_12; o[ob + _U(13)] = a3_0_13; o[ob + _U(14)] = a3_0_14; o[ob + _U(15)] = a3_0_15

@njit(types.void(_IN4, _IN1, _IN1, _W4, _W3, _W2, _IDX, _IDX, _IDX, _IDX, _IDX, _I, _I, _I,
                 _I), **_OPTIONS)
def taps_16x4(x, wk, bias, out, xs, ob, pa, oa, toff, pofs, tofs, top, left, n0, n1):
    """out[n0:n1] (N, F, Ho, Wo) from x[n0:n1] (N, C, H, W), channels last inside.

    Each image goes into xs (Hs, Ws, C), zero-padded, at row top and column left; then for
    each phase g the block kernel runs on positions pa/oa[pofs[g]:pofs[g + 1]] with taps
    toff[tofs[g]:tofs[g + 1]] and their weights wk (taps, C, Fr), writing ob (Ho * Wo, Fr);
    ob[:, :F] is the image's output. Fr (bias's length) is a multiple of 16, the positions
    of each phase a multiple of 4.
    """
    C = x.shape[1]
    F, Ho, Wo = out.shape[1], out.shape[2], out.shape[3]
    Fr = bias.shape[0]
    xs[:] = 0
    xf, of = xs.ravel(), ob.ravel()
    for n in range(n0, n1):
        _channels_last(x, n, xs, top, left)
        for g in range(pofs.shape[0] - 1):
            p0, p1, t0, t1 = pofs[g], pofs[g + 1], tofs[g], tofs[g + 1]
            if p1 > p0:
                _taps_block_16x4(xf, pa[p0:p1], oa[p0:p1], wk[t0 * C * Fr:t1 * C * Fr],
                                 toff[t0:t1], t1 - t0, C, Fr, of, p1 - p0, bias)
        for f in range(F):
            for h in range(Ho):
                for w in range(Wo):
                    out[n, f, h, w] = ob[h * Wo + w, f]

@njit(**_OPTIONS)
def _taps_grad_32x8(xs, pa, npos, g, tco, M, Fr, lanes):
    """lanes[(m0 + k) * Fr + f] += the sum over positions p < npos of
    xs[pa[p] + tco[m0 // 8] + k] * g[p * Fr + f], for k < 8, rows m0 < M
    (a multiple of 8) and filters f < Fr (a multiple of 32)."""
    for f0 in range(0, Fr, 32):
        for m0 in range(0, M, 8):
            o = _U(tco[m0 // 8])
            d0_0_0 = _F32(0); d0_0_1 = _F32(0); d0_0_2 = _F32(0); d0_0_3 = _F32(0); d0_0_4 = _F32(0); d0_0_5 = _F32(0); d0_0_6 = _F32(0); d0_0_7 = _F32(0); d0_0_8 = _F32(0); d0_0_9 = _F32(0); d0_0_10 = _F32(0); d0_0_11 = _F32(0); d0_0_12 = _F32(0); d0_0_13 = _F32(0); d0_0_14 = _F32(0); d0_0_15 = _F32(0)
            d0_1_0 = _F32(0); d0_1_1 = _F32(0); d0_1_2 = _F32(0); d0_1_3 = _F32(0); d0_1_4 = _F32(0); d0_1_5 = _F32(0); d0_1_6 = _F32(0); d0_1_7 = _F32(0); d0_1_8 = _F32(0); d0_1_9 = _F32(0); d0_1_10 = _F32(0); d0_1_11 = _F32(0); d0_1_12 = _F32(0); d0_1_13 = _F32(0); d0_1_14 = _F32(0); d0_1_15 = _F32(0)
            d1_0_0 = _F32(0); d1_0_1 = _F32(0); d1_0_2 = _F32(0); d1_0_3 = _F32(0); d1_0_4 = _F32(0); d1_0_5 = _F32(0); d1_0_6 = _F32(0); d1_0_7 = _F32(0); d1_0_8 = _F32(0); d1_0_9 = _F32(0); d1_0_10 = _F32(0); d1_0_11 = _F32(0); d1_0_12 = _F32(0); d1_0_13 = _F32(0); d1_0_14 = _F32(0); d1_0_15 = _F32(0)
            d1_1_0 = _F32(0); d1_1_1 = _F32(0); d1_1_2 = _F32(0); d1_1_3 = _F32(0); d1_1_4 = _F32(0); d1_1_5 = _F32(0); d1_1_6 = _F32(0); d1_1_7 = _F32(0); d1_1_8 = _F32(0); d1_1_9 = _F32(0); d1_1_10 = _F32(0); d1_1_11 = _F32(0); d1_1_12 = _F32(0); d1_1_13 = _F32(0); d1_1_14 = _F32(0); d1_1_15 = _F32(0)
            d2_0_0 = _F32(0); d2_0_1 = _F32(0); d2_0_2 = _F32(0); d2_0_3 = _F32(0); d2_0_4 = _F32(0); d2_0_5 = _F32(0); d2_0_6 = _F32(0); d2_0_7 = _F32(0); d2_0_8 = _F32(0); d2_0_9 = _F32(0); d2_0_10 = _F32(0); d2_0_11 = _F32(0); d2_0_12 = _F32(0); d2_0_13 = _F32(0); d2_0_14 = _F32(0); d2_0_15 = _F32(0)
            d2_1_0 = _F32(0); d2_1_1 = _F32(0); d2_1_2 = _F32(0); d2_1_3 = _F32(0); d2_1_4 = _F32(0); d2_1_5 = _F32(0); d2_1_6 = _F32(0); d2_1_7 = _F32(0); d2_1_8 = _F32(0); d2_1_9 = _F32(0); d2_1_10 = _F32(0); d2_1_11 = _F32(0); d2_1_12 = _F32(0); d2_1_13 = _F32(0); d2_1_14 = _F32(0); d2_1_15 = _F32(0)
            d3_0_0 = _F32(0); d3_0_1 = _F32(0); d3_0_2 = _F32(0); d3_0_3 = _F32(0); d3_0_4 = _F32(0); d3_0_5 = _F32(0); d3_0_6 = _F32(0); d3_0_7 = _F32(0); d3_0_8 = _F32(0); d3_0_9 = _F32(0); d3_0_10 = _F32(0); d3_0_11 = _F32(0); d3_0_12 = _F32(0); d3_0_13 = _F32(0); d3_0_14 = _F32(0); d3_0_15 = _F32(0)
            d3_1_0 = _F32(0); d3_1_1 = _F32(0); d3_1_2 = _F32(0); d3_1_3 = _F32(0); d3_1_4 = _F32(0); d3_1_5 = _F32(0); d3_1_6 = _F32(0); d3_1_7 = _F32(0); d3_1_8 = _F32(0); d3_1_9 = _F32(0); d3_1_10 = _F32(0); d3_1_11 = _F32(0); d3_1_12 = _F32(0); d3_1_13 = _F32(0); d3_1_14 = _F32(0); d3_1_15 = _F32(0)
            d4_0_0 = _F32(0); d4_0_1 = _F32(0); d4_0_2 = _F32(0); d4_0_3 = _F32(0); d4_0_4 = _F32(0); d4_0_5 = _F32(0); d4_0_6 = _F32(0); d4_0_7 = _F32(0); d4_0_8 = _F32(0); d4_0_9 = _F32(0); d4_0_10 = _F32(0); d4_0_11 = _F32(0); d4_0_12 = _F32(0); d4_0_13 = _F32(0); d4_0_14 = _F32(0); d4_0_15 = _F32(0)
            d4_1_0 = _F32(0); d4_1_1 = _F32(0); d4_1_2 = _F32(0); d4_1_3 = _F32(0); d4_1_4 = _F32(0); d4_1_5 = _F32(0); d4_1_6 = _F32(0); d4_1_7 = _F32(0); d4_1_8 = _F32(0); d4_1_9 = _F32(0); d4_1_10 = _F32(0); d4_1_11 = _F32(0); d4_1_12 = _F32(0); d4_1_13 = _F32(0); d4_1_14 = _F32(0); d4_1_15 = _F32(0)
            d5_0_0 = _F32(0); d5_0_1 = _F32(0); d5_0_2 = _F32(0); d5_0_3 = _F32(0); d5_0_4 = _F32(0); d5_0_5 = _F32(0); d5_0_6 = _F32(0); d5_0_7 = _F32(0); d5_0_8 = _F32(0); d5_0_9 = _F32(0); d5_0_10 = _F32(0); d5_0_11 = _F32(0); d5_0_12 = _F32(0); d5_0_13 = _F32(0); d5_0_14 = _F32(0); d5_0_15 = _F32(0)
            d5_1_0 = _F32(0); d5_1_1 = _F32(0); d5_1_2 = _F32(0); d5_1_3 = _F32(0); d5_1_4 = _F32(0); d5_1_5 = _F32(0); d5_1_6 = _F32(0); d5_1_7 = _F32(0); d5_1_8 = _F32(0); d5_1_9 = _F32(0); d5_1_10 = _F32(0); d5_1_11 = _F32(0); d5_1_12 = _F32(0); d5_1_13 = _F32(0); d5_1_14 = _F32(0); d5_1_15 = _F32(0)
            d6_0_0 = _F32(0); d6_0_1 = _F32(0); d6_0_2 = _F32(0); d6_0_3 = _F32(0); d6_0_4 = _F32(0); d6_0_5 = _F32(0); d6_0_6 = _F32(0); d6_0_7 = _F32(0); d6_0_8 = _F32(0); d6_0_9 = _F32(0); d6_0_10 = _F32(0); d6_0_11 = _F32(0); d6_0_12 = _F32(0); d6_0_13 = _F32(0); d6_0_14 = _F32(0); d6_0_15 = _F32(0)
            d6_1_0 = _F32(0); d6_1_1 = _F32(0); d6_1_2 = _F32(0); d6_1_3 = _F32(0); d6_1_4 = _F32(0); d6_1_5 = _F32(0); d6_1_6 = _F32(0); d6_1_7 = _F32(0); d6_1_8 = _F32(0); d6_1_9 = _F32(0); d6_1_10 = _F32(0); d6_1_11 = _F32(0); d6_1_12 = _F32(0); d6_1_13 = _F32(0); d6_1_14 = _F32(0); d6_1_15 = _F32(0)
            d7_0_0 = _F32(0); d7_0_1 = _F32(0); d7_0_2 = _F32(0); d7_0_3 = _F32(0); d7_0_4 = _F32(0); d7_0_5 = _F32(0); d7_0_6 = _F32(0); d7_0_7 = _F32(0); d7_0_8 = _F32(0); d7_0_9 = _F32(0); d7_0_10 = _F32(0); d7_0_11 = _F32(0); d7_0_12 = _F32(0); d7_0_13 = _F32(0); d7_0_14 = _F32(0); d7_0_15 = _F32(0)
            d7_1_0 = _F32(0); d7_1_1 = _F32(0); d7_1_2 = _F32(0); d7_1_3 = _F32(0); d7_1_4 = _F32(0); d7_1_5 = _F32(0); d7_1_6 = _F32(0); d7_1_7 = _F32(0); d7_1_8 = _F32(0); d7_1_9 = _F32(0); d7_1_10 = _F32(0); d7_1_11 = _F32(0); d7_1_12 = _F32(0); d7_1_13 = _F32(0); d7_1_14 = _F32(0); d7_1_15 = _F32(0)
            for p in range(npos):
                q = _U(pa[p]) + o
                gb = _U(p * Fr + f0)
                g0_0 = g[gb + _U(0)]; g0_1 = g[gb + _U(1)]; g0_2 = g[gb + _U(2)]; g0_3 = g[gb + _U(3)]; g0_4 = g[gb + _U(4)]; g0_5 = g[gb + _U(5)]; g0_6 = g[gb + _U(6)]; g0_7 = g[gb + _U(7)]; g0_8 = g[gb + _U(8)]; g0_9 = g[gb + _U(9)]; g0_10 = g[gb + _U(10)]; g0_11 = g[gb + _U(11)]; g0_12 = g[gb + _U(12)]; g0_13 = g[gb + _U(13)]; g0_14 = g[gb + _U(14)]; g0_15 = g[gb + _U(15)]
                g1_0 = g[gb + _U(16)]; g1_1 = g[gb + _U(17)]; g1_2 = g[gb + _U(18)]; g1_3 = g[gb + _U(19)]; g1_4 = g[gb + _U(20)]; g1_5 = g[gb + _U(21)]; g1_6 = g[gb + _U(22)]; g1_7 = g[gb + _U(23)]; g1_8 = g[gb + _U(24)]; g1_9 = g[gb + _U(25)]; g1_10 = g[gb + _U(26)]; g1_11 = g[gb + _U(27)]; g1_12 = g[gb + _U(28)]; g1_13 = g[gb + _U(29)]; g1_14 = g[gb + _U(30)]; g1_15 = g[gb + _U(31)]
                x0 = xs[q + _U(0)]
                d0_0_0 += x0 * g0_0; d0_0_1 += x0 * g0_1; d0_0_2 += x0 * g0_2; d0_0_3 += x0 * g0_3; d0_0_4 += x0 * g0_4; d0_0_5 += x0 * g0_5; d0_0_6 += x0 * g0_6; d0_0_7 += x0 * g0_7; d0_0_8 += x0 * g0_8; d0_0_9 += x0 * g0_9; d0_0_10 += x0 * g0_10; d0_0_11 += x0 * g0_11; d0_0_12 += x0 * g0_12; d0_0_13 += x0 * g0_13; d0_0_14 += x0 * g0_14; d0_0_15 += x0 * g0_15
                d0_1_0 += x0 * g1_0; d0_1_1 += x0 * g1_1; d0_1_2 += x0 * g1_2; d0_1_3 += x0 * g1_3; d0_1_4 += x0 * g1_4; d0_1_5 += x0 * g1_5; d0_1_6 += x0 * g1_6; d0_1_7 += x0 * g1_7; d0_1_8 += x0 * g1_8; d0_1_9 += x0 * g1_9; d0_1_10 += x0 * g1_10; d0_1_11 += x0 * g1_11; d0_1_12 += x0 * g1_12; d0_1_13 += x0 * g1_13; d0_1_14 += x0 * g1_14; d0_1_15 += x0 * g1_15
                x1 = xs[q + _U(1)]
                d1_0_0 += x1 * g0_0; d1_0_1 += x1 * g0_1; d1_0_2 += x1 * g0_2; d1_0_3 += x1 * g0_3; d1_0_4 += x1 * g0_4; d1_0_5 += x1 * g0_5; d1_0_6 += x1 * g0_6; d1_0_7 += x1 * g0_7; d1_0_8 += x1 * g0_8; d1_0_9 += x1 * g0_9; d1_0_10 += x1 * g0_10; d1_0_11 += x1 * g0_11; d1_0_12 += x1 * g0_12; d1_0_13 += x1 * g0_13; d1_0_14 += x1 * g0_14; d1_0_15 += x1 * g0_15
                d1_1_0 += x1 * g1_0; d1_1_1 += x1 * g1_1; d1_1_2 += x1 * g1_2; d1_1_3 += x1 * g1_3; d1_1_4 += x1 * g1_4; d1_1_5 += x1 * g1_5; d1_1_6 += x1 * g1_6; d1_1_7 += x1 * g1_7; d1_1_8 += x1 * g1_8; d1_1_9 += x1 * g1_9; d1_1_10 += x1 * g1_10; d1_1_11 += x1 * g1_11; d1_1_12 += x1 * g1_12; d1_1_13 += x1 * g1_13; d1_1_14 += x1 * g1_14; d1_1_15 += x1 * g1_15
                x2 = xs[q + _U(2)]
                d2_0_0 += x2 * g0_0; d2_0_1 += x2 * g0_1; d2_0_2 += x2 * g0_2; d2_0_3 += x2 * g0_3; d2_0_4 += x2 * g0_4; d2_0_5 += x2 * g0_5; d2_0_6 += x2 * g0_6; d2_0_7 += x2 * g0_7; d2_0_8 += x2 * g0_8; d2_0_9 += x2 * g0_9; d2_0_10 += x2 * g0_10; d2_0_11 += x2 * g0_11; d2_0_12 += x2 * g0_12; d2_0_13 += x2 * g0_13; d2_0_14 += x2 * g0_14; d2_0_15 += x2 * g0_15
                d2_1_0 += x2 * g1_0; d2_1_1 += x2 * g1_1; d2_1_2 += x2 * g1_2; d2_1_3 += x2 * g1_3; d2_1_4 += x2 * g1_4; d2_1_5 += x2 * g1_5; d2_1_6 += x2 * g1_6; d2_1_7 += x2 * g1_7; d2_1_8 += x2 * g1_8; d2_1_9 += x2 * g1_9; d2_1_10 += x2 * g1_10; d2_1_11 += x2 * g1_11; d2_1_12 += x2 * g1_12; d2_1_13 += x2 * g1_13; d2_1_14 += x2 * g1_14; d2_1_15 += x2 * g1_15
                x3 = xs[q + _U(3)]
                d3_0_0 += x3 * g0_0; d3_0_1 += x3 * g0_1; d3_0_2 += x3 * g0_2; d3_0_3 += x3 * g0_3; d3_0_4 += x3 * g0_4; d3_0_5 += x3 * g0_5; d3_0_6 += x3 * g0_6; d3_0_7 += x3 * g0_7; d3_0_8 += x3 * g0_8; d3_0_9 += x3 * g0_9; d3_0_10 += x3 * g0_10; d3_0_11 += x3 * g0_11; d3_0_12 += x3 * g0_12; d3_0_13 += x3 * g0_13; d3_0_14 += x3 * g0_14; d3_0_15 += x3 * g0_15
                d3_1_0 += x3 * g1_0; d3_1_1 += x3 * g1_1; d3_1_2 += x3 * g1_2; d3_1_3 += x3 * g1_3; d3_1_4 += x3 * g1_4; d3_1_5 += x3 * g1_5; d3_1_6 += x3 * g1_6; d3_1_7 += x3 * g1_7; d3_1_8 += x3 * g1_8; d3_1_9 += x3 * g1_9; d3_1_10 += x3 * g1_10; d3_1_11 += x3 * g1_11; d3_1_12 += x3 * g1_12; d3_1_13 += x3 * g1_13; d3_1_14 += x3 * g1_14; d3_1_15 += x3 * g1_15
                x4 = xs[q + _U(4)]
                d4_0_0 += x4 * g0_0; d4_0_1 += x4 * g0_1; d4_0_2 += x4 * g0_2; d4_0_3 += x4 * g0_3; d4_0_4 += x4 * g0_4; d4_0_5 += x4 * g0_5; d4_0_6 += x4 * g0_6; d4_0_7 += x4 * g0_7; d4_0_8 += x4 * g0_8; d4_0_9 += x4 * g0_9; d4_0_10 += x4 * g0_10; d4_0_11 += x4 * g0_11; d4_0_12 += x4 * g0_12; d4_0_13 += x4 * g0_13; d4_0_14 += x4 * g0_14; d4_0_15 += x4 * g0_15
                d4_1_0 += x4 * g1_0; d4_1_1 += x4 * g1_1; d4_1_2 += x4 * g1_2; d4_1_3 += x4 * g1_3; d4_1_4 += x4 * g1_4; d4_1_5 += x4 * g1_5; d4_1_6 += x4 * g1_6; d4_1_7 += x4 * g1_7; d4_1_8 += x4 * g1_8; d4_1_9 += x4 * g1_9; d4_1_10 += x4 * g1_10; d4_1_11 += x4 * g1_11; d4_1_12 += x4 * g1_12; d4_1_13 += x4 * g1_13; d4_1_14 += x4 * g1_14; d4_1_15 += x4 * g1_15
                x5 = xs[q + _U(5)]
                d5_0_0 += x5 * g0_0; d5_0_1 += x5 * g0_1; d5_0_2 += x5 * g0_2; d5_0_3 += x5 * g0_3; d5_0_4 += x5 * g0_4; d5_0_5 += x5 * g0_5; d5_0_6 += x5 * g0_6; d5_0_7 += x5 * g0_7; d5_0_8 += x5 * g0_8; d5_0_9 += x5 * g0_9; d5_0_10 += x5 * g0_10; d5_0_11 += x5 * g0_11; d5_0_12 += x5 * g0_12; d5_0_13 += x5 * g0_13; d5_0_14 += x5 * g0_14; d5_0_15 += x5 * g0_15
                d5_1_0 += x5 * g1_0; d5_1_1 += x5 * g1_1; d5_1_2 += x5 * g1_2; d5_1_3 += x5 * g1_3; d5_1_4 += x5 * g1_4; d5_1_5 += x5 * g1_5; d5_1_6 += x5 * g1_6; d5_1_7 += x5 * g1_7; d5_1_8 += x5 * g1_8; d5_1_9 += x5 * g1_9; d5_1_10 += x5 * g1_10; d5_1_11 += x5 * g1_11; d5_1_12 += x5 * g1_12; d5_1_13 += x5 * g1_13; d5_1_14 += x5 * g1_14; d5_1_15 += x5 * g1_15
                x6 = xs[q + _U(6)]
                d6_0_0 += x6 * g0_0; d6_0_1 += x6 * g0_1; d6_0_2 += x6 * g0_2; d6_0_3 += x6 * g0_3; d6_0_4 += x6 * g0_4; d6_0_5 += x6 * g0_5; d6_0_6 += x6 * g0_6; d6_0_7 += x6 * g0_7; d6_0_8 += x6 * g0_8; d6_0_9 += x6 * g0_9; d6_0_10 += x6 * g0_10; d6_0_11 += x6 * g0_11; d6_0_12 += x6 * g0_12; d6_0_13 += x6 * g0_13; d6_0_14 += x6 * g0_14; d6_0_15 += x6 * g0_15
                d6_1_0 += x6 * g1_0; d6_1_1 += x6 * g1_1; d6_1_2 += x6 * g1_2; d6_1_3 += x6 * g1_3; d6_1_4 += x6 * g1_4; d6_1_5 += x6 * g1_5; d6_1_6 += x6 * g1_6; d6_1_7 += x6 * g1_7; d6_1_8 += x6 * g1_8; d6_1_9 += x6 * g1_9; d6_1_10 += x6 * g1_10; d6_1_11 += x6 * g1_11; d6_1_12 += x6 * g1_12; d6_1_13 += x6 * g1_13; d6_1_14 += x6 * g1_14; d6_1_15 += x6 * g1_15
                x7 = xs[q + _U(7)]
                d7_0_0 += x7 * g0_0; d7_0_1 += x7 * g0_1; d7_0_2 += x7 * g0_2; d7_0_3 += x7 * g0_3; d7_0_4 += x7 * g0_4; d7_0_5 += x7 * g0_5; d7_0_6 += x7 * g0_6; d7_0_7 += x7 * g0_7; d7_0_8 += x7 * g0_8; d7_0_9 += x7 * g0_9; d7_0_10 += x7 * g0_10; d7_0_11 += x7 * g0_11; d7_0_12 += x7 * g0_12; d7_0_13 += x7 * g0_13; d7_0_14 += x7 * g0_14; d7_0_15 += x7 * g0_15
                d7_1_0 += x7 * g1_0; d7_1_1 += x7 * g1_1; d7_1_2 += x7 * g1_2; d7_1_3 += x7 * g1_3; d7_1_4 += x7 * g1_4; d7_1_5 += x7 * g1_5; d7_1_6 += x7 * g1_6; d7_1_7 += x7 * g1_7; d7_1_8 += x7 * g1_8; d7_1_9 += x7 * g1_9; d7_1_10 += x7 * g1_10; d7_1_11 += x7 * g1_11; d7_1_12 += x7 * g1_12; d7_1_13 += x7 * g1_13; d7_1_14 += x7 * g1_14; d7_1_15 += x7 * g1_15
            lb = _U((m0 + 0) * Fr + f0)
            lanes[lb + _U(0)] += d0_0_0; lanes[lb + _U(1)] += d0_0_1; lanes[lb + _U(2)] += d0_0_2; lanes[lb + _U(3)] += d0_0_3; lanes[lb + _U(4)] += d0_0_4; lanes[lb + _U(5)] += d0_0_5; lanes[lb + _U(6)] += d0_0_6; lanes[lb + _U(7)] += d0_0_7; lanes[lb + _U(8)] += d0_0_8; lanes[lb + _U(9)] += d0_0_9; lanes[lb + _U(10)] += d0_0_10; lanes[lb + _U(11)] += d0_0_11; lanes[lb + _U(12)] += d0_0_12; lanes[lb + _U(13)] += d0_0_13; lanes[lb + _U(14)] += d0_0_14; lanes[lb + _U(15)] += d0_0_15
            lanes[lb + _U(16)] += d0_1_0; lanes[lb + _U(17)] += d0_1_1; lanes[lb + _U(18)] += d0_1_2; lanes[lb + _U(19)] += d0_1_3; lanes[lb + _U(20)] += d0_1_4; lanes[lb + _U(21)] += d0_1_5; lanes[lb + _U(22)] += d0_1_6; lanes[lb + _U(23)] += d0_1_7; lanes[lb + _U(24)] += d0_1_8; lanes[lb + _U(25)] += d0_1_9; lanes[lb + _U(26)] += d0_1_10; lanes[lb + _U(27)] += d0_1_11; lanes[lb + _U(28)] += d0_1_12; lanes[lb + _U(29)] += d0_1_13; lanes[lb + _U(30)] += d0_1_14; lanes[lb + _U(31)] += d0_1_15
            lb = _U((m0 + 1) * Fr + f0)
            lanes[lb + _U(0)] += d1_0_0; lanes[lb + _U(1)] += d1_0_1; lanes[lb + _U(2)] += d1_0_2; lanes[lb + _U(3)] += d1_0_3; lanes[lb + _U(4)] += d1_0_4; lanes[lb + _U(5)] += d1_0_5; lanes[lb + _U(6)] += d1_0_6; lanes[lb + _U(7)] += d1_0_7; lanes[lb + _U(8)] += d1_0_8; lanes[lb + _U(9)] += d1_0_9; lanes[lb + _U(10)] += d1_0_10; lanes[lb + _U(11)] += d1_0_11; lanes[lb + _U(12)] += d1_0_12; lanes[lb + _U(13)] += d1_0_13; lanes[lb + _U(14)] += d1_0_14; lanes[lb + _U(15)] += d1_0_15
            lanes[lb + _U(16)] += d1_1_0; lanes[lb + _U(17)] += d1_1_1; lanes[lb + _U(18)] += d1_1_2; lanes[lb + _U(19)] += d1_1_3; lanes[lb + _U(20)] += d1_1_4; lanes[lb + _U(21)] += d1_1_5; lanes[lb + _U(22)] += d1_1_6; lanes[lb + _U(23)] += d1_1_7; lanes[lb + _U(24)] += d1_1_8; lanes[lb + _U(25)] += d1_1_9; lanes[lb + _U(26)] += d1_1_10; lanes[lb + _U(27)] += d1_1_11; lanes[lb + _U(28)] += d1_1_12; lanes[lb + _U(29)] += d1_1_13; lanes[lb + _U(30)] += d1_1_14; lanes[lb + _U(31)] += d1_1_15
            lb = _U((m0 + 2) * Fr + f0)
            lanes[lb + _U(0)] += d2_0_0; lanes[lb + _U(1)] += d2_0_1; lanes[lb + _U(2)] += d2_0_2; lanes[lb + _U(3)] += d2_0_3; lanes[lb + _U(4)] += d2_0_4; lanes[lb + _U(5)] += d2_0_5; lanes[lb + _U(6)] += d2_0_6; lanes[lb + _U(7)] += d2_0_7; lanes[lb + _U(8)] += d2_0_8; lanes[lb + _U(9)] += d2_0_9; lanes[lb + _U(10)] += d2_0_10; lanes[lb + _U(11)] += d2_0_11; lanes[lb + _U(12)] += d2_0_12; lanes[lb + _U(13)] += d2_0_13; lanes[lb + _U(14)] += d2_0_14; lanes[lb + _U(15)] += d2_0_15
            lanes[lb + _U(16)] += d2_1_0; lanes[lb + _U(17)] += d2_1_1; lanes[lb + _U(18)] += d2_1_2; lanes[lb + _U(19)] += d2_1_3; lanes[lb + _U(20)] += d2_1_4; lanes[lb + _U(21)] += d2_1_5; lanes[lb + _U(22)] += d2_1_6; lanes[lb + _U(23)] += d2_1_7; lanes[lb + _U(24)] += d2_1_8; lanes[lb + _U(25)] += d2_1_9; lanes[lb + _U(26)] += d2_1_10; lanes[lb + _U(27)] += d2_1_11; lanes[lb + _U(28)] += d2_1_12; lanes[lb + _U(29)] += d2_1_13; lanes[lb + _U(30)] += d2_1_14; lanes[lb + _U(31)] += d2_1_15
            lb = _U((m0 + 3) * Fr + f0)
            lanes[lb + _U(0)] += d3_0_0; lanes[lb + _U(1)] += d3_0_1; lanes[lb + _U(2)] += d3_0_2; lanes[lb + _U(3)] += d3_0_3; lanes[lb + _U(4)] += d3_0_4; lanes[lb + _U(5)] += d3_0_5; lanes[lb + _U(6)] += d3_0_6; lanes[lb + _U(7)] += d3_0_7; lanes[lb + _U(8)] += d3_0_8; lanes[lb + _U(9)] += d3_0_9; lanes[lb + _U(10)] += d3_0_10; lanes[lb + _U(11)] += d3_0_11; lanes[lb + _U(12)] += d3_0_12; lanes[lb + _U(13)] += d3_0_13; lanes[lb + _U(14)] += d3_0_14; lanes[lb + _U(15)] += d3_0_15
            lanes[lb + _U(16)] += d3_1_0; lanes[lb + _U(17)] += d3_1_1; lanes[lb + _U(18)] += d3_1_2; lanes[lb + _U(19)] += d3_1_3; lanes[lb + _U(20)] += d3_1_4; lanes[lb + _U(21)] += d3_1_5; lanes[lb + _U(22)] += d3_1_6; lanes[lb + _U(23)] += d3_1_7; lanes[lb + _U(24)] += d3_1_8; lanes[lb + _U(25)] += d3_1_9; lanes[lb + _U(26)] += d3_1_10; lanes[lb + _U(27)] += d3_1_11; lanes[lb + _U(28)] += d3_1_12; lanes[lb + _U(29)] += d3_1_13; lanes[lb + _U(30)] += d3_1_14; lanes[lb + _U(31)] += d3_1_15
            lb = _U((m0 + 4) * Fr + f0)
            lanes[lb + _U(0)] += d4_0_0; lanes[lb + _U(1)] += d4_0_1; lanes[lb + _U(2)] += d4_0_2; lanes[lb + _U(3)] += d4_0_3; lanes[lb + _U(4)] += d4_0_4; lanes[lb + _U(5)] += d4_0_5; lanes[lb + _U(6)] += d4_0_6; lanes[lb + _U(7)] += d4_0_7; lanes[lb + _U(8)] += d4_0_8; lanes[lb + _U(9)] += d4_0_9; lanes[lb + _U(10)] += d4_0_10; lanes[lb + _U(11)] += d4_0_11; lanes[lb + _U(12)] += d4_0_12; lanes[lb + _U(13)] += d4_0_13; lanes[lb + _U(14)] += d4_0_14; lanes[lb + _U(15)] += d4_0_15
            lanes[lb + _U(16)] += d4_1_0; lanes[lb + _U(17)] += d4_1_1; lanes[lb + _U(18)] += d4_1_2; lanes[lb + _U(19)] += d4_1_3; lanes[lb + _U(20)] += d4_1_4; lanes[lb + _U(21)] += d4_1_5; lanes[lb + _U(22)] += d4_1_6; lanes[lb + _U(23)] += d4_1_7; lanes[lb + _U(24)] += d4_1_8; lanes[lb + _U(25)] += d4_1_9; lanes[lb + _U(26)] += d4_1_10; lanes[lb + _U(27)] += d4_1_11; lanes[lb + _U(28)] += d4_1_12; lanes[lb + _U(29)] += d4_1_13; lanes[lb + _U(30)] += d4_1_14; lanes[lb + _U(31)] += d4_1_15
            lb = _U((m0 + 5) * Fr + f0)
            lanes[lb + _U(0)] += d5_0_0; lanes[lb + _U(1)] += d5_0_1; lanes[lb + _U(2)] += d5_0_2; lanes[lb + _U(3)] += d5_0_3; lanes[lb + _U(4)] += d5_0_4; lanes[lb + _U(5)] += d5_0_5; lanes[lb + _U(6)] += d5_0_6; lanes[lb + _U(7)] += d5_0_7; lanes[lb + _U(8)] += d5_0_8; lanes[lb + _U(9)] += d5_0_9; lanes[lb + _U(10)] += d5_0_10; lanes[lb + _U(11)] += d5_0_11; lanes[lb + _U(12)] += d5_0_12; lanes[lb + _U(13)] += d5_0_13; lanes[lb + _U(14)] += d5_0_14; lanes[lb + _U(15)] += d5_0_15
            lanes[lb + _U(16)] += d5_1_0; lanes[lb + _U(17)] += d5_1_1; lanes[lb + _U(18)] += d5_1_2; lanes[lb + _U(19)] += d5_1_3; lanes[lb + _U(20)] += d5_1_4; lanes[lb + _U(21)] += d5_1_5; lanes[lb + _U(22)] += d5_1_6; lanes[lb + _U(23)] += d5_1_7; lanes[lb + _U(24)] += d5_1_8; lanes[lb + _U(25)] += d5_1_9; lanes[lb + _U(26)] += d5_1_10; lanes[lb + _U(27)] += d5_1_11; lanes[lb + _U(28)] += d5_1_12; lanes[lb + _U(29)] += d5_1_13; lanes[lb + _U(30)] += d5_1_14; lanes[lb + _U(31)] += d5_1_15
            lb = _U((m0 + 6) * Fr + f0)
            lanes[lb + _U(0)] += d6_0_0; lanes[lb + _U(1)] += d6_0_1; lanes[lb + _U(2)] += d6_0_2; lanes[lb + _U(3)] += d6_0_3; lanes[lb + _U(4)] += d6_0_4; lanes[lb + _U(5)] += d6_0_5; lanes[lb + _U(6)] += d6_0_6; lanes[lb + _U(7)] += d6_0_7; lanes[lb + _U(8)] += d6_0_8; lanes[lb + _U(9)] += d6_0_9; lanes[lb + _U(10)] += d6_0_10; lanes[lb + _U(11)] += d6_0_11; lanes[lb + _U(12)] += d6_0_12; lanes[lb + _U(13)] += d6_0_13; lanes[lb + _U(14)] += d6_0_14; lanes[lb + _U(15)] += d6_0_15
            lanes[lb + _U(16)] += d6_1_0; lanes[lb + _U(17)] += d6_1_1; lanes[lb + _U(18)] += d6_1_2; lanes[lb + _U(19)] += d6_1_3; lanes[lb + _U(20)] += d6_1_4; lanes[lb + _U(21)] += d6_1_5; lanes[lb + _U(22)] += d6_1_6; lanes[lb + _U(23)] += d6_1_7; lanes[lb + _U(24)] += d6_1_8; lanes[lb + _U(25)] += d6_1_9; lanes[lb + _U(26)] += d6_1_10; lanes[lb + _U(27)] += d6_1_11; lanes[lb + _U(28)] += d6_1_12; lanes[lb + _U(29)] += d6_1_13; lanes[lb + _U(30)] += d6_1_14; lanes[lb + _U(31)] += d6_1_15
            lb = _U((m0 + 7) * Fr + f0)
            lanes[lb + _U(0)] += d7_0_0; lanes[lb + _U(1)] += d7_0_1; lanes[lb + _U(2)] += d7_0_2; lanes[lb + _U(3)] += d7_0_3; lanes[lb + _U(4)] += d7_0_4; lanes[lb + _U(5)] += d7_0_5; lanes[lb + _U(6)] += d7_0_6; lanes[lb + _U(7)] += d7_0_7; lanes[lb + _U(8)] += d7_0_8; lanes[lb + _U(9)] += d7_0_9; lanes[lb + _U(10)] += d7_0_10; lanes[lb + _U(11)] += d7_0_11; lanes[lb + _U(12)] += d7_0_12; lanes[lb + _U(13)] += d7_0_13; lanes[lb + _U(14)] += d7_0_14; lanes[lb + _U(15)] += d7_0_15
            lanes[lb + _U(16)] += d7_1_0; lanes[lb + _U(17)] += d7_1_1; lanes[lb + _U(18)] += d7_1_2; lanes[lb + _U(19)] += d7_1_3; lanes[lb + _U(20)] += d7_1_4; lanes[lb + _U(21)] += d7_1_5; lanes[lb + _U(22)] += d7_1_6; lanes[lb + _U(23)] += d7_1_7; lanes[lb + _U(24)] += d7_1_8; lanes[lb + _U(25)] += d7_1_9; lanes[lb + _U(26)] += d7_1_10; lanes[lb + _U(27)] += d7_1_11; lanes[lb + _U(28)] += d7_1_12; lanes[lb + _U(29)] += d7_1_13; lanes[lb + _U(30)] += d7_1_14; lanes[lb + _U(31)] += d7_1_15

@njit(types.void(_IN4, _IN4, _W3, _W2, _W2, _W3, _W2, _IDX, _IDX, _I, _I, _I, _I, _I),
      **_OPTIONS)
def taps_grad_32x8(x, dout, part, dbpart, lanes, xs, gs, pa, tco, top, left, group, g0,
                   g1):
    """part[k] (M, Fr) and dbpart[k] (F,) = the filter gradient, rows m = t * Cp + c for
    tap t and channel c, and the bias gradient of images k * group .. k * group + group - 1,
    for the groups k = g0..g1-1; channels last inside.

    Each image goes into xs (Hs, Ws, Cp) at row top and column left, its channels padded
    with zeros to Cp (a multiple of 8), its dout into gs (Ho * Wo, Fr); pa holds the forward
    positions, tco[m // 8] the offset of channel m % Cp of tap m // Cp. lanes (M, Fr) is
    this call's own buffer; Fr is a multiple of 32.
    """
    N = x.shape[0]
    F, Ho, Wo = dout.shape[1], dout.shape[2], dout.shape[3]
    M, Fr = lanes.shape[0], lanes.shape[1]
    xs[:] = 0
    gs[:] = 0
    xf, gf, lf = xs.ravel(), gs.ravel(), lanes.ravel()
    for k in range(g0, g1):
        lanes[:] = 0
        for f in range(F):
            dbpart[k, f] = 0
        for n in range(k * group, min(N, k * group + group)):
            _channels_last(x, n, xs, top, left)
            for f in range(F):
                s = _F32(0)
                for h in range(Ho):
                    for w in range(Wo):
                        v = dout[n, f, h, w]
                        gs[h * Wo + w, f] = v
                        s += v
                dbpart[k, f] += s
            _taps_grad_32x8(xf, pa, Ho * Wo, gf, tco, M, Fr, lf)
        part[k] = lanes

@njit(**_OPTIONS)
def _taps_grad_16x8(xs, pa, npos, g, tco, M, Fr, lanes):
    """lanes[(m0 + k) * Fr + f] += the sum over positions p < npos of
    xs[pa[p] + tco[m0 // 8] + k] * g[p * Fr + f], for k < 8, rows m0 < M
    (a multiple of 8) and filters f < Fr (a multiple of 16)."""
    for f0 in range(0, Fr, 16):
        for m0 in range(0, M, 8):
            o = _U(tco[m0 // 8])
            d0_0_0 = _F32(0); d0_0_1 = _F32(0); d0_0_2 = _F32(0); d0_0_3 = _F32(0); d0_0_4 = _F32(0); d0_0_5 = _F32(0); d0_0_6 = _F32(0); d0_0_7 = _F32(0); d0_0_8 = _F32(0); d0_0_9 = _F32(0); d0_0_10 = _F32(0); d0_0_11 = _F32(0); d0_0_12 = _F32(0); d0_0_13 = _F32(0); d0_0_14 = _F32(0); d0_0_15 = _F32(0)
            d1_0_0 = _F32(0); d1_0_1 = _F32(0); d1_0_2 = _F32(0); d1_0_3 = _F32(0); d1_0_4 = _F32(0); d1_0_5 = _F32(0); d1_0_6 = _F32(0); d1_0_7 = _F32(0); d1_0_8 = _F32(0); d1_0_9 = _F32(0); d1_0_10 = _F32(0); d1_0_11 = _F32(0); d1_0_12 = _F32(0); d1_0_13 = _F32(0); d1_0_14 = _F32(0); d1_0_15 = _F32(0)
            d2_0_0 = _F32(0); d2_0_1 = _F32(0); d2_0_2 = _F32(0); d2_0_3 = _F32(0); d2_0_4 = _F32(0); d2_0_5 = _F32(0); d2_0_6 = _F32(0); d2_0_7 = _F32(0); d2_0_8 = _F32(0); d2_0_9 = _F32(0); d2_0_10 = _F32(0); d2_0_11 = _F32(0); d2_0_12 = _F32(0); d2_0_13 = _F32(0); d2_0_14 = _F32(0); d2_0_15 = _F32(0)
            d3_0_0 = _F32(0); d3_0_1 = _F32(0); d3_0_2 = _F32(0); d3_0_3 = _F32(0); d3_0_4 = _F32(0); d3_0_5 = _F32(0); d3_0_6 = _F32(0); d3_0_7 = _F32(0); d3_0_8 = _F32(0); d3_0_9 = _F32(0); d3_0_10 = _F32(0); d3_0_11 = _F32(0); d3_0_12 = _F32(0); d3_0_13 = _F32(0); d3_0_14 = _F32(0); d3_0_15 = _F32(0)
            d4_0_0 = _F32(0); d4_0_1 = _F32(0); d4_0_2 = _F32(0); d4_0_3 = _F32(0); d4_0_4 = _F32(0); d4_0_5 = _F32(0); d4_0_6 = _F32(0); d4_0_7 = _F32(0); d4_0_8 = _F32(0); d4_0_9 = _F32(0); d4_0_10 = _F32(0); d4_0_11 = _F32(0); d4_0_12 = _F32(0); d4_0_13 = _F32(0); d4_0_14 = _F32(0); d4_0_15 = _F32(0)
            d5_0_0 = _F32(0); d5_0_1 = _F32(0); d5_0_2 = _F32(0); d5_0_3 = _F32(0); d5_0_4 = _F32(0); d5_0_5 = _F32(0); d5_0_6 = _F32(0); d5_0_7 = _F32(0); d5_0_8 = _F32(0); d5_0_9 = _F32(0); d5_0_10 = _F32(0); d5_0_11 = _F32(0); d5_0_12 = _F32(0); d5_0_13 = _F32(0); d5_0_14 = _F32(0); d5_0_15 = _F32(0)
            d6_0_0 = _F32(0); d6_0_1 = _F32(0); d6_0_2 = _F32(0); d6_0_3 = _F32(0); d6_0_4 = _F32(0); d6_0_5 = _F32(0); d6_0_6 = _F32(0); d6_0_7 = _F32(0); d6_0_8 = _F32(0); d6_0_9 = _F32(0); d6_0_10 = _F32(0); d6_0_11 = _F32(0); d6_0_12 = _F32(0); d6_0_13 = _F32(0); d6_0_14 = _F32(0); d6_0_15 = _F32(0)
            d7_0_0 = _F32(0); d7_0_1 = _F32(0); d7_0_2 = _F32(0); d7_0_3 = _F32(0); d7_0_4 = _F32(0); d7_0_5 = _F32(0); d7_0_6 = _F32(0); d7_0_7 = _F32(0); d7_0_8 = _F32(0); d7_0_9 = _F32(0); d7_0_10 = _F32(0); d7_0_11 = _F32(0); d7_0_12 = _F32(0); d7_0_13 = _F32(0); d7_0_14 = _F32(0); d7_0_15 = _F32(0)
            for p in range(npos):
                q = _U(pa[p]) + o
                gb = _U(p * Fr + f0)
                g0_0 = g[gb + _U(0)]; g0_1 = g[gb + _U(1)]; g0_2 = g[gb + _U(2)]; g0_3 = g[gb + _U(3)]; g0_4 = g[gb + _U(4)]; g0_5 = g[gb + _U(5)]; g0_6 = g[gb + _U(6)]; g0_7 = g[gb + _U(7)]; g0_8 = g[gb + _U(8)]; g0_9 = g[gb + _U(9)]; g0_10 = g[gb + _U(10)]; g0_11 = g[gb + _U(11)]; g0_12 = g[gb + _U(12)]; g0_13 = g[gb + _U(13)]; g0_14 = g[gb + _U(14)]; g0_15 = g[gb + _U(15)]
                x0 = xs[q + _U(0)]
                d0_0_0 += x0 * g0_0; d0_0_1 += x0 * g0_1; d0_0_2 += x0 * g0_2; d0_0_3 += x0 * g0_3; d0_0_4 += x0 * g0_4; d0_0_5 += x0 * g0_5; d0_0_6 += x0 * g0_6; d0_0_7 += x0 * g0_7; d0_0_8 += x0 * g0_8; d0_0_9 += x0 * g0_9; d0_0_10 += x0 * g0_10; d0_0_11 += x0 * g0_11; d0_0_12 += x0 * g0_12; d0_0_13 += x0 * g0_13; d0_0_14 += x0 * g0_14; d0_0_15 += x0 * g0_15
                x1 = xs[q + _U(1)]
                d1_0_0 += x1 * g0_0; d1_0_1 += x1 * g0_1; d1_0_2 += x1 * g0_2; d1_0_3 += x1 * g0_3; d1_0_4 += x1 * g0_4; d1_0_5 += x1 * g0_5; d1_0_6 += x1 * g0_6; d1_0_7 += x1 * g0_7; d1_0_8 += x1 * g0_8; d1_0_9 += x1 * g0_9; d1_0_10 += x1 * g0_10; d1_0_11 += x1 * g0_11; d1_0_12 += x1 * g0_12; d1_0_13 += x1 * g0_13; d1_0_14 += x1 * g0_14; d1_0_15 += x1 * g0_15
                x2 = xs[q + _U(2)]
                d2_0_0 += x2 * g0_0; d2_0_1 += x2 * g0_1; d2_0_2 += x2 * g0_2; d2_0_3 += x2 * g0_3; d2_0_4 += x2 * g0_4; d2_0_5 += x2 * g0_5; d2_0_6 += x2 * g0_6; d2_0_7 += x2 * g0_7; d2_0_8 += x2 * g0_8; d2_0_9 += x2 * g0_9; d2_0_10 += x2 * g0_10; d2_0_11 += x2 * g0_11; d2_0_12 += x2 * g0_12; d2_0_13 += x2 * g0_13; d2_0_14 += x2 * g0_14; d2_0_15 += x2 * g0_15
                x3 = xs[q + _U(3)]
                d3_0_0 += x3 * g0_0; d3_0_1 += x3 * g0_1; d3_0_2 += x3 * g0_2; d3_0_3 += x3 * g0_3; d3_0_4 += x3 * g0_4; d3_0_5 += x3 * g0_5; d3_0_6 += x3 * g0_6; d3_0_7 += x3 * g0_7; d3_0_8 += x3 * g0_8; d3_0_9 += x3 * g0_9; d3_0_10 += x3 * g0_10; d3_0_11 += x3 * g0_11; d3_0_12 += x3 * g0_12; d3_0_13 += x3 * g0_13; d3_0_14 += x3 * g0_14; d3_0_15 += x3 * g0_15
                x4 = xs[q + _U(4)]
                d4_0_0 += x4 * g0_0; d4_0_1 += x4 * g0_1; d4_0_2 += x4 * g0_2; d4_0_3 += x4 * g0_3; d4_0_4 += x4 * g0_4; d4_0_5 += x4 * g0_5; d4_0_6 += x4 * g0_6; d4_0_7 += x4 * g0_7; d4_0_8 += x4 * g0_8; d4_0_9 += x4 * g0_9; d4_0_10 += x4 * g0_10; d4_0_11 += x4 * g0_11; d4_0_12 += x4 * g0_12; d4_0_13 += x4 * g0_13; d4_0_14 += x4 * g0_14; d4_0_15 += x4 * g0_15
                x5 = xs[q + _U(5)]
                d5_0_0 += x5 * g0_0; d5_0_1 += x5 * g0_1; d5_0_2 += x5 * g0_2; d5_0_3 += x5 * g0_3; d5_0_4 += x5 * g0_4; d5_0_5 += x5 * g0_5; d5_0_6 += x5 * g0_6; d5_0_7 += x5 * g0_7; d5_0_8 += x5 * g0_8; d5_0_9 += x5 * g0_9; d5_0_10 += x5 * g0_10; d5_0_11 += x5 * g0_11; d5_0_12 += x5 * g0_12; d5_0_13 += x5 * g0_13; d5_0_14 += x5 * g0_14; d5_0_15 += x5 * g0_15
                x6 = xs[q + _U(6)]
                d6_0_0 += x6 * g0_0; d6_0_1 += x6 * g0_1; d6_0_2 += x6 * g0_2; d6_0_3 += x6 * g0_3; d6_0_4 += x6 * g0_4; d6_0_5 += x6 * g0_5; d6_0_6 += x6 * g0_6; d6_0_7 += x6 * g0_7; d6_0_8 += x6 * g0_8; d6_0_9 += x6 * g0_9; d6_0_10 += x6 * g0_10; d6_0_11 += x6 * g0_11; d6_0_12 += x6 * g0_12; d6_0_13 += x6 * g0_13; d6_0_14 += x6 * g0_14; d6_0_15 += x6 * g0_15
                x7 = xs[q + _U(7)]
                d7_0_0 += x7 * g0_0; d7_0_1 += x7 * g0_1; d7_0_2 += x7 * g0_2; d7_0_3 += x7 * g0_3; d7_0_4 += x7 * g0_4; d7_0_5 += x7 * g0_5; d7_0_6 += x7 * g0_6; d7_0_7 += x7 * g0_7; d7_0_8 += x7 * g0_8; d7_0_9 += x7 * g0_9; d7_0_10 += x7 * g0_10; d7_0_11 += x7 * g0_11; d7_0_12 += x7 * g0_12; d7_0_13 += x7 * g0_13; d7_0_14 += x7 * g0_14; d7_0_15 += x7 * g0_15
            lb = _U((m0 + 0) * Fr + f0)
            lanes[lb + _U(0)] += d0_0_0; lanes[lb + _U(1)] += d0_0_1; lanes[lb + _U(2)] += d0_0_2; lanes[lb + _U(3)] += d0_0_3; lanes[lb + _U(4)] += d0_0_4; lanes[lb + _U(5)] += d0_0_5; lanes[lb + _U(6)] += d0_0_6; lanes[lb + _U(7)] += d0_0_7; lanes[lb + _U(8)] += d0_0_8; lanes[lb + _U(9)] += d0_0_9; lanes[lb + _U(10)] += d0_0_10; lanes[lb + _U(11)] += d0_0_11; lanes[lb + _U(12)] += d0_0_12; lanes[lb + _U(13)] += d0_0_13; lanes[lb + _U(14)] += d0_0_14; lanes[lb + _U(15)] += d0_0_15
            lb = _U((m0 + 1) * Fr + f0)
            lanes[lb + _U(0)] += d1_0_0; lanes[lb + _U(1)] += d1_0_1; lanes[lb + _U(2)] += d1_0_2; lanes[lb + _U(3)] += d1_0_3; lanes[lb + _U(4)] += d1_0_4; lanes[lb + _U(5)] += d1_0_5; lanes[lb + _U(6)] += d1_0_6; lanes[lb + _U(7)] += d1_0_7; lanes[lb + _U(8)] += d1_0_8; lanes[lb + _U(9)] += d1_0_9; lanes[lb + _U(10)] += d1_0_10; lanes[lb + _U(11)] += d1_0_11; lanes[lb + _U(12)] += d1_0_12; lanes[lb + _U(13)] += d1_0_13; lanes[lb + _U(14)] += d1_0_14; lanes[lb + _U(15)] += d1_0_15
            lb = _U((m0 + 2) * Fr + f0)
            lanes[lb + _U(0)] += d2_0_0; lanes[lb + _U(1)] += d2_0_1; lanes[lb + _U(2)] += d2_0_2; lanes[lb + _U(3)] += d2_0_3; lanes[lb + _U(4)] += d2_0_4; lanes[lb + _U(5)] += d2_0_5; lanes[lb + _U(6)] += d2_0_6; lanes[lb + _U(7)] += d2_0_7; lanes[lb + _U(8)] += d2_0_8; lanes[lb + _U(9)] += d2_0_9; lanes[lb + _U(10)] += d2_0_10; lanes[lb + _U(11)] += d2_0_11; lanes[lb + _U(12)] += d2_0_12; lanes[lb + _U(13)] += d2_0_13; lanes[lb + _U(14)] += d2_0_14; lanes[lb + _U(15)] += d2_0_15
            lb = _U((m0 + 3) * Fr + f0)
            lanes[lb + _U(0)] += d3_0_0; lanes[lb + _U(1)] += d3_0_1; lanes[lb + _U(2)] += d3_0_2; lanes[lb + _U(3)] += d3_0_3; lanes[lb + _U(4)] += d3_0_4; lanes[lb + _U(5)] += d3_0_5; lanes[lb + _U(6)] += d3_0_6; lanes[lb + _U(7)] += d3_0_7; lanes[lb + _U(8)] += d3_0_8; lanes[lb + _U(9)] += d3_0_9; lanes[lb + _U(10)] += d3_0_10; lanes[lb + _U(11)] += d3_0_11; lanes[lb + _U(12)] += d3_0_12; lanes[lb + _U(13)] += d3_0_13; lanes[lb + _U(14)] += d3_0_14; lanes[lb + _U(15)] += d3_0_15
            lb = _U((m0 + 4) * Fr + f0)
            lanes[lb + _U(0)] += d4_0_0; lanes[lb + _U(1)] += d4_0_1; lanes[lb + _U(2)] += d4_0_2; lanes[lb + _U(3)] += d4_0_3; lanes[lb + _U(4)] += d4_0_4; lanes[lb + _U(5)] += d4_0_5; lanes[lb + _U(6)] += d4_0_6; lanes[lb + _U(7)] += d4_0_7; lanes[lb + _U(8)] += d4_0_8; lanes[lb + _U(9)] += d4_0_9; lanes[lb + _U(10)] += d4_0_10; lanes[lb + _U(11)] += d4_0_11; lanes[lb + _U(12)] += d4_0_12; lanes[lb + _U(13)] += d4_0_13; lanes[lb + _U(14)] += d4_0_14; lanes[lb + _U(15)] += d4_0_15
            lb = _U((m0 + 5) * Fr + f0)
            lanes[lb + _U(0)] += d5_0_0; lanes[lb + _U(1)] += d5_0_1; lanes[lb + _U(2)] += d5_0_2; lanes[lb + _U(3)] += d5_0_3; lanes[lb + _U(4)] += d5_0_4; lanes[lb + _U(5)] += d5_0_5; lanes[lb + _U(6)] += d5_0_6; lanes[lb + _U(7)] += d5_0_7; lanes[lb + _U(8)] += d5_0_8; lanes[lb + _U(9)] += d5_0_9; lanes[lb + _U(10)] += d5_0_10; lanes[lb + _U(11)] += d5_0_11; lanes[lb + _U(12)] += d5_0_12; lanes[lb + _U(13)] += d5_0_13; lanes[lb + _U(14)] += d5_0_14; lanes[lb + _U(15)] += d5_0_15
            lb = _U((m0 + 6) * Fr + f0)
            lanes[lb + _U(0)] += d6_0_0; lanes[lb + _U(1)] += d6_0_1; lanes[lb + _U(2)] += d6_0_2; lanes[lb + _U(3)] += d6_0_3; lanes[lb + _U(4)] += d6_0_4; lanes[lb + _U(5)] += d6_0_5; lanes[lb + _U(6)] += d6_0_6; lanes[lb + _U(7)] += d6_0_7; lanes[lb + _U(8)] += d6_0_8; lanes[lb + _U(9)] += d6_0_9; lanes[lb + _U(10)] += d6_0_10; lanes[lb + _U(11)] += d6_0_11; lanes[lb + _U(12)] += d6_0_12; lanes[lb + _U(13)] += d6_0_13; lanes[lb + _U(14)] += d6_0_14; lanes[lb + _U(15)] += d6_0_15
            lb = _U((m0 + 7) * Fr + f0)
            lanes[lb + _U(0)] += d7_0_0; lanes[lb + _U(1)] += d7_0_1; lanes[lb + _U(2)] += d7_0_2; lanes[lb + _U(3)] += d7_0_3; lanes[lb + _U(4)] += d7_0_4; lanes[lb + _U(5)] += d7_0_5; lanes[lb + _U(6)] += d7_0_6; lanes[lb + _U(7)] += d7_0_7; lanes[lb + _U(8)] += d7_0_8; lanes[lb + _U(9)] += d7_0_9; lanes[lb + _U(10)] += d7_0_10; lanes[lb + _U(11)] += d7_0_11; lanes[lb + _U(12)] += d7_0_12; lanes[lb + _U(13)] += d7_0_13; lanes[lb + _U(14)] += d7_0_14; lanes[lb + _U(15)] += d7_0_15

@njit(types.void(_IN4, _IN4, _W3, _W2, _W2, _W3, _W2, _IDX, _IDX, _I, _I, _I, _I, _I),
      **_OPTIONS)
def taps_grad_16x8(x, dout, part, dbpart, lanes, xs, gs, pa, tco, top, left, group, g0,
                   g1):
    """part[k] (M, Fr) and dbpart[k] (F,) = the filter gradient, rows m = t * Cp + c for
    tap t and channel c, and the bias gradient of images k * group .. k * group + group - 1,
    for the groups k = g0..g1-1; channels last inside.

    Each image goes into xs (Hs, Ws, Cp) at row top and column left, its channels padded
    with zeros to Cp (a multiple of 8), its dout into gs (Ho * Wo, Fr); pa holds the forward
    positions, tco[m // 8] the offset of channel m % Cp of tap m // Cp. lanes (M, Fr) is
    this call's own buffer; Fr is a multiple of 16.
    """
    N = x.shape[0]
    F, Ho, Wo = dout.shape[1], dout.shape[2], dout.shape[3]
    M, Fr = lanes.shape[0], lanes.shape[1]
    xs[:] = 0
    gs[:] = 0
    xf, gf, lf = xs.ravel(), gs.ravel(), lanes.ravel()
    for k in range(g0, g1):
        lanes[:] = 0
        for f in range(F):
            dbpart[k, f] = 0
        for n in range(k * group, min(N, k * group + group)):
            _channels_last(x, n, xs, top, left)
            for f in range(F):
                s = _F32(0)
                for h in range(Ho):
                    for w in range(Wo):
                        v = dout[n, f, h, w]
                        gs[h * Wo + w, f] = v
                        s += v
                dbpart[k, f] += s
            _taps_grad_16x8(xf, pa, Ho * Wo, gf, tco, M, Fr, lf)
        part[k] = lanes

@njit(**_OPTIONS)
def _taps_grad_16x4(xs, pa, npos, g, tco, M, Fr, lanes):
    """lanes[(m0 + k) * Fr + f] += the sum over positions p < npos of
    xs[pa[p] + tco[m0 // 4] + k] * g[p * Fr + f], for k < 4, rows m0 < M
    (a multiple of 4) and filters f < Fr (a multiple of 16)."""
    for f0 in range(0, Fr, 16):
        for m0 in range(0, M, 4):
            o = _U(tco[m0 // 4])
            d0_0_0 = _F32(0); d0_0_1 = _F32(0); d0_0_2 = _F32(0); d0_0_3 = _F32(0); d0_0_4 = _F32(0); d0_0_5 = _F32(0); d0_0_6 = _F32(0); d0_0_7 = _F32(0); d0_0_8 = _F32(0); d0_0_9 = _F32(0); d0_0_10 = _F32(0); d0_0_11 = _F32(0); d0_0_12 = _F32(0); d0_0_13 = _F32(0); d0_0_14 = _F32(0); d0_0_15 = _F32(0)
            d1_0_0 = _F32(0); d1_0_1 = _F32(0); d1_0_2 = _F32(0); d1_0_3 = _F32(0); d1_0_4 = _F32(0); d1_0_5 = _F32(0); d1_0_6 = _F32(0); d1_0_7 = _F32(0); d1_0_8 = _F32(0); d1_0_9 = _F32(0); d1_0_10 = _F32(0); d1_0_11 = _F32(0); d1_0_12 = _F32(0); d1_0_13 = _F32(0); d1_0_14 = _F32(0); d1_0_15 = _F32(0)
            d2_0_0 = _F32(0); d2_0_1 = _F32(0); d2_0_2 = _F32(0); d2_0_3 = _F32(0); d2_0_4 = _F32(0); d2_0_5 = _F32(0); d2_0_6 = _F32(0); d2_0_7 = _F32(0); d2_0_8 = _F32(0); d2_0_9 = _F32(0); d2_0_10 = _F32(0); d2_0_11 = _F32(0); d2_0_12 = _F32(0); d2_0_13 = _F32(0); d2_0_14 = _F32(0); d2_0_15 = _F32(0)
            d3_0_0 = _F32(0); d3_0_1 = _F32(0); d3_0_2 = _F32(0); d3_0_3 = _F32(0); d3_0_4 = _F32(0); d3_0_5 = _F32(0); d3_0_6 = _F32(0); d3_0_7 = _F32(0); d3_0_8 = _F32(0); d3_0_9 = _F32(0); d3_0_10 = _F32(0); d3_0_11 = _F32(0); d3_0_12 = _F32(0); d3_0_13 = _F32(0); d3_0_14 = _F32(0); d3_0_15 = _F32(0)
            for p in range(npos):
                q = _U(pa[p]) + o
                gb = _U(p * Fr + f0)
                g0_0 = g[gb + _U(0)]; g0_1 = g[gb + _U(1)]; g0_2 = g[gb + _U(2)]; g0_3 = g[gb + _U(3)]; g0_4 = g[gb + _U(4)]; g0_5 = g[gb + _U(5)]; g0_6 = g[gb + _U(6)]; g0_7 = g[gb + _U(7)]; g0_8 = g[gb + _U(8)]; g0_9 = g[gb + _U(9)]; g0_10 = g[gb + _U(10)]; g0_11 = g[gb + _U(11)]; g0_12 = g[gb + _U(12)]; g0_13 = g[gb + _U(13)]; g0_14 = g[gb + _U(14)]; g0_15 = g[gb + _U(15)]
                x0 = xs[q + _U(0)]
                d0_0_0 += x0 * g0_0; d0_0_1 += x0 * g0_1; d0_0_2 += x0 * g0_2; d0_0_3 += x0 * g0_3; d0_0_4 += x0 * g0_4; d0_0_5 += x0 * g0_5; d0_0_6 += x0 * g0_6; d0_0_7 += x0 * g0_7; d0_0_8 += x0 * g0_8; d0_0_9 += x0 * g0_9; d0_0_10 += x0 * g0_10; d0_0_11 += x0 * g0_11; d0_0_12 += x0 * g0_12; d0_0_13 += x0 * g0_13; d0_0_14 += x0 * g0_14; d0_0_15 += x0 * g0_15
                x1 = xs[q + _U(1)]
                d1_0_0 += x1 * g0_0; d1_0_1 += x1 * g0_1; d1_0_2 += x1 * g0_2; d1_0_3 += x1 * g0_3; d1_0_4 += x1 * g0_4; d1_0_5 += x1 * g0_5; d1_0_6 += x1 * g0_6; d1_0_7 += x1 * g0_7; d1_0_8 += x1 * g0_8; d1_0_9 += x1 * g0_9; d1_0_10 += x1 * g0_10; d1_0_11 += x1 * g0_11; d1_0_12 += x1 * g0_12; d1_0_13 += x1 * g0_13; d1_0_14 += x1 * g0_14; d1_0_15 += x1 * g0_15
                x2 = xs[q + _U(2)]
                d2_0_0 += x2 * g0_0; d2_0_1 += x2 * g0_1; d2_0_2 += x2 * g0_2; d2_0_3 += x2 * g0_3; d2_0_4 += x2 * g0_4; d2_0_5 += x2 * g0_5; d2_0_6 += x2 * g0_6; d2_0_7 += x2 * g0_7; d2_0_8 += x2 * g0_8; d2_0_9 += x2 * g0_9; d2_0_10 += x2 * g0_10; d2_0_11 += x2 * g0_11; d2_0_12 += x2 * g0_12; d2_0_13 += x2 * g0_13; d2_0_14 += x2 * g0_14; d2_0_15 += x2 * g0_15
                x3 = xs[q + _U(3)]
                d3_0_0 += x3 * g0_0; d3_0_1 += x3 * g0_1; d3_0_2 += x3 * g0_2; d3_0_3 += x3 * g0_3; d3_0_4 += x3 * g0_4; d3_0_5 += x3 * g0_5; d3_0_6 += x3 * g0_6; d3_0_7 += x3 * g0_7; d3_0_8 += x3 * g0_8; d3_0_9 += x3 * g0_9; d3_0_10 += x3 * g0_10; d3_0_11 += x3 * g0_11; d3_0_12 += x3 * g0_12; d3_0_13 += x3 * g0_13; d3_0_14 += x3 * g0_14; d3_0_15 += x3 * g0_15
            lb = _U((m0 + 0) * Fr + f0)
            lanes[lb + _U(0)] += d0_0_0; lanes[lb + _U(1)] += d0_0_1; lanes[lb + _U(2)] += d0_0_2; lanes[lb + _U(3)] += d0_0_3; lanes[lb + _U(4)] += d0_0_4; lanes[lb + _U(5)] += d0_0_5; lanes[lb + _U(6)] += d0_0_6; lanes[lb + _U(7)] += d0_0_7; lanes[lb + _U(8)] += d0_0_8; lanes[lb + _U(9)] += d0_0_9; lanes[lb + _U(10)] += d0_0_10; lanes[lb + _U(11)] += d0_0_11; lanes[lb + _U(12)] += d0_0_12; lanes[lb + _U(13)] += d0_0_13; lanes[lb + _U(14)] += d0_0_14; lanes[lb + _U(15)] += d0_0_15
            lb = _U((m0 + 1) * Fr + f0)
            lanes[lb + _U(0)] += d1_0_0; lanes[lb + _U(1)] += d1_0_1; lanes[lb + _U(2)] += d1_0_2; lanes[lb + _U(3)] += d1_0_3; lanes[lb + _U(4)] += d1_0_4; lanes[lb + _U(5)] += d1_0_5; lanes[lb + _U(6)] += d1_0_6; lanes[lb + _U(7)] += d1_0_7; lanes[lb + _U(8)] += d1_0_8; lanes[lb + _U(9)] += d1_0_9; lanes[lb + _U(10)] += d1_0_10; lanes[lb + _U(11)] += d1_0_11; lanes[lb + _U(12)] += d1_0_12; lanes[lb + _U(13)] += d1_0_13; lanes[lb + _U(14)] += d1_0_14; lanes[lb + _U(15)] += d1_0_15
            lb = _U((m0 + 2) * Fr + f0)
            lanes[lb + _U(0)] += d2_0_0; lanes[lb + _U(1)] += d2_0_1; lanes[lb + _U(2)] += d2_0_2; lanes[lb + _U(3)] += d2_0_3; lanes[lb + _U(4)] += d2_0_4; lanes[lb + _U(5)] += d2_0_5; lanes[lb + _U(6)] += d2_0_6; lanes[lb + _U(7)] += d2_0_7; lanes[lb + _U(8)] += d2_0_8; lanes[lb + _U(9)] += d2_0_9; lanes[lb + _U(10)] += d2_0_10; lanes[lb + _U(11)] += d2_0_11; lanes[lb + _U(12)] += d2_0_12; lanes[lb + _U(13)] += d2_0_13; lanes[lb + _U(14)] += d2_0_14; lanes[lb + _U(15)] += d2_0_15
            lb = _U((m0 + 3) * Fr + f0)
            lanes[lb + _U(0)] += d3_0_0; lanes[lb + _U(1)] += d3_0_1; lanes[lb + _U(2)] += d3_0_2; lanes[lb + _U(3)] += d3_0_3; lanes[lb + _U(4)] += d3_0_4; lanes[lb + _U(5)] += d3_0_5; lanes[lb + _U(6)] += d3_0_6; lanes[lb + _U(7)] += d3_0_7; lanes[lb + _U(8)] += d3_0_8; lanes[lb + _U(9)] += d3_0_9; lanes[lb + _U(10)] += d3_0_10; lanes[lb + _U(11)] += d3_0_11; lanes[lb + _U(12)] += d3_0_12; lanes[lb + _U(13)] += d3_0_13; lanes[lb + _U(14)] += d3_0_14; lanes[lb + _U(15)] += d3_0_15

@njit(types.void(_IN4, _IN4, _W3, _W2, _W2, _W3, _W2, _IDX, _IDX, _I, _I, _I, _I, _I),
      **_OPTIONS)
def taps_grad_16x4(x, dout, part, dbpart, lanes, xs, gs, pa, tco, top, left, group, g0,
                   g1):
    """part[k] (M, Fr) and dbpart[k] (F,) = the filter gradient, rows m = t * Cp + c for
    tap t and channel c, and the bias gradient of images k * group .. k * group + group - 1,
    for the groups k = g0..g1-1; channels last inside.

    Each image goes into xs (Hs, Ws, Cp) at row top and column left, its channels padded
    with zeros to Cp (a multiple of 4), its dout into gs (Ho * Wo, Fr); pa holds the forward
    positions, tco[m // 4] the offset of channel m % Cp of tap m // Cp. lanes (M, Fr) is
    this call's own buffer; Fr is a multiple of 16.
    """
    N = x.shape[0]
    F, Ho, Wo = dout.shape[1], dout.shape[2], dout.shape[3]
    M, Fr = lanes.shape[0], lanes.shape[1]
    xs[:] = 0
    gs[:] = 0
    xf, gf, lf = xs.ravel(), gs.ravel(), lanes.ravel()
    for k in range(g0, g1):
        lanes[:] = 0
        for f in range(F):
            dbpart[k, f] = 0
        for n in range(k * group, min(N, k * group + group)):
            _channels_last(x, n, xs, top, left)
            for f in range(F):
                s = _F32(0)
                for h in range(Ho):
                    for w in range(Wo):
                        v = dout[n, f, h, w]
                        gs[h * Wo + w, f] = v
                        s += v
                dbpart[k, f] += s
            _taps_grad_16x4(xf, pa, Ho * Wo, gf, tco, M, Fr, lf)
        part[k] = lanes

@njit(**_OPTIONS)
def _pointwise_block_16(a, a0, am, ak, x, x0, bias, o, o0, K, M, P, p0, p1, add):
    """o[o0 + m * P + p] = (o[...] + if add) bias[m] + the sum over k < K of
    a[a0 + m * am + k * ak] * x[x0 + k * P + p], for the rows m < M and the columns
    p0 <= p < p1 (p1 - p0 a multiple of 16); rows past M in a block read row M - 1."""
    for p in range(p0, p1, 16):
        for m0 in range(0, M, 12):
            r0 = min(m0 + 0, M - 1); r1 = min(m0 + 1, M - 1); r2 = min(m0 + 2, M - 1); r3 = min(m0 + 3, M - 1); r4 = min(m0 + 4, M - 1); r5 = min(m0 + 5, M - 1); r6 = min(m0 + 6, M - 1); r7 = min(m0 + 7, M - 1); r8 = min(m0 + 8, M - 1); r9 = min(m0 + 9, M - 1); r10 = min(m0 + 10, M - 1); r11 = min(m0 + 11, M - 1)
            w0 = _U(a0 + r0 * am); w1 = _U(a0 + r1 * am); w2 = _U(a0 + r2 * am); w3 = _U(a0 + r3 * am); w4 = _U(a0 + r4 * am); w5 = _U(a0 + r5 * am); w6 = _U(a0 + r6 * am); w7 = _U(a0 + r7 * am); w8 = _U(a0 + r8 * am); w9 = _U(a0 + r9 * am); w10 = _U(a0 + r10 * am); w11 = _U(a0 + r11 * am)
            bq = bias[r0]
            a0_0_0 = bq; a0_0_1 = bq; a0_0_2 = bq; a0_0_3 = bq; a0_0_4 = bq; a0_0_5 = bq; a0_0_6 = bq; a0_0_7 = bq; a0_0_8 = bq; a0_0_9 = bq; a0_0_10 = bq; a0_0_11 = bq; a0_0_12 = bq; a0_0_13 = bq; a0_0_14 = bq; a0_0_15 = bq
            bq = bias[r1]
            a1_0_0 = bq; a1_0_1 = bq; a1_0_2 = bq; a1_0_3 = bq; a1_0_4 = bq; a1_0_5 = bq; a1_0_6 = bq; a1_0_7 = bq; a1_0_8 = bq; a1_0_9 = bq; a1_0_10 = bq; a1_0_11 = bq; a1_0_12 = bq; a1_0_13 = bq; a1_0_14 = bq; a1_0_15 = bq
            bq = bias[r2]
            a2_0_0 = bq; a2_0_1 = bq; a2_0_2 = bq; a2_0_3 = bq; a2_0_4 = bq; a2_0_5 = bq; a2_0_6 = bq; a2_0_7 = bq; a2_0_8 = bq; a2_0_9 = bq; a2_0_10 = bq; a2_0_11 = bq; a2_0_12 = bq; a2_0_13 = bq; a2_0_14 = bq; a2_0_15 = bq
            bq = bias[r3]
            a3_0_0 = bq; a3_0_1 = bq; a3_0_2 = bq; a3_0_3 = bq; a3_0_4 = bq; a3_0_5 = bq; a3_0_6 = bq; a3_0_7 = bq; a3_0_8 = bq; a3_0_9 = bq; a3_0_10 = bq; a3_0_11 = bq; a3_0_12 = bq; a3_0_13 = bq; a3_0_14 = bq; a3_0_15 = bq
            bq = bias[r4]
            a4_0_0 = bq; a4_0_1 = bq; a4_0_2 = bq; a4_0_3 = bq; a4_0_4 = bq; a4_0_5 = bq; a4_0_6 = bq; a4_0_7 = bq; a4_0_8 = bq; a4_0_9 = bq; a4_0_10 = bq; a4_0_11 = bq; a4_0_12 = bq; a4_0_13 = bq; a4_0_14 = bq; a4_0_15 = bq
            bq = bias[r5]
            a5_0_0 = bq; a5_0_1 = bq; a5_0_2 = bq; a5_0_3 = bq; a5_0_4 = bq; a5_0_5 = bq; a5_0_6 = bq; a5_0_7 = bq; a5_0_8 = bq; a5_0_9 = bq; a5_0_10 = bq; a5_0_11 = bq; a5_0_12 = bq; a5_0_13 = bq; a5_0_14 = bq; a5_0_15 = bq
            bq = bias[r6]
            a6_0_0 = bq; a6_0_1 = bq; a6_0_2 = bq; a6_0_3 = bq; a6_0_4 = bq; a6_0_5 = bq; a6_0_6 = bq; a6_0_7 = bq; a6_0_8 = bq; a6_0_9 = bq; a6_0_10 = bq; a6_0_11 = bq; a6_0_12 = bq; a6_0_13 = bq; a6_0_14 = bq; a6_0_15 = bq
            bq = bias[r7]
            a7_0_0 = bq; a7_0_1 = bq; a7_0_2 = bq; a7_0_3 = bq; a7_0_4 = bq; a7_0_5 = bq; a7_0_6 = bq; a7_0_7 = bq; a7_0_8 = bq; a7_0_9 = bq; a7_0_10 = bq; a7_0_11 = bq; a7_0_12 = bq; a7_0_13 = bq; a7_0_14 = bq; a7_0_15 = bq
            bq = bias[r8]
            a8_0_0 = bq; a8_0_1 = bq; a8_0_2 = bq; a8_0_3 = bq; a8_0_4 = bq; a8_0_5 = bq; a8_0_6 = bq; a8_0_7 = bq; a8_0_8 = bq; a8_0_9 = bq; a8_0_10 = bq; a8_0_11 = bq; a8_0_12 = bq; a8_0_13 = bq; a8_0_14 = bq; a8_0_15 = bq
            bq = bias[r9]
            a9_0_0 = bq; a9_0_1 = bq; a9_0_2 = bq; a9_0_3 = bq; a9_0_4 = bq; a9_0_5 = bq; a9_0_6 = bq; a9_0_7 = bq; a9_0_8 = bq; a9_0_9 = bq; a9_0_10 = bq; a9_0_11 = bq; a9_0_12 = bq; a9_0_13 = bq; a9_0_14 = bq; a9_0_15 = bq
            bq = bias[r10]
            a10_0_0 = bq; a10_0_1 = bq; a10_0_2 = bq; a10_0_3 = bq; a10_0_4 = bq; a10_0_5 = bq; a10_0_6 = bq; a10_0_7 = bq; a10_0_8 = bq; a10_0_9 = bq; a10_0_10 = bq; a10_0_11 = bq; a10_0_12 = bq; a10_0_13 = bq; a10_0_14 = bq; a10_0_15 = bq
            bq = bias[r11]
            a11_0_0 = bq; a11_0_1 = bq; a11_0_2 = bq; a11_0_3 = bq; a11_0_4 = bq; a11_0_5 = bq; a11_0_6 = bq; a11_0_7 = bq; a11_0_8 = bq; a11_0_9 = bq; a11_0_10 = bq; a11_0_11 = bq; a11_0_12 = bq; a11_0_13 = bq; a11_0_14 = bq; a11_0_15 = bq
            for k in range(K):
                xb = _U(x0 + k * P + p)
                kk = _U(k * ak)
                k0 = a[w0 + kk]; k1 = a[w1 + kk]; k2 = a[w2 + kk]; k3 = a[w3 + kk]; k4 = a[w4 + kk]; k5 = a[w5 + kk]; k6 = a[w6 + kk]; k7 = a[w7 + kk]; k8 = a[w8 + kk]; k9 = a[w9 + kk]; k10 = a[w10 + kk]; k11 = a[w11 + kk]
                x0_0 = x[xb + _U(0)]; x0_1 = x[xb + _U(1)]; x0_2 = x[xb + _U(2)]; x0_3 = x[xb + _U(3)]; x0_4 = x[xb + _U(4)]; x0_5 = x[xb + _U(5)]; x0_6 = x[xb + _U(6)]; x0_7 = x[xb + _U(7)]; x0_8 = x[xb + _U(8)]; x0_9 = x[xb + _U(9)]; x0_10 = x[xb + _U(10)]; x0_11 = x[xb + _U(11)]; x0_12 = x[xb + _U(12)]; x0_13 = x[xb + _U(13)]; x0_14 = x[xb + _U(14)]; x0_15 = x[xb + _U(15)]
                a0_0_0 += k0 * x0_0; a0_0_1 += k0 * x0_1; a0_0_2 += k0 * x0_2; a0_0_3 += k0 * x0_3; a0_0_4 += k0 * x0_4; a0_0_5 += k0 * x0_5; a0_0_6 += k0 * x0_6; a0_0_7 += k0 * x0_7; a0_0_8 += k0 * x0_8; a0_0_9 += k0 * x0_9; a0_0_10 += k0 * x0_10; a0_0_11 += k0 * x0_11; a0_0_12 += k0 * x0_12; a0_0_13 += k0 * x0_13; a0_0_14 += k0 * x0_14; a0_0_15 += k0 * x0_15
                a1_0_0 += k1 * x0_0; a1_0_1 += k1 * x0_1; a1_0_2 += k1 * x0_2; a1_0_3 += k1 * x0_3; a1_0_4 += k1 * x0_4; a1_0_5 += k1 * x0_5; a1_0_6 += k1 * x0_6; a1_0_7 += k1 * x0_7; a1_0_8 += k1 * x0_8; a1_0_9 += k1 * x0_9; a1_0_10 += k1 * x0_10; a1_0_11 += k1 * x0_11; a1_0_12 += k1 * x0_12; a1_0_13 += k1 * x0_13; a1_0_14 += k1 * x0_14; a1_0_15 += k1 * x0_15
                a2_0_0 += k2 * x0_0; a2_0_1 += k2 * x0_1; a2_0_2 += k2 * x0_2; a2_0_3 += k2 * x0_3; a2_0_4 += k2 * x0_4; a2_0_5 += k2 * x0_5; a2_0_6 += k2 * x0_6; a2_0_7 += k2 * x0_7; a2_0_8 += k2 * x0_8; a2_0_9 += k2 * x0_9; a2_0_10 += k2 * x0_10; a2_0_11 += k2 * x0_11; a2_0_12 += k2 * x0_12; a2_0_13 += k2 * x0_13; a2_0_14 += k2 * x0_14; a2_0_15 += k2 * x0_15
                a3_0_0 += k3 * x0_0; a3_0_1 += k3 * x0_1; a3_0_2 += k3 * x0_2; a3_0_3 += k3 * x0_3; a3_0_4 += k3 * x0_4; a3_0_5 += k3 * x0_5; a3_0_6 += k3 * x0_6; a3_0_7 += k3 * x0_7; a3_0_8 += k3 * x0_8; a3_0_9 += k3 * x0_9; a3_0_10 += k3 * x0_10; a3_0_11 += k3 * x0_11; a3_0_12 += k3 * x0_12; a3_0_13 += k3 * x0_13; a3_0_14 += k3 * x0_14; a3_0_15 += k3 * x0_15
                a4_0_0 += k4 * x0_0; a4_0_1 += k4 * x0_1; a4_0_2 += k4 * x0_2; a4_0_3 += k4 * x0_3; a4_0_4 += k4 * x0_4; a4_0_5 += k4 * x0_5; a4_0_6 += k4 * x0_6; a4_0_7 += k4 * x0_7; a4_0_8 += k4 * x0_8; a4_0_9 += k4 * x0_9; a4_0_10 += k4 * x0_10; a4_0_11 += k4 * x0_11; a4_0_12 += k4 * x0_12; a4_0_13 += k4 * x0_13; a4_0_14 += k4 * x0_14; a4_0_15 += k4 * x0_15
                a5_0_0 += k5 * x0_0; a5_0_1 += k5 * x0_1; a5_0_2 += k5 * x0_2; a5_0_3 += k5 * x0_3; a5_0_4 += k5 * x0_4; a5_0_5 += k5 * x0_5; a5_0_6 += k5 * x0_6; a5_0_7 += k5 * x0_7; a5_0_8 += k5 * x0_8; a5_0_9 += k5 * x0_9; a5_0_10 += k5 * x0_10; a5_0_11 += k5 * x0_11; a5_0_12 += k5 * x0_12; a5_0_13 += k5 * x0_13; a5_0_14 += k5 * x0_14; a5_0_15 += k5 * x0_15
                a6_0_0 += k6 * x0_0; a6_0_1 += k6 * x0_1; a6_0_2 += k6 * x0_2; a6_0_3 += k6 * x0_3; a6_0_4 += k6 * x0_4; a6_0_5 += k6 * x0_5; a6_0_6 += k6 * x0_6; a6_0_7 += k6 * x0_7; a6_0_8 += k6 * x0_8; a6_0_9 += k6 * x0_9; a6_0_10 += k6 * x0_10; a6_0_11 += k6 * x0_11; a6_0_12 += k6 * x0_12; a6_0_13 += k6 * x0_13; a6_0_14 += k6 * x0_14; a6_0_15 += k6 * x0_15
                a7_0_0 += k7 * x0_0; a7_0_1 += k7 * x0_1; a7_0_2 += k7 * x0_2; a7_0_3 += k7 * x0_3; a7_0_4 += k7 * x0_4; a7_0_5 += k7 * x0_5; a7_0_6 += k7 * x0_6; a7_0_7 += k7 * x0_7; a7_0_8 += k7 * x0_8; a7_0_9 += k7 * x0_9; a7_0_10 += k7 * x0_10; a7_0_11 += k7 * x0_11; a7_0_12 += k7 * x0_12; a7_0_13 += k7 * x0_13; a7_0_14 += k7 * x0_14; a7_0_15 += k7 * x0_15
                a8_0_0 += k8 * x0_0; a8_0_1 += k8 * x0_1; a8_0_2 += k8 * x0_2; a8_0_3 += k8 * x0_3; a8_0_4 += k8 * x0_4; a8_0_5 += k8 * x0_5; a8_0_6 += k8 * x0_6; a8_0_7 += k8 * x0_7; a8_0_8 += k8 * x0_8; a8_0_9 += k8 * x0_9; a8_0_10 += k8 * x0_10; a8_0_11 += k8 * x0_11; a8_0_12 += k8 * x0_12; a8_0_13 += k8 * x0_13; a8_0_14 += k8 * x0_14; a8_0_15 += k8 * x0_15
                a9_0_0 += k9 * x0_0; a9_0_1 += k9 * x0_1; a9_0_2 += k9 * x0_2; a9_0_3 += k9 * x0_3; a9_0_4 += k9 * x0_4; a9_0_5 += k9 * x0_5; a9_0_6 += k9 * x0_6; a9_0_7 += k9 * x0_7; a9_0_8 += k9 * x0_8; a9_0_9 += k9 * x0_9; a9_0_10 += k9 * x0_10; a9_0_11 += k9 * x0_11; a9_0_12 += k9 * x0_12; a9_0_13 += k9 * x0_13; a9_0_14 += k9 * x0_14; a9_0_15 += k9 * x0_15
                a10_0_0 += k10 * x0_0; a10_0_1 += k10 * x0_1; a10_0_2 += k10 * x0_2; a10_0_3 += k10 * x0_3; a10_0_4 += k10 * x0_4; a10_0_5 += k10 * x0_5; a10_0_6 += k10 * x0_6; a10_0_7 += k10 * x0_7; a10_0_8 += k10 * x0_8; a10_0_9 += k10 * x0_9; a10_0_10 += k10 * x0_10; a10_0_11 += k10 * x0_11; a10_0_12 += k10 * x0_12; a10_0_13 += k10 * x0_13; a10_0_14 += k10 * x0_14; a10_0_15 += k10 * x0_15
                a11_0_0 += k11 * x0_0; a11_0_1 += k11 * x0_1; a11_0_2 += k11 * x0_2; a11_0_3 += k11 * x0_3; a11_0_4 += k11 * x0_4; a11_0_5 += k11 * x0_5; a11_0_6 += k11 * x0_6; a11_0_7 += k11 * x0_7; a11_0_8 += k11 * x0_8; a11_0_9 += k11 * x0_9; a11_0_10 += k11 * x0_10; a11_0_11 += k11 * x0_11; a11_0_12 += k11 * x0_12; a11_0_13 += k11 * x0_13; a11_0_14 += k11 * x0_14; a11_0_15 += k11 * x0_15
            if m0 + 0 < M:
                ob = _U(o0 + (m0 + 0) * P + p)
                if add:
                    o[ob + _U(0)] += a0_0_0; o[ob + _U(1)] += a0_0_1; o[ob + _U(2)] += a0_0_2; o[ob + _U(3)] += a0_0_3; o[ob + _U(4)] += a0_0_4; o[ob + _U(5)] += a0_0_5; o[ob + _U(6)] += a0_0_6; o[ob + _U(7)] += a0_0_7; o[ob + _U(8)] += a0_0_8; o[ob + _U(9)] += a0_0_9; o[ob + _U(10)] += a0_0_10; o[ob + _U(11)] += a0_0_11; o[ob + _U(12)] += a0_0_12; o[ob + _U(13)] += a0_0_13; o[ob + _U(14)] += a0_0_14; o[ob + _U(15)] += a0_0_15
                else:
                    o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7; o[ob + _U(8)] = a0_0_8; o[ob + _U(9)] = a0_0_9; o[ob + _U(10)] = a0_0_10; o[ob + _U(11)] = a0_0_11; o[ob + _U(12)] = a0_0_12; o[ob + _U(13)] = a0_0_13; o[ob + _U(14)] = a0_0_14; o[ob + _U(15)] = a0_0_15
            if m0 + 1 < M:
                ob = _U(o0 + (m0 + 1) * P + p)
                if add:
                    o[ob + _U(0)] += a1_0_0; o[ob + _U(1)] += a1_0_1; o[ob + _U(2)] += a1_0_2; o[ob + _U(3)] += a1_0_3; o[ob + _U(4)] += a1_0_4; o[ob + _U(5)] += a1_0_5; o[ob + _U(6)] += a1_0_6; o[ob + _U(7)] += a1_0_7; o[ob + _U(8)] += a1_0_8; o[ob + _U(9)] += a1_0_9; o[ob + _U(10)] += a1_0_10; o[ob + _U(11)] += a1_0_11; o[ob + _U(12)] += a1_0_12; o[ob + _U(13)] += a1_0_13; o[ob + _U(14)] += a1_0_14; o[ob + _U(15)] += a1_0_15
                else:
                    o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7; o[ob + _U(8)] = a1_0_8; o[ob + _U(9)] = a1_0_9; o[ob + _U(10)] = a1_0_10; o[ob + _U(11)] = a1_0_11; o[ob + _U(12)] = a1_0_12; o[ob + _U(13)] = a1_0_13; o[ob + _U(14)] = a1_0_14; o[ob + _U(15)] = a1_0_15
            if m0 + 2 < M:
                ob = _U(o0 + (m0 + 2) * P + p)
                if add:
                    o[ob + _U(0)] += a2_0_0; o[ob + _U(1)] += a2_0_1; o[ob + _U(2)] += a2_0_2; o[ob + _U(3)] += a2_0_3; o[ob + _U(4)] += a2_0_4; o[ob + _U(5)] += a2_0_5; o[ob + _U(6)] += a2_0_6; o[ob + _U(7)] += a2_0_7; o[ob + _U(8)] += a2_0_8; o[ob + _U(9)] += a2_0_9; o[ob + _U(10)] += a2_0_10; o[ob + _U(11)] += a2_0_11; o[ob + _U(12)] += a2_0_12; o[ob + _U(13)] += a2_0_13; o[ob + _U(14)] += a2_0_14; o[ob + _U(15)] += a2_0_15
                else:
                    o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7; o[ob + _U(8)] = a2_0_8; o[ob + _U(9)] = a2_0_9; o[ob + _U(10)] = a2_0_10; o[ob + _U(11)] = a2_0_11; o[ob + _U(12)] = a2_0_12; o[ob + _U(13)] = a2_0_13; o[ob + _U(14)] = a2_0_14; o[ob + _U(15)] = a2_0_15
            if m0 + 3 < M:
                ob = _U(o0 + (m0 + 3) * P + p)
                if add:
                    o[ob + _U(0)] += a3_0_0; o[ob + _U(1)] += a3_0_1; o[ob + _U(2)] += a3_0_2; o[ob + _U(3)] += a3_0_3; o[ob + _U(4)] += a3_0_4; o[ob + _U(5)] += a3_0_5; o[ob + _U(6)] += a3_0_6; o[ob + _U(7)] += a3_0_7; o[ob + _U(8)] += a3_0_8; o[ob + _U(9)] += a3_0_9; o[ob + _U(10)] += a3_0_10; o[ob + _U(11)] += a3_0_11; o[ob + _U(12)] += a3_0_12; o[ob + _U(13)] += a3_0_13; o[ob + _U(14)] += a3_0_14; o[ob + _U(15)] += a3_0_15
                else:
                    o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7; o[ob + _U(8)] = a3_0_8; o[ob + _U(9)] = a3_0_9; o[ob + _U(10)] = a3_0_10; o[ob + _U(11)] = a3_0_11; o[ob + _U(12)] = a3_0_12; o[ob + _U(13)] = a3_0_13; o[ob + _U(14)] = a3_0_14; o[ob + _U(15)] = a3_0_15
            if m0 + 4 < M:
                ob = _U(o0 + (m0 + 4) * P + p)
                if add:
                    o[ob + _U(0)] += a4_0_0; o[ob + _U(1)] += a4_0_1; o[ob + _U(2)] += a4_0_2; o[ob + _U(3)] += a4_0_3; o[ob + _U(4)] += a4_0_4; o[ob + _U(5)] += a4_0_5; o[ob + _U(6)] += a4_0_6; o[ob + _U(7)] += a4_0_7; o[ob + _U(8)] += a4_0_8; o[ob + _U(9)] += a4_0_9; o[ob + _U(10)] += a4_0_10; o[ob + _U(11)] += a4_0_11; o[ob + _U(12)] += a4_0_12; o[ob + _U(13)] += a4_0_13; o[ob + _U(14)] += a4_0_14; o[ob + _U(15)] += a4_0_15
                else:
                    o[ob + _U(0)] = a4_0_0; o[ob + _U(1)] = a4_0_1; o[ob + _U(2)] = a4_0_2; o[ob + _U(3)] = a4_0_3; o[ob + _U(4)] = a4_0_4; o[ob + _U(5)] = a4_0_5; o[ob + _U(6)] = a4_0_6; o[ob + _U(7)] = a4_0_7; o[ob + _U(8)] = a4_0_8; o[ob + _U(9)] = a4_0_9; o[ob + _U(10)] = a4_0_10; o[ob + _U(11)] = a4_0_11; o[ob + _U(12)] = a4_0_12; o[ob + _U(13)] = a4_0_13; o[ob + _U(14)] = a4_0_14; o[ob + _U(15)] = a4_0_15
            if m0 + 5 < M:
                ob = _U(o0 + (m0 + 5) * P + p)
                if add:
                    o[ob + _U(0)] += a5_0_0; o[ob + _U(1)] += a5_0_1; o[ob + _U(2)] += a5_0_2; o[ob + _U(3)] += a5_0_3; o[ob + _U(4)] += a5_0_4; o[ob + _U(5)] += a5_0_5; o[ob + _U(6)] += a5_0_6; o[ob + _U(7)] += a5_0_7; o[ob + _U(8)] += a5_0_8; o[ob + _U(9)] += a5_0_9; o[ob + _U(10)] += a5_0_10; o[ob + _U(11)] += a5_0_11; o[ob + _U(12)] += a5_0_12; o[ob + _U(13)] += a5_0_13; o[ob + _U(14)] += a5_0_14; o[ob + _U(15)] += a5_0_15
                else:
                    o[ob + _U(0)] = a5_0_0; o[ob + _U(1)] = a5_0_1; o[ob + _U(2)] = a5_0_2; o[ob + _U(3)] = a5_0_3; o[ob + _U(4)] = a5_0_4; o[ob + _U(5)] = a5_0_5; o[ob + _U(6)] = a5_0_6; o[ob + _U(7)] = a5_0_7; o[ob + _U(8)] = a5_0_8; o[ob + _U(9)] = a5_0_9; o[ob + _U(10)] = a5_0_10; o[ob + _U(11)] = a5_0_11; o[ob + _U(12)] = a5_0_12; o[ob + _U(13)] = a5_0_13; o[ob + _U(14)] = a5_0_14; o[ob + _U(15)] = a5_0_15
            if m0 + 6 < M:
                ob = _U(o0 + (m0 + 6) * P + p)
                if add:
                    o[ob + _U(0)] += a6_0_0; o[ob + _U(1)] += a6_0_1; o[ob + _U(2)] += a6_0_2; o[ob + _U(3)] += a6_0_3; o[ob + _U(4)] += a6_0_4; o[ob + _U(5)] += a6_0_5; o[ob + _U(6)] += a6_0_6; o[ob + _U(7)] += a6_0_7; o[ob + _U(8)] += a6_0_8; o[ob + _U(9)] += a6_0_9; o[ob + _U(10)] += a6_0_10; o[ob + _U(11)] += a6_0_11; o[ob + _U(12)] += a6_0_12; o[ob + _U(13)] += a6_0_13; o[ob + _U(14)] += a6_0_14; o[ob + _U(15)] += a6_0_15
                else:
                    o[ob + _U(0)] = a6_0_0; o[ob + _U(1)] = a6_0_1; o[ob + _U(2)] = a6_0_2; o[ob + _U(3)] = a6_0_3; o[ob + _U(4)] = a6_0_4; o[ob + _U(5)] = a6_0_5; o[ob + _U(6)] = a6_0_6; o[ob + _U(7)] = a6_0_7; o[ob + _U(8)] = a6_0_8; o[ob + _U(9)] = a6_0_9; o[ob + _U(10)] = a6_0_10; o[ob + _U(11)] = a6_0_11; o[ob + _U(12)] = a6_0_12; o[ob + _U(13)] = a6_0_13; o[ob + _U(14)] = a6_0_14; o[ob + _U(15)] = a6_0_15
            if m0 + 7 < M:
                ob = _U(o0 + (m0 + 7) * P + p)
                if add:
                    o[ob + _U(0)] += a7_0_0; o[ob + _U(1)] += a7_0_1; o[ob + _U(2)] += a7_0_2; o[ob + _U(3)] += a7_0_3; o[ob + _U(4)] += a7_0_4; o[ob + _U(5)] += a7_0_5; o[ob + _U(6)] += a7_0_6; o[ob + _U(7)] += a7_0_7; o[ob + _U(8)] += a7_0_8; o[ob + _U(9)] += a7_0_9; o[ob + _U(10)] += a7_0_10; o[ob + _U(11)] += a7_0_11; o[ob + _U(12)] += a7_0_12; o[ob + _U(13)] += a7_0_13; o[ob + _U(14)] += a7_0_14; o[ob + _U(15)] += a7_0_15
                else:
                    o[ob + _U(0)] = a7_0_0; o[ob + _U(1)] = a7_0_1; o[ob + _U(2)] = a7_0_2; o[ob + _U(3)] = a7_0_3; o[ob + _U(4)] = a7_0_4; o[ob + _U(5)] = a7_0_5; o[ob + _U(6)] = a7_0_6; o[ob + _U(7)] = a7_0_7; o[ob + _U(8)] = a7_0_8; o[ob + _U(9)] = a7_0_9; o[ob + _U(10)] = a7_0_10; o[ob + _U(11)] = a7_0_11; o[ob + _U(12)] = a7_0_12; o[ob + _U(13)] = a7_0_13; o[ob + _U(14)] = a7_0_14; o[ob + _U(15)] = a7_0_15
            if m0 + 8 < M:
                ob = _U(o0 + (m0 + 8) * P + p)
                if add:
                    o[ob + _U(0)] += a8_0_0; o[ob + _U(1)] += a8_0_1; o[ob + _U(2)] += a8_0_2; o[ob + _U(3)] += a8_0_3; o[ob + _U(4)] += a8_0_4; o[ob + _U(5)] += a8_0_5; o[ob + _U(6)] += a8_0_6; o[ob + _U(7)] += a8_0_7; o[ob + _U(8)] += a8_0_8; o[ob + _U(9)] += a8_0_9; o[ob + _U(10)] += a8_0_10; o[ob + _U(11)] += a8_0_11; o[ob + _U(12)] += a8_0_12; o[ob + _U(13)] += a8_0_13; o[ob + _U(14)] += a8_0_14; o[ob + _U(15)] += a8_0_15
                else:
                    o[ob + _U(0)] = a8_0_0; o[ob + _U(1)] = a8_0_1; o[ob + _U(2)] = a8_0_2; o[ob + _U(3)] = a8_0_3; o[ob + _U(4)] = a8_0_4; o[ob + _U(5)] = a8_0_5; o[ob + _U(6)] = a8_0_6; o[ob + _U(7)] = a8_0_7; o[ob + _U(8)] = a8_0_8; o[ob + _U(9)] = a8_0_9; o[ob + _U(10)] = a8_0_10; o[ob + _U(11)] = a8_0_11; o[ob + _U(12)] = a8_0_12; o[ob + _U(13)] = a8_0_13; o[ob + _U(14)] = a8_0_14; o[ob + _U(15)] = a8_0_15
            if m0 + 9 < M:
                ob = _U(o0 + (m0 + 9) * P + p)
                if add:
                    o[ob + _U(0)] += a9_0_0; o[ob + _U(1)] += a9_0_1; o[ob + _U(2)] += a9_0_2; o[ob + _U(3)] += a9_0_3; o[ob + _U(4)] += a9_0_4; o[ob + _U(5)] += a9_0_5; o[ob + _U(6)] += a9_0_6; o[ob + _U(7)] += a9_0_7; o[ob + _U(8)] += a9_0_8; o[ob + _U(9)] += a9_0_9; o[ob + _U(10)] += a9_0_10; o[ob + _U(11)] += a9_0_11; o[ob + _U(12)] += a9_0_12; o[ob + _U(13)] += a9_0_13; o[ob + _U(14)] += a9_0_14; o[ob + _U(15)] += a9_0_15
                else:
                    o[ob + _U(0)] = a9_0_0; o[ob + _U(1)] = a9_0_1; o[ob + _U(2)] = a9_0_2; o[ob + _U(3)] = a9_0_3; o[ob + _U(4)] = a9_0_4; o[ob + _U(5)] = a9_0_5; o[ob + _U(6)] = a9_0_6; o[ob + _U(7)] = a9_0_7; o[ob + _U(8)] = a9_0_8; o[ob + _U(9)] = a9_0_9; o[ob + _U(10)] = a9_0_10; o[ob + _U(11)] = a9_0_11; o[ob + _U(12)] = a9_0_12; o[ob + _U(13)] = a9_0_13; o[ob + _U(14)] = a9_0_14; o[ob + _U(15)] = a9_0_15
            if m0 + 10 < M:
                ob = _U(o0 + (m0 + 10) * P + p)
                if add:
                    o[ob + _U(0)] += a10_0_0; o[ob + _U(1)] += a10_0_1; o[ob + _U(2)] += a10_0_2; o[ob + _U(3)] += a10_0_3; o[ob + _U(4)] += a10_0_4; o[ob + _U(5)] += a10_0_5; o[ob + _U(6)] += a10_0_6; o[ob + _U(7)] += a10_0_7; o[ob + _U(8)] += a10_0_8; o[ob + _U(9)] += a10_0_9; o[ob + _U(10)] += a10_0_10; o[ob + _U(11)] += a10_0_11; o[ob + _U(12)] += a10_0_12; o[ob + _U(13)] += a10_0_13; o[ob + _U(14)] += a10_0_14; o[ob + _U(15)] += a10_0_15
                else:
                    o[ob + _U(0)] = a10_0_0; o[ob + _U(1)] = a10_0_1; o[ob + _U(2)] = a10_0_2; o[ob + _U(3)] = a10_0_3; o[ob + _U(4)] = a10_0_4; o[ob + _U(5)] = a10_0_5; o[ob + _U(6)] = a10_0_6; o[ob + _U(7)] = a10_0_7; o[ob + _U(8)] = a10_0_8; o[ob + _U(9)] = a10_0_9; o[ob + _U(10)] = a10_0_10; o[ob + _U(11)] = a10_0_11; o[ob + _U(12)] = a10_0_12; o[ob + _U(13)] = a10_0_13; o[ob + _U(14)] = a10_0_14; o[ob + _U(15)] = a10_0_15
            if m0 + 11 < M:
                ob = _U(o0 + (m0 + 11) * P + p)
                if add:
                    o[ob + _U(0)] += a11_0_0; o[ob + _U(1)] += a11_0_1; o[ob + _U(2)] += a11_0_2; o[ob + _U(3)] += a11_0_3; o[ob + _U(4)] += a11_0_4; o[ob + _U(5)] += a11_0_5; o[ob + _U(6)] += a11_0_6; o[ob + _U(7)] += a11_0_7; o[ob + _U(8)] += a11_0_8; o[ob + _U(9)] += a11_0_9; o[ob + _U(10)] += a11_0_10; o[ob + _U(11)] += a11_0_11; o[ob + _U(12)] += a11_0_12; o[ob + _U(13)] += a11_0_13; o[ob + _U(14)] += a11_0_14; o[ob + _U(15)] += a11_0_15
                else:
                    o[ob + _U(0)] = a11_0_0; o[ob + _U(1)] = a11_0_1; o[ob + _U(2)] = a11_0_2; o[ob + _U(3)] = a11_0_3; o[ob + _U(4)] = a11_0_4; o[ob + _U(5)] = a11_0_5; o[ob + _U(6)] = a11_0_6; o[ob + _U(7)] = a11_0_7; o[ob + _U(8)] = a11_0_8; o[ob + _U(9)] = a11_0_9; o[ob + _U(10)] = a11_0_10; o[ob + _U(11)] = a11_0_11; o[ob + _U(12)] = a11_0_12; o[ob + _U(13)] = a11_0_13; o[ob + _U(14)] = a11_0_14; o[ob + _U(15)] = a11_0_15

@njit(**_OPTIONS)
def _pointwise_block_64(a, a0, am, ak, x, x0, bias, o, o0, K, M, P, p0, p1, add):
    """o[o0 + m * P + p] = (o[...] + if add) bias[m] + the sum over k < K of
    a[a0 + m * am + k * ak] * x[x0 + k * P + p], for the rows m < M and the columns
    p0 <= p < p1 (p1 - p0 a multiple of 64); rows past M in a block read row M - 1."""
    for p in range(p0, p1, 64):
        for m0 in range(0, M, 6):
            r0 = min(m0 + 0, M - 1); r1 = min(m0 + 1, M - 1); r2 = min(m0 + 2, M - 1); r3 = min(m0 + 3, M - 1); r4 = min(m0 + 4, M - 1); r5 = min(m0 + 5, M - 1)
            w0 = _U(a0 + r0 * am); w1 = _U(a0 + r1 * am); w2 = _U(a0 + r2 * am); w3 = _U(a0 + r3 * am); w4 = _U(a0 + r4 * am); w5 = _U(a0 + r5 * am)
            bq = bias[r0]
            a0_0_0 = bq; a0_0_1 = bq; a0_0_2 = bq; a0_0_3 = bq; a0_0_4 = bq; a0_0_5 = bq; a0_0_6 = bq; a0_0_7 = bq; a0_0_8 = bq; a0_0_9 = bq; a0_0_10 = bq; a0_0_11 = bq; a0_0_12 = bq; a0_0_13 = bq; a0_0_14 = bq; a0_0_15 = bq
            a0_1_0 = bq; a0_1_1 = bq; a0_1_2 = bq; a0_1_3 = bq; a0_1_4 = bq; a0_1_5 = bq; a0_1_6 = bq; a0_1_7 = bq; a0_1_8 = bq; a0_1_9 = bq; a0_1_10 = bq; a0_1_11 = bq; a0_1_12 = bq; a0_1_13 = bq; a0_1_14 = bq; a0_1_15 = bq
            a0_2_0 = bq; a0_2_1 = bq; a0_2_2 = bq; a0_2_3 = bq; a0_2_4 = bq; a0_2_5 = bq; a0_2_6 = bq; a0_2_7 = bq; a0_2_8 = bq; a0_2_9 = bq; a0_2_10 = bq; a0_2_11 = bq; a0_2_12 = bq; a0_2_13 = bq; a0_2_14 = bq; a0_2_15 = bq
            a0_3_0 = bq; a0_3_1 = bq; a0_3_2 = bq; a0_3_3 = bq; a0_3_4 = bq; a0_3_5 = bq; a0_3_6 = bq; a0_3_7 = bq; a0_3_8 = bq; a0_3_9 = bq; a0_3_10 = bq; a0_3_11 = bq; a0_3_12 = bq; a0_3_13 = bq; a0_3_14 = bq; a0_3_15 = bq
            bq = bias[r1]
            a1_0_0 = bq; a1_0_1 = bq; a1_0_2 = bq; a1_0_3 = bq; a1_0_4 = bq; a1_0_5 = bq; a1_0_6 = bq; a1_0_7 = bq; a1_0_8 = bq; a1_0_9 = bq; a1_0_10 = bq; a1_0_11 = bq; a1_0_12 = bq; a1_0_13 = bq; a1_0_14 = bq; a1_0_15 = bq
            a1_1_0 = bq; a1_1_1 = bq; a1_1_2 = bq; a1_1_3 = bq; a1_1_4 = bq; a1_1_5 = bq; a1_1_6 = bq; a1_1_7 = bq; a1_1_8 = bq; a1_1_9 = bq; a1_1_10 = bq; a1_1_11 = bq; a1_1_12 = bq; a1_1_13 = bq; a1_1_14 = bq; a1_1_15 = bq
            a1_2_0 = bq; a1_2_1 = bq; a1_2_2 = bq; a1_2_3 = bq; a1_2_4 = bq; a1_2_5 = bq; a1_2_6 = bq; a1_2_7 = bq; a1_2_8 = bq; a1_2_9 = bq; a1_2_10 = bq; a1_2_11 = bq; a1_2_12 = bq; a1_2_13 = bq; a1_2_14 = bq; a1_2_15 = bq
            a1_3_0 = bq; a1_3_1 = bq; a1_3_2 = bq; a1_3_3 = bq; a1_3_4 = bq; a1_3_5 = bq; a1_3_6 = bq; a1_3_7 = bq; a1_3_8 = bq; a1_3_9 = bq; a1_3_10 = bq; a1_3_11 = bq; a1_3_12 = bq; a1_3_13 = bq; a1_3_14 = bq; a1_3_15 = bq
            bq = bias[r2]
            a2_0_0 = bq; a2_0_1 = bq; a2_0_2 = bq; a2_0_3 = bq; a2_0_4 = bq; a2_0_5 = bq; a2_0_6 = bq; a2_0_7 = bq; a2_0_8 = bq; a2_0_9 = bq; a2_0_10 = bq; a2_0_11 = bq; a2_0_12 = bq; a2_0_13 = bq; a2_0_14 = bq; a2_0_15 = bq
            a2_1_0 = bq; a2_1_1 = bq; a2_1_2 = bq; a2_1_3 = bq; a2_1_4 = bq; a2_1_5 = bq; a2_1_6 = bq; a2_1_7 = bq; a2_1_8 = bq; a2_1_9 = bq; a2_1_10 = bq; a2_1_11 = bq; a2_1_12 = bq; a2_1_13 = bq; a2_1_14 = bq; a2_1_15 = bq
            a2_2_0 = bq; a2_2_1 = bq; a2_2_2 = bq; a2_2_3 = bq; a2_2_4 = bq; a2_2_5 = bq; a2_2_6 = bq; a2_2_7 = bq; a2_2_8 = bq; a2_2_9 = bq; a2_2_10 = bq; a2_2_11 = bq; a2_2_12 = bq; a2_2_13 = bq; a2_2_14 = bq; a2_2_15 = bq
            a2_3_0 = bq; a2_3_1 = bq; a2_3_2 = bq; a2_3_3 = bq; a2_3_4 = bq; a2_3_5 = bq; a2_3_6 = bq; a2_3_7 = bq; a2_3_8 = bq; a2_3_9 = bq; a2_3_10 = bq; a2_3_11 = bq; a2_3_12 = bq; a2_3_13 = bq; a2_3_14 = bq; a2_3_15 = bq
            bq = bias[r3]
            a3_0_0 = bq; a3_0_1 = bq; a3_0_2 = bq; a3_0_3 = bq; a3_0_4 = bq; a3_0_5 = bq; a3_0_6 = bq; a3_0_7 = bq; a3_0_8 = bq; a3_0_9 = bq; a3_0_10 = bq; a3_0_11 = bq; a3_0_12 = bq; a3_0_13 = bq; a3_0_14 = bq; a3_0_15 = bq
            a3_1_0 = bq; a3_1_1 = bq; a3_1_2 = bq; a3_1_3 = bq; a3_1_4 = bq; a3_1_5 = bq; a3_1_6 = bq; a3_1_7 = bq; a3_1_8 = bq; a3_1_9 = bq; a3_1_10 = bq; a3_1_11 = bq; a3_1_12 = bq; a3_1_13 = bq; a3_1_14 = bq; a3_1_15 = bq
            a3_2_0 = bq; a3_2_1 = bq; a3_2_2 = bq; a3_2_3 = bq; a3_2_4 = bq; a3_2_5 = bq; a3_2_6 = bq; a3_2_7 = bq; a3_2_8 = bq; a3_2_9 = bq; a3_2_10 = bq; a3_2_11 = bq; a3_2_12 = bq; a3_2_13 = bq; a3_2_14 = bq; a3_2_15 = bq
            a3_3_0 = bq; a3_3_1 = bq; a3_3_2 = bq; a3_3_3 = bq; a3_3_4 = bq; a3_3_5 = bq; a3_3_6 = bq; a3_3_7 = bq; a3_3_8 = bq; a3_3_9 = bq; a3_3_10 = bq; a3_3_11 = bq; a3_3_12 = bq; a3_3_13 = bq; a3_3_14 = bq; a3_3_15 = bq
            bq = bias[r4]
            a4_0_0 = bq; a4_0_1 = bq; a4_0_2 = bq; a4_0_3 = bq; a4_0_4 = bq; a4_0_5 = bq; a4_0_6 = bq; a4_0_7 = bq; a4_0_8 = bq; a4_0_9 = bq; a4_0_10 = bq; a4_0_11 = bq; a4_0_12 = bq; a4_0_13 = bq; a4_0_14 = bq; a4_0_15 = bq
            a4_1_0 = bq; a4_1_1 = bq; a4_1_2 = bq; a4_1_3 = bq; a4_1_4 = bq; a4_1_5 = bq; a4_1_6 = bq; a4_1_7 = bq; a4_1_8 = bq; a4_1_9 = bq; a4_1_10 = bq; a4_1_11 = bq; a4_1_12 = bq; a4_1_13 = bq; a4_1_14 = bq; a4_1_15 = bq
            a4_2_0 = bq; a4_2_1 = bq; a4_2_2 = bq; a4_2_3 = bq; a4_2_4 = bq; a4_2_5 = bq; a4_2_6 = bq; a4_2_7 = bq; a4_2_8 = bq; a4_2_9 = bq; a4_2_10 = bq; a4_2_11 = bq; a4_2_12 = bq; a4_2_13 = bq; a4_2_14 = bq; a4_2_15 = bq
            a4_3_0 = bq; a4_3_1 = bq; a4_3_2 = bq; a4_3_3 = bq; a4_3_4 = bq; a4_3_5 = bq; a4_3_6 = bq; a4_3_7 = bq; a4_3_8 = bq; a4_3_9 = bq; a4_3_10 = bq; a4_3_11 = bq; a4_3_12 = bq; a4_3_13 = bq; a4_3_14 = bq; a4_3_15 = bq
            bq = bias[r5]
            a5_0_0 = bq; a5_0_1 = bq; a5_0_2 = bq; a5_0_3 = bq; a5_0_4 = bq; a5_0_5 = bq; a5_0_6 = bq; a5_0_7 = bq; a5_0_8 = bq; a5_0_9 = bq; a5_0_10 = bq; a5_0_11 = bq; a5_0_12 = bq; a5_0_13 = bq; a5_0_14 = bq; a5_0_15 = bq
            a5_1_0 = bq; a5_1_1 = bq; a5_1_2 = bq; a5_1_3 = bq; a5_1_4 = bq; a5_1_5 = bq; a5_1_6 = bq; a5_1_7 = bq; a5_1_8 = bq; a5_1_9 = bq; a5_1_10 = bq; a5_1_11 = bq; a5_1_12 = bq; a5_1_13 = bq; a5_1_14 = bq; a5_1_15 = bq
            a5_2_0 = bq; a5_2_1 = bq; a5_2_2 = bq; a5_2_3 = bq; a5_2_4 = bq; a5_2_5 = bq; a5_2_6 = bq; a5_2_7 = bq; a5_2_8 = bq; a5_2_9 = bq; a5_2_10 = bq; a5_2_11 = bq; a5_2_12 = bq; a5_2_13 = bq; a5_2_14 = bq; a5_2_15 = bq
            a5_3_0 = bq; a5_3_1 = bq; a5_3_2 = bq; a5_3_3 = bq; a5_3_4 = bq; a5_3_5 = bq; a5_3_6 = bq; a5_3_7 = bq; a5_3_8 = bq; a5_3_9 = bq; a5_3_10 = bq; a5_3_11 = bq; a5_3_12 = bq; a5_3_13 = bq; a5_3_14 = bq; a5_3_15 = bq
            for k in range(K):
                xb = _U(x0 + k * P + p)
                kk = _U(k * ak)
                k0 = a[w0 + kk]; k1 = a[w1 + kk]; k2 = a[w2 + kk]; k3 = a[w3 + kk]; k4 = a[w4 + kk]; k5 = a[w5 + kk]
                x0_0 = x[xb + _U(0)]; x0_1 = x[xb + _U(1)]; x0_2 = x[xb + _U(2)]; x0_3 = x[xb + _U(3)]; x0_4 = x[xb + _U(4)]; x0_5 = x[xb + _U(5)]; x0_6 = x[xb + _U(6)]; x0_7 = x[xb + _U(7)]; x0_8 = x[xb + _U(8)]; x0_9 = x[xb + _U(9)]; x0_10 = x[xb + _U(10)]; x0_11 = x[xb + _U(11)]; x0_12 = x[xb + _U(12)]; x0_13 = x[xb + _U(13)]; x0_14 = x[xb + _U(14)]; x0_15 = x[xb + _U(15)]
                a0_0_0 += k0 * x0_0; a0_0_1 += k0 * x0_1; a0_0_2 += k0 * x0_2; a0_0_3 += k0 * x0_3; a0_0_4 += k0 * x0_4; a0_0_5 += k0 * x0_5; a0_0_6 += k0 * x0_6; a0_0_7 += k0 * x0_7; a0_0_8 += k0 * x0_8; a0_0_9 += k0 * x0_9; a0_0_10 += k0 * x0_10; a0_0_11 += k0 * x0_11; a0_0_12 += k0 * x0_12; a0_0_13 += k0 * x0_13; a0_0_14 += k0 * x0_14; a0_0_15 += k0 * x0_15
                a1_0_0 += k1 * x0_0; a1_0_1 += k1 * x0_1; a1_0_2 += k1 * x0_2; a1_0_3 += k1 * x0_3; a1_0_4 += k1 * x0_4; a1_0_5 += k1 * x0_5; a1_0_6 += k1 * x0_6; a1_0_7 += k1 * x0_7; a1_0_8 += k1 * x0_8; a1_0_9 += k1 * x0_9; a1_0_10 += k1 * x0_10; a1_0_11 += k1 * x0_11; a1_0_12 += k1 * x0_12; a1_0_13 += k1 * x0_13; a1_0_14 += k1 * x0_14; a1_0_15 += k1 * x0_15
                a2_0_0 += k2 * x0_0; a2_0_1 += k2 * x0_1; a2_0_2 += k2 * x0_2; a2_0_3 += k2 * x0_3; a2_0_4 += k2 * x0_4; a2_0_5 += k2 * x0_5; a2_0_6 += k2 * x0_6; a2_0_7 += k2 * x0_7; a2_0_8 += k2 * x0_8; a2_0_9 += k2 * x0_9; a2_0_10 += k2 * x0_10; a2_0_11 += k2 * x0_11; a2_0_12 += k2 * x0_12; a2_0_13 += k2 * x0_13; a2_0_14 += k2 * x0_14; a2_0_15 += k2 * x0_15
                a3_0_0 += k3 * x0_0; a3_0_1 += k3 * x0_1; a3_0_2 += k3 * x0_2; a3_0_3 += k3 * x0_3; a3_0_4 += k3 * x0_4; a3_0_5 += k3 * x0_5; a3_0_6 += k3 * x0_6; a3_0_7 += k3 * x0_7; a3_0_8 += k3 * x0_8; a3_0_9 += k3 * x0_9; a3_0_10 += k3 * x0_10; a3_0_11 += k3 * x0_11; a3_0_12 += k3 * x0_12; a3_0_13 += k3 * x0_13; a3_0_14 += k3 * x0_14; a3_0_15 += k3 * x0_15
                a4_0_0 += k4 * x0_0; a4_0_1 += k4 * x0_1; a4_0_2 += k4 * x0_2; a4_0_3 += k4 * x0_3; a4_0_4 += k4 * x0_4; a4_0_5 += k4 * x0_5; a4_0_6 += k4 * x0_6; a4_0_7 += k4 * x0_7; a4_0_8 += k4 * x0_8; a4_0_9 += k4 * x0_9; a4_0_10 += k4 * x0_10; a4_0_11 += k4 * x0_11; a4_0_12 += k4 * x0_12; a4_0_13 += k4 * x0_13; a4_0_14 += k4 * x0_14; a4_0_15 += k4 * x0_15
                a5_0_0 += k5 * x0_0; a5_0_1 += k5 * x0_1; a5_0_2 += k5 * x0_2; a5_0_3 += k5 * x0_3; a5_0_4 += k5 * x0_4; a5_0_5 += k5 * x0_5; a5_0_6 += k5 * x0_6; a5_0_7 += k5 * x0_7; a5_0_8 += k5 * x0_8; a5_0_9 += k5 * x0_9; a5_0_10 += k5 * x0_10; a5_0_11 += k5 * x0_11; a5_0_12 += k5 * x0_12; a5_0_13 += k5 * x0_13; a5_0_14 += k5 * x0_14; a5_0_15 += k5 * x0_15
                x1_0 = x[xb + _U(16)]; x1_1 = x[xb + _U(17)]; x1_2 = x[xb + _U(18)]; x1_3 = x[xb + _U(19)]; x1_4 = x[xb + _U(20)]; x1_5 = x[xb + _U(21)]; x1_6 = x[xb + _U(22)]; x1_7 = x[xb + _U(23)]; x1_8 = x[xb + _U(24)]; x1_9 = x[xb + _U(25)]; x1_10 = x[xb + _U(26)]; x1_11 = x[xb + _U(27)]; x1_12 = x[xb + _U(28)]; x1_13 = x[xb + _U(29)]; x1_14 = x[xb + _U(30)]; x1_15 = x[xb + _U(31)]
                a0_1_0 += k0 * x1_0; a0_1_1 += k0 * x1_1; a0_1_2 += k0 * x1_2; a0_1_3 += k0 * x1_3; a0_1_4 += k0 * x1_4; a0_1_5 += k0 * x1_5; a0_1_6 += k0 * x1_6; a0_1_7 += k0 * x1_7; a0_1_8 += k0 * x1_8; a0_1_9 += k0 * x1_9; a0_1_10 += k0 * x1_10; a0_1_11 += k0 * x1_11; a0_1_12 += k0 * x1_12; a0_1_13 += k0 * x1_13; a0_1_14 += k0 * x1_14; a0_1_15 += k0 * x1_15
                a1_1_0 += k1 * x1_0; a1_1_1 += k1 * x1_1; a1_1_2 += k1 * x1_2; a1_1_3 += k1 * x1_3; a1_1_4 += k1 * x1_4; a1_1_5 += k1 * x1_5; a1_1_6 += k1 * x1_6; a1_1_7 += k1 * x1_7; a1_1_8 += k1 * x1_8; a1_1_9 += k1 * x1_9; a1_1_10 += k1 * x1_10; a1_1_11 += k1 * x1_11; a1_1_12 += k1 * x1_12; a1_1_13 += k1 * x1_13; a1_1_14 += k1 * x1_14; a1_1_15 += k1 * x1_15
                a2_1_0 += k2 * x1_0; a2_1_1 += k2 * x1_1; a2_1_2 += k2 * x1_2; a2_1_3 += k2 * x1_3; a2_1_4 += k2 * x1_4; a2_1_5 += k2 * x1_5; a2_1_6 += k2 * x1_6; a2_1_7 += k2 * x1_7; a2_1_8 += k2 * x1_8; a2_1_9 += k2 * x1_9; a2_1_10 += k2 * x1_10; a2_1_11 += k2 * x1_11; a2_1_12 += k2 * x1_12; a2_1_13 += k2 * x1_13; a2_1_14 += k2 * x1_14; a2_1_15 += k2 * x1_15
                a3_1_0 += k3 * x1_0; a3_1_1 += k3 * x1_1; a3_1_2 += k3 * x1_2; a3_1_3 += k3 * x1_3; a3_1_4 += k3 * x1_4; a3_1_5 += k3 * x1_5; a3_1_6 += k3 * x1_6; a3_1_7 += k3 * x1_7; a3_1_8 += k3 * x1_8; a3_1_9 += k3 * x1_9; a3_1_10 += k3 * x1_10; a3_1_11 += k3 * x1_11; a3_1_12 += k3 * x1_12; a3_1_13 += k3 * x1_13; a3_1_14 += k3 * x1_14; a3_1_15 += k3 * x1_15
                a4_1_0 += k4 * x1_0; a4_1_1 += k4 * x1_1; a4_1_2 += k4 * x1_2; a4_1_3 += k4 * x1_3; a4_1_4 += k4 * x1_4; a4_1_5 += k4 * x1_5; a4_1_6 += k4 * x1_6; a4_1_7 += k4 * x1_7; a4_1_8 += k4 * x1_8; a4_1_9 += k4 * x1_9; a4_1_10 += k4 * x1_10; a4_1_11 += k4 * x1_11; a4_1_12 += k4 * x1_12; a4_1_13 += k4 * x1_13; a4_1_14 += k4 * x1_14; a4_1_15 += k4 * x1_15
                a5_1_0 += k5 * x1_0; a5_1_1 += k5 * x1_1; a5_1_2 += k5 * x1_2; a5_1_3 += k5 * x1_3; a5_1_4 += k5 * x1_4; a5_1_5 += k5 * x1_5; a5_1_6 += k5 * x1_6; a5_1_7 += k5 * x1_7; a5_1_8 += k5 * x1_8; a5_1_9 += k5 * x1_9; a5_1_10 += k5 * x1_10; a5_1_11 += k5 * x1_11; a5_1_12 += k5 * x1_12; a5_1_13 += k5 * x1_13; a5_1_14 += k5 * x1_14; a5_1_15 += k5 * x1_15
                x2_0 = x[xb + _U(32)]; x2_1 = x[xb + _U(33)]; x2_2 = x[xb + _U(34)]; x2_3 = x[xb + _U(35)]; x2_4 = x[xb + _U(36)]; x2_5 = x[xb + _U(37)]; x2_6 = x[xb + _U(38)]; x2_7 = x[xb + _U(39)]; x2_8 = x[xb + _U(40)]; x2_9 = x[xb + _U(41)]; x2_10 = x[xb + _U(42)]; x2_11 = x[xb + _U(43)]; x2_12 = x[xb + _U(44)]; x2_13 = x[xb + _U(45)]; x2_14 = x[xb + _U(46)]; x2_15 = x[xb + _U(47)]
                a0_2_0 += k0 * x2_0; a0_2_1 += k0 * x2_1; a0_2_2 += k0 * x2_2; a0_2_3 += k0 * x2_3; a0_2_4 += k0 * x2_4; a0_2_5 += k0 * x2_5; a0_2_6 += k0 * x2_6; a0_2_7 += k0 * x2_7; a0_2_8 += k0 * x2_8; a0_2_9 += k0 * x2_9; a0_2_10 += k0 * x2_10; a0_2_11 += k0 * x2_11; a0_2_12 += k0 * x2_12; a0_2_13 += k0 * x2_13; a0_2_14 += k0 * x2_14; a0_2_15 += k0 * x2_15
                a1_2_0 += k1 * x2_0; a1_2_1 += k1 * x2_1; a1_2_2 += k1 * x2_2; a1_2_3 += k1 * x2_3; a1_2_4 += k1 * x2_4; a1_2_5 += k1 * x2_5; a1_2_6 += k1 * x2_6; a1_2_7 += k1 * x2_7; a1_2_8 += k1 * x2_8; a1_2_9 += k1 * x2_9; a1_2_10 += k1 * x2_10; a1_2_11 += k1 * x2_11; a1_2_12 += k1 * x2_12; a1_2_13 += k1 * x2_13; a1_2_14 += k1 * x2_14; a1_2_15 += k1 * x2_15
                a2_2_0 += k2 * x2_0; a2_2_1 += k2 * x2_1; a2_2_2 += k2 * x2_2; a2_2_3 += k2 * x2_3; a2_2_4 += k2 * x2_4; a2_2_5 += k2 * x2_5; a2_2_6 += k2 * x2_6; a2_2_7 += k2 * x2_7; a2_2_8 += k2 * x2_8; a2_2_9 += k2 * x2_9; a2_2_10 += k2 * x2_10; a2_2_11 += k2 * x2_11; a2_2_12 += k2 * x2_12; a2_2_13 += k2 * x2_13; a2_2_14 += k2 * x2_14; a2_2_15 += k2 * x2_15
                a3_2_0 += k3 * x2_0; a3_2_1 += k3 * x2_1; a3_2_2 += k3 * x2_2; a3_2_3 += k3 * x2_3; a3_2_4 += k3 * x2_4; a3_2_5 += k3 * x2_5; a3_2_6 += k3 * x2_6; a3_2_7 += k3 * x2_7; a3_2_8 += k3 * x2_8; a3_2_9 += k3 * x2_9; a3_2_10 += k3 * x2_10; a3_2_11 += k3 * x2_11; a3_2_12 += k3 * x2_12; a3_2_13 += k3 * x2_13; a3_2_14 += k3 * x2_14; a3_2_15 += k3 * x2_15
                a4_2_0 += k4 * x2_0; a4_2_1 += k4 * x2_1; a4_2_2 += k4 * x2_2; a4_2_3 += k4 * x2_3; a4_2_4 += k4 * x2_4; a4_2_5 += k4 * x2_5; a4_2_6 += k4 * x2_6; a4_2_7 += k4 * x2_7; a4_2_8 += k4 * x2_8; a4_2_9 += k4 * x2_9; a4_2_10 += k4 * x2_10; a4_2_11 += k4 * x2_11; a4_2_12 += k4 * x2_12; a4_2_13 += k4 * x2_13; a4_2_14 += k4 * x2_14; a4_2_15 += k4 * x2_15
                a5_2_0 += k5 * x2_0; a5_2_1 += k5 * x2_1; a5_2_2 += k5 * x2_2; a5_2_3 += k5 * x2_3; a5_2_4 += k5 * x2_4; a5_2_5 += k5 * x2_5; a5_2_6 += k5 * x2_6; a5_2_7 += k5 * x2_7; a5_2_8 += k5 * x2_8; a5_2_9 += k5 * x2_9; a5_2_10 += k5 * x2_10; a5_2_11 += k5 * x2_11; a5_2_12 += k5 * x2_12; a5_2_13 += k5 * x2_13; a5_2_14 += k5 * x2_14; a5_2_15 += k5 * x2_15
                x3_0 = x[xb + _U(48)]; x3_1 = x[xb + _U(49)]; x3_2 = x[xb + _U(50)]; x3_3 = x[xb + _U(51)]; x3_4 = x[xb + _U(52)]; x3_5 = x[xb + _U(53)]; x3_6 = x[xb + _U(54)]; x3_7 = x[xb + _U(55)]; x3_8 = x[xb + _U(56)]; x3_9 = x[xb + _U(57)]; x3_10 = x[xb + _U(58)]; x3_11 = x[xb + _U(59)]; x3_12 = x[xb + _U(60)]; x3_13 = x[xb + _U(61)]; x3_14 = x[xb + _U(62)]; x3_15 = x[xb + _U(63)]
                a0_3_0 += k0 * x3_0; a0_3_1 += k0 * x3_1; a0_3_2 += k0 * x3_2; a0_3_3 += k0 * x3_3; a0_3_4 += k0 * x3_4; a0_3_5 += k0 * x3_5; a0_3_6 += k0 * x3_6; a0_3_7 += k0 * x3_7; a0_3_8 += k0 * x3_8; a0_3_9 += k0 * x3_9; a0_3_10 += k0 * x3_10; a0_3_11 += k0 * x3_11; a0_3_12 += k0 * x3_12; a0_3_13 += k0 * x3_13; a0_3_14 += k0 * x3_14; a0_3_15 += k0 * x3_15
                a1_3_0 += k1 * x3_0; a1_3_1 += k1 * x3_1; a1_3_2 += k1 * x3_2; a1_3_3 += k1 * x3_3; a1_3_4 += k1 * x3_4; a1_3_5 += k1 * x3_5; a1_3_6 += k1 * x3_6; a1_3_7 += k1 * x3_7; a1_3_8 += k1 * x3_8; a1_3_9 += k1 * x3_9; a1_3_10 += k1 * x3_10; a1_3_11 += k1 * x3_11; a1_3_12 += k1 * x3_12; a1_3_13 += k1 * x3_13; a1_3_14 += k1 * x3_14; a1_3_15 += k1 * x3_15
                a2_3_0 += k2 * x3_0; a2_3_1 += k2 * x3_1; a2_3_2 += k2 * x3_2; a2_3_3 += k2 * x3_3; a2_3_4 += k2 * x3_4; a2_3_5 += k2 * x3_5; a2_3_6 += k2 * x3_6; a2_3_7 += k2 * x3_7; a2_3_8 += k2 * x3_8; a2_3_9 += k2 * x3_9; a2_3_10 += k2 * x3_10; a2_3_11 += k2 * x3_11; a2_3_12 += k2 * x3_12; a2_3_13 += k2 * x3_13; a2_3_14 += k2 * x3_14; a2_3_15 += k2 * x3_15
                a3_3_0 += k3 * x3_0; a3_3_1 += k3 * x3_1; a3_3_2 += k3 * x3_2; a3_3_3 += k3 * x3_3; a3_3_4 += k3 * x3_4; a3_3_5 += k3 * x3_5; a3_3_6 += k3 * x3_6; a3_3_7 += k3 * x3_7; a3_3_8 += k3 * x3_8; a3_3_9 += k3 * x3_9; a3_3_10 += k3 * x3_10; a3_3_11 += k3 * x3_11; a3_3_12 += k3 * x3_12; a3_3_13 += k3 * x3_13; a3_3_14 += k3 * x3_14; a3_3_15 += k3 * x3_15
                a4_3_0 += k4 * x3_0; a4_3_1 += k4 * x3_1; a4_3_2 += k4 * x3_2; a4_3_3 += k4 * x3_3; a4_3_4 += k4 * x3_4; a4_3_5 += k4 * x3_5; a4_3_6 += k4 * x3_6; a4_3_7 += k4 * x3_7; a4_3_8 += k4 * x3_8; a4_3_9 += k4 * x3_9; a4_3_10 += k4 * x3_10; a4_3_11 += k4 * x3_11; a4_3_12 += k4 * x3_12; a4_3_13 += k4 * x3_13; a4_3_14 += k4 * x3_14; a4_3_15 += k4 * x3_15
                a5_3_0 += k5 * x3_0; a5_3_1 += k5 * x3_1; a5_3_2 += k5 * x3_2; a5_3_3 += k5 * x3_3; a5_3_4 += k5 * x3_4; a5_3_5 += k5 * x3_5; a5_3_6 += k5 * x3_6; a5_3_7 += k5 * x3_7; a5_3_8 += k5 * x3_8; a5_3_9 += k5 * x3_9; a5_3_10 += k5 * x3_10; a5_3_11 += k5 * x3_11; a5_3_12 += k5 * x3_12; a5_3_13 += k5 * x3_13; a5_3_14 += k5 * x3_14; a5_3_15 += k5 * x3_15
            if m0 + 0 < M:
                ob = _U(o0 + (m0 + 0) * P + p)
                if add:
                    o[ob + _U(0)] += a0_0_0; o[ob + _U(1)] += a0_0_1; o[ob + _U(2)] += a0_0_2; o[ob + _U(3)] += a0_0_3; o[ob + _U(4)] += a0_0_4; o[ob + _U(5)] += a0_0_5; o[ob + _U(6)] += a0_0_6; o[ob + _U(7)] += a0_0_7; o[ob + _U(8)] += a0_0_8; o[ob + _U(9)] += a0_0_9; o[ob + _U(10)] += a0_0_10; o[ob + _U(11)] += a0_0_11; o[ob + _U(12)] += a0_0_12; o[ob + _U(13)] += a0_0_13; o[ob + _U(14)] += a0_0_14; o[ob + _U(15)] += a0_0_15
                    o[ob + _U(16)] += a0_1_0; o[ob + _U(17)] += a0_1_1; o[ob + _U(18)] += a0_1_2; o[ob + _U(19)] += a0_1_3; o[ob + _U(20)] += a0_1_4; o[ob + _U(21)] += a0_1_5; o[ob + _U(22)] += a0_1_6; o[ob + _U(23)] += a0_1_7; o[ob + _U(24)] += a0_1_8; o[ob + _U(25)] += a0_1_9; o[ob + _U(26)] += a0_1_10; o[ob + _U(27)] += a0_1_11; o[ob + _U(28)] += a0_1_12; o[ob + _U(29)] += a0_1_13; o[ob + _U(30)] += a0_1_14; o[ob + _U(31)] += a0_1_15
                    o[ob + _U(32)] += a0_2_0; o[ob + _U(33)] += a0_2_1; o[ob + _U(34)] += a0_2_2; o[ob + _U(35)] += a0_2_3; o[ob + _U(36)] += a0_2_4; o[ob + _U(37)] += a0_2_5; o[ob + _U(38)] += a0_2_6; o[ob + _U(39)] += a0_2_7; o[ob + _U(40)] += a0_2_8; o[ob + _U(41)] += a0_2_9; o[ob + _U(42)] += a0_2_10; o[ob + _U(43)] += a0_2_11; o[ob + _U(44)] += a0_2_12; o[ob + _U(45)] += a0_2_13; o[ob + _U(46)] += a0_2_14; o[ob + _U(47)] += a0_2_15
                    o[ob + _U(48)] += a0_3_0; o[ob + _U(49)] += a0_3_1; o[ob + _U(50)] += a0_3_2; o[ob + _U(51)] += a0_3_3; o[ob + _U(52)] += a0_3_4; o[ob + _U(53)] += a0_3_5; o[ob + _U(54)] += a0_3_6; o[ob + _U(55)] += a0_3_7; o[ob + _U(56)] += a0_3_8; o[ob + _U(57)] += a0_3_9; o[ob + _U(58)] += a0_3_10; o[ob + _U(59)] += a0_3_11; o[ob + _U(60)] += a0_3_12; o[ob + _U(61)] += a0_3_13; o[ob + _U(62)] += a0_3_14; o[ob + _U(63)] += a0_3_15
                else:
                    o[ob + _U(0)] = a0_0_0; o[ob + _U(1)] = a0_0_1; o[ob + _U(2)] = a0_0_2; o[ob + _U(3)] = a0_0_3; o[ob + _U(4)] = a0_0_4; o[ob + _U(5)] = a0_0_5; o[ob + _U(6)] = a0_0_6; o[ob + _U(7)] = a0_0_7; o[ob + _U(8)] = a0_0_8; o[ob + _U(9)] = a0_0_9; o[ob + _U(10)] = a0_0_10; o[ob + _U(11)] = a0_0_11; o[ob + _U(12)] = a0_0_12; o[ob + _U(13)] = a0_0_13; o[ob + _U(14)] = a0_0_14; o[ob + _U(15)] = a0_0_15
                    o[ob + _U(16)] = a0_1_0; o[ob + _U(17)] = a0_1_1; o[ob + _U(18)] = a0_1_2; o[ob + _U(19)] = a0_1_3; o[ob + _U(20)] = a0_1_4; o[ob + _U(21)] = a0_1_5; o[ob + _U(22)] = a0_1_6; o[ob + _U(23)] = a0_1_7; o[ob + _U(24)] = a0_1_8; o[ob + _U(25)] = a0_1_9; o[ob + _U(26)] = a0_1_10; o[ob + _U(27)] = a0_1_11; o[ob + _U(28)] = a0_1_12; o[ob + _U(29)] = a0_1_13; o[ob + _U(30)] = a0_1_14; o[ob + _U(31)] = a0_1_15
                    o[ob + _U(32)] = a0_2_0; o[ob + _U(33)] = a0_2_1; o[ob + _U(34)] = a0_2_2; o[ob + _U(35)] = a0_2_3; o[ob + _U(36)] = a0_2_4; o[ob + _U(37)] = a0_2_5; o[ob + _U(38)] = a0_2_6; o[ob + _U(39)] = a0_2_7; o[ob + _U(40)] = a0_2_8; o[ob + _U(41)] = a0_2_9; o[ob + _U(42)] = a0_2_10; o[ob + _U(43)] = a0_2_11; o[ob + _U(44)] = a0_2_12; o[ob + _U(45)] = a0_2_13; o[ob + _U(46)] = a0_2_14; o[ob + _U(47)] = a0_2_15
                    o[ob + _U(48)] = a0_3_0; o[ob + _U(49)] = a0_3_1; o[ob + _U(50)] = a0_3_2; o[ob + _U(51)] = a0_3_3; o[ob + _U(52)] = a0_3_4; o[ob + _U(53)] = a0_3_5; o[ob + _U(54)] = a0_3_6; o[ob + _U(55)] = a0_3_7; o[ob + _U(56)] = a0_3_8; o[ob + _U(57)] = a0_3_9; o[ob + _U(58)] = a0_3_10; o[ob + _U(59)] = a0_3_11; o[ob + _U(60)] = a0_3_12; o[ob + _U(61)] = a0_3_13; o[ob + _U(62)] = a0_3_14; o[ob + _U(63)] = a0_3_15
            if m0 + 1 < M:
                ob = _U(o0 + (m0 + 1) * P + p)
                if add:
                    o[ob + _U(0)] += a1_0_0; o[ob + _U(1)] += a1_0_1; o[ob + _U(2)] += a1_0_2; o[ob + _U(3)] += a1_0_3; o[ob + _U(4)] += a1_0_4; o[ob + _U(5)] += a1_0_5; o[ob + _U(6)] += a1_0_6; o[ob + _U(7)] += a1_0_7; o[ob + _U(8)] += a1_0_8; o[ob + _U(9)] += a1_0_9; o[ob + _U(10)] += a1_0_10; o[ob + _U(11)] += a1_0_11; o[ob + _U(12)] += a1_0_12; o[ob + _U(13)] += a1_0_13; o[ob + _U(14)] += a1_0_14; o[ob + _U(15)] += a1_0_15
                    o[ob + _U(16)] += a1_1_0; o[ob + _U(17)] += a1_1_1; o[ob + _U(18)] += a1_1_2; o[ob + _U(19)] += a1_1_3; o[ob + _U(20)] += a1_1_4; o[ob + _U(21)] += a1_1_5; o[ob + _U(22)] += a1_1_6; o[ob + _U(23)] += a1_1_7; o[ob + _U(24)] += a1_1_8; o[ob + _U(25)] += a1_1_9; o[ob + _U(26)] += a1_1_10; o[ob + _U(27)] += a1_1_11; o[ob + _U(28)] += a1_1_12; o[ob + _U(29)] += a1_1_13; o[ob + _U(30)] += a1_1_14; o[ob + _U(31)] += a1_1_15
                    o[ob + _U(32)] += a1_2_0; o[ob + _U(33)] += a1_2_1; o[ob + _U(34)] += a1_2_2; o[ob + _U(35)] += a1_2_3; o[ob + _U(36)] += a1_2_4; o[ob + _U(37)] += a1_2_5; o[ob + _U(38)] += a1_2_6; o[ob + _U(39)] += a1_2_7; o[ob + _U(40)] += a1_2_8; o[ob + _U(41)] += a1_2_9; o[ob + _U(42)] += a1_2_10; o[ob + _U(43)] += a1_2_11; o[ob + _U(44)] += a1_2_12; o[ob + _U(45)] += a1_2_13; o[ob + _U(46)] += a1_2_14; o[ob + _U(47)] += a1_2_15
                    o[ob + _U(48)] += a1_3_0; o[ob + _U(49)] += a1_3_1; o[ob + _U(50)] += a1_3_2; o[ob + _U(51)] += a1_3_3; o[ob + _U(52)] += a1_3_4; o[ob + _U(53)] += a1_3_5; o[ob + _U(54)] += a1_3_6; o[ob + _U(55)] += a1_3_7; o[ob + _U(56)] += a1_3_8; o[ob + _U(57)] += a1_3_9; o[ob + _U(58)] += a1_3_10; o[ob + _U(59)] += a1_3_11; o[ob + _U(60)] += a1_3_12; o[ob + _U(61)] += a1_3_13; o[ob + _U(62)] += a1_3_14; o[ob + _U(63)] += a1_3_15
                else:
                    o[ob + _U(0)] = a1_0_0; o[ob + _U(1)] = a1_0_1; o[ob + _U(2)] = a1_0_2; o[ob + _U(3)] = a1_0_3; o[ob + _U(4)] = a1_0_4; o[ob + _U(5)] = a1_0_5; o[ob + _U(6)] = a1_0_6; o[ob + _U(7)] = a1_0_7; o[ob + _U(8)] = a1_0_8; o[ob + _U(9)] = a1_0_9; o[ob + _U(10)] = a1_0_10; o[ob + _U(11)] = a1_0_11; o[ob + _U(12)] = a1_0_12; o[ob + _U(13)] = a1_0_13; o[ob + _U(14)] = a1_0_14; o[ob + _U(15)] = a1_0_15
                    o[ob + _U(16)] = a1_1_0; o[ob + _U(17)] = a1_1_1; o[ob + _U(18)] = a1_1_2; o[ob + _U(19)] = a1_1_3; o[ob + _U(20)] = a1_1_4; o[ob + _U(21)] = a1_1_5; o[ob + _U(22)] = a1_1_6; o[ob + _U(23)] = a1_1_7; o[ob + _U(24)] = a1_1_8; o[ob + _U(25)] = a1_1_9; o[ob + _U(26)] = a1_1_10; o[ob + _U(27)] = a1_1_11; o[ob + _U(28)] = a1_1_12; o[ob + _U(29)] = a1_1_13; o[ob + _U(30)] = a1_1_14; o[ob + _U(31)] = a1_1_15
                    o[ob + _U(32)] = a1_2_0; o[ob + _U(33)] = a1_2_1; o[ob + _U(34)] = a1_2_2; o[ob + _U(35)] = a1_2_3; o[ob + _U(36)] = a1_2_4; o[ob + _U(37)] = a1_2_5; o[ob + _U(38)] = a1_2_6; o[ob + _U(39)] = a1_2_7; o[ob + _U(40)] = a1_2_8; o[ob + _U(41)] = a1_2_9; o[ob + _U(42)] = a1_2_10; o[ob + _U(43)] = a1_2_11; o[ob + _U(44)] = a1_2_12; o[ob + _U(45)] = a1_2_13; o[ob + _U(46)] = a1_2_14; o[ob + _U(47)] = a1_2_15
                    o[ob + _U(48)] = a1_3_0; o[ob + _U(49)] = a1_3_1; o[ob + _U(50)] = a1_3_2; o[ob + _U(51)] = a1_3_3; o[ob + _U(52)] = a1_3_4; o[ob + _U(53)] = a1_3_5; o[ob + _U(54)] = a1_3_6; o[ob + _U(55)] = a1_3_7; o[ob + _U(56)] = a1_3_8; o[ob + _U(57)] = a1_3_9; o[ob + _U(58)] = a1_3_10; o[ob + _U(59)] = a1_3_11; o[ob + _U(60)] = a1_3_12; o[ob + _U(61)] = a1_3_13; o[ob + _U(62)] = a1_3_14; o[ob + _U(63)] = a1_3_15
            if m0 + 2 < M:
                ob = _U(o0 + (m0 + 2) * P + p)
                if add:
                    o[ob + _U(0)] += a2_0_0; o[ob + _U(1)] += a2_0_1; o[ob + _U(2)] += a2_0_2; o[ob + _U(3)] += a2_0_3; o[ob + _U(4)] += a2_0_4; o[ob + _U(5)] += a2_0_5; o[ob + _U(6)] += a2_0_6; o[ob + _U(7)] += a2_0_7; o[ob + _U(8)] += a2_0_8; o[ob + _U(9)] += a2_0_9; o[ob + _U(10)] += a2_0_10; o[ob + _U(11)] += a2_0_11; o[ob + _U(12)] += a2_0_12; o[ob + _U(13)] += a2_0_13; o[ob + _U(14)] += a2_0_14; o[ob + _U(15)] += a2_0_15
                    o[ob + _U(16)] += a2_1_0; o[ob + _U(17)] += a2_1_1; o[ob + _U(18)] += a2_1_2; o[ob + _U(19)] += a2_1_3; o[ob + _U(20)] += a2_1_4; o[ob + _U(21)] += a2_1_5; o[ob + _U(22)] += a2_1_6; o[ob + _U(23)] += a2_1_7; o[ob + _U(24)] += a2_1_8; o[ob + _U(25)] += a2_1_9; o[ob + _U(26)] += a2_1_10; o[ob + _U(27)] += a2_1_11; o[ob + _U(28)] += a2_1_12; o[ob + _U(29)] += a2_1_13; o[ob + _U(30)] += a2_1_14; o[ob + _U(31)] += a2_1_15
                    o[ob + _U(32)] += a2_2_0; o[ob + _U(33)] += a2_2_1; o[ob + _U(34)] += a2_2_2; o[ob + _U(35)] += a2_2_3; o[ob + _U(36)] += a2_2_4; o[ob + _U(37)] += a2_2_5; o[ob + _U(38)] += a2_2_6; o[ob + _U(39)] += a2_2_7; o[ob + _U(40)] += a2_2_8; o[ob + _U(41)] += a2_2_9; o[ob + _U(42)] += a2_2_10; o[ob + _U(43)] += a2_2_11; o[ob + _U(44)] += a2_2_12; o[ob + _U(45)] += a2_2_13; o[ob + _U(46)] += a2_2_14; o[ob + _U(47)] += a2_2_15
                    o[ob + _U(48)] += a2_3_0; o[ob + _U(49)] += a2_3_1; o[ob + _U(50)] += a2_3_2; o[ob + _U(51)] += a2_3_3; o[ob + _U(52)] += a2_3_4; o[ob + _U(53)] += a2_3_5; o[ob + _U(54)] += a2_3_6; o[ob + _U(55)] += a2_3_7; o[ob + _U(56)] += a2_3_8; o[ob + _U(57)] += a2_3_9; o[ob + _U(58)] += a2_3_10; o[ob + _U(59)] += a2_3_11; o[ob + _U(60)] += a2_3_12; o[ob + _U(61)] += a2_3_13; o[ob + _U(62)] += a2_3_14; o[ob + _U(63)] += a2_3_15
                else:
                    o[ob + _U(0)] = a2_0_0; o[ob + _U(1)] = a2_0_1; o[ob + _U(2)] = a2_0_2; o[ob + _U(3)] = a2_0_3; o[ob + _U(4)] = a2_0_4; o[ob + _U(5)] = a2_0_5; o[ob + _U(6)] = a2_0_6; o[ob + _U(7)] = a2_0_7; o[ob + _U(8)] = a2_0_8; o[ob + _U(9)] = a2_0_9; o[ob + _U(10)] = a2_0_10; o[ob + _U(11)] = a2_0_11; o[ob + _U(12)] = a2_0_12; o[ob + _U(13)] = a2_0_13; o[ob + _U(14)] = a2_0_14; o[ob + _U(15)] = a2_0_15
                    o[ob + _U(16)] = a2_1_0; o[ob + _U(17)] = a2_1_1; o[ob + _U(18)] = a2_1_2; o[ob + _U(19)] = a2_1_3; o[ob + _U(20)] = a2_1_4; o[ob + _U(21)] = a2_1_5; o[ob + _U(22)] = a2_1_6; o[ob + _U(23)] = a2_1_7; o[ob + _U(24)] = a2_1_8; o[ob + _U(25)] = a2_1_9; o[ob + _U(26)] = a2_1_10; o[ob + _U(27)] = a2_1_11; o[ob + _U(28)] = a2_1_12; o[ob + _U(29)] = a2_1_13; o[ob + _U(30)] = a2_1_14; o[ob + _U(31)] = a2_1_15
                    o[ob + _U(32)] = a2_2_0; o[ob + _U(33)] = a2_2_1; o[ob + _U(34)] = a2_2_2; o[ob + _U(35)] = a2_2_3; o[ob + _U(36)] = a2_2_4; o[ob + _U(37)] = a2_2_5; o[ob + _U(38)] = a2_2_6; o[ob + _U(39)] = a2_2_7; o[ob + _U(40)] = a2_2_8; o[ob + _U(41)] = a2_2_9; o[ob + _U(42)] = a2_2_10; o[ob + _U(43)] = a2_2_11; o[ob + _U(44)] = a2_2_12; o[ob + _U(45)] = a2_2_13; o[ob + _U(46)] = a2_2_14; o[ob + _U(47)] = a2_2_15
                    o[ob + _U(48)] = a2_3_0; o[ob + _U(49)] = a2_3_1; o[ob + _U(50)] = a2_3_2; o[ob + _U(51)] = a2_3_3; o[ob + _U(52)] = a2_3_4; o[ob + _U(53)] = a2_3_5; o[ob + _U(54)] = a2_3_6; o[ob + _U(55)] = a2_3_7; o[ob + _U(56)] = a2_3_8; o[ob + _U(57)] = a2_3_9; o[ob + _U(58)] = a2_3_10; o[ob + _U(59)] = a2_3_11; o[ob + _U(60)] = a2_3_12; o[ob + _U(61)] = a2_3_13; o[ob + _U(62)] = a2_3_14; o[ob + _U(63)] = a2_3_15
            if m0 + 3 < M:
                ob = _U(o0 + (m0 + 3) * P + p)
                if add:
                    o[ob + _U(0)] += a3_0_0; o[ob + _U(1)] += a3_0_1; o[ob + _U(2)] += a3_0_2; o[ob + _U(3)] += a3_0_3; o[ob + _U(4)] += a3_0_4; o[ob + _U(5)] += a3_0_5; o[ob + _U(6)] += a3_0_6; o[ob + _U(7)] += a3_0_7; o[ob + _U(8)] += a3_0_8; o[ob + _U(9)] += a3_0_9; o[ob + _U(10)] += a3_0_10; o[ob + _U(11)] += a3_0_11; o[ob + _U(12)] += a3_0_12; o[ob + _U(13)] += a3_0_13; o[ob + _U(14)] += a3_0_14; o[ob + _U(15)] += a3_0_15
                    o[ob + _U(16)] += a3_1_0; o[ob + _U(17)] += a3_1_1; o[ob + _U(18)] += a3_1_2; o[ob + _U(19)] += a3_1_3; o[ob + _U(20)] += a3_1_4; o[ob + _U(21)] += a3_1_5; o[ob + _U(22)] += a3_1_6; o[ob + _U(23)] += a3_1_7; o[ob + _U(24)] += a3_1_8; o[ob + _U(25)] += a3_1_9; o[ob + _U(26)] += a3_1_10; o[ob + _U(27)] += a3_1_11; o[ob + _U(28)] += a3_1_12; o[ob + _U(29)] += a3_1_13; o[ob + _U(30)] += a3_1_14; o[ob + _U(31)] += a3_1_15
                    o[ob + _U(32)] += a3_2_0; o[ob + _U(33)] += a3_2_1; o[ob + _U(34)] += a3_2_2; o[ob + _U(35)] += a3_2_3; o[ob + _U(36)] += a3_2_4; o[ob + _U(37)] += a3_2_5; o[ob + _U(38)] += a3_2_6; o[ob + _U(39)] += a3_2_7; o[ob + _U(40)] += a3_2_8; o[ob + _U(41)] += a3_2_9; o[ob + _U(42)] += a3_2_10; o[ob + _U(43)] += a3_2_11; o[ob + _U(44)] += a3_2_12; o[ob + _U(45)] += a3_2_13; o[ob + _U(46)] += a3_2_14; o[ob + _U(47)] += a3_2_15
                    o[ob + _U(48)] += a3_3_0; o[ob + _U(49)] += a3_3_1; o[ob + _U(50)] += a3_3_2; o[ob + _U(51)] += a3_3_3; o[ob + _U(52)] += a3_3_4; o[ob + _U(53)] += a3_3_5; o[ob + _U(54)] += a3_3_6; o[ob + _U(55)] += a3_3_7; o[ob + _U(56)] += a3_3_8; o[ob + _U(57)] += a3_3_9; o[ob + _U(58)] += a3_3_10; o[ob + _U(59)] += a3_3_11; o[ob + _U(60)] += a3_3_12; o[ob + _U(61)] += a3_3_13; o[ob + _U(62)] += a3_3_14; o[ob + _U(63)] += a3_3_15
                else:
                    o[ob + _U(0)] = a3_0_0; o[ob + _U(1)] = a3_0_1; o[ob + _U(2)] = a3_0_2; o[ob + _U(3)] = a3_0_3; o[ob + _U(4)] = a3_0_4; o[ob + _U(5)] = a3_0_5; o[ob + _U(6)] = a3_0_6; o[ob + _U(7)] = a3_0_7; o[ob + _U(8)] = a3_0_8; o[ob + _U(9)] = a3_0_9; o[ob + _U(10)] = a3_0_10; o[ob + _U(11)] = a3_0_11; o[ob + _U(12)] = a3_0_12; o[ob + _U(13)] = a3_0_13; o[ob + _U(14)] = a3_0_14; o[ob + _U(15)] = a3_0_15
                    o[ob + _U(16)] = a3_1_0; o[ob + _U(17)] = a3_1_1; o[ob + _U(18)] = a3_1_2; o[ob + _U(19)] = a3_1_3; o[ob + _U(20)] = a3_1_4; o[ob + _U(21)] = a3_1_5; o[ob + _U(22)] = a3_1_6; o[ob + _U(23)] = a3_1_7; o[ob + _U(24)] = a3_1_8; o[ob + _U(25)] = a3_1_9; o[ob + _U(26)] = a3_1_10; o[ob + _U(27)] = a3_1_11; o[ob + _U(28)] = a3_1_12; o[ob + _U(29)] = a3_1_13; o[ob + _U(30)] = a3_1_14; o[ob + _U(31)] = a3_1_15
                    o[ob + _U(32)] = a3_2_0; o[ob + _U(33)] = a3_2_1; o[ob + _U(34)] = a3_2_2; o[ob + _U(35)] = a3_2_3; o[ob + _U(36)] = a3_2_4; o[ob + _U(37)] = a3_2_5; o[ob + _U(38)] = a3_2_6; o[ob + _U(39)] = a3_2_7; o[ob + _U(40)] = a3_2_8; o[ob + _U(41)] = a3_2_9; o[ob + _U(42)] = a3_2_10; o[ob + _U(43)] = a3_2_11; o[ob + _U(44)] = a3_2_12; o[ob + _U(45)] = a3_2_13; o[ob + _U(46)] = a3_2_14; o[ob + _U(47)] = a3_2_15
                    o[ob + _U(48)] = a3_3_0; o[ob + _U(49)] = a3_3_1; o[ob + _U(50)] = a3_3_2; o[ob + _U(51)] = a3_3_3; o[ob + _U(52)] = a3_3_4; o[ob + _U(53)] = a3_3_5; o[ob + _U(54)] = a3_3_6; o[ob + _U(55)] = a3_3_7; o[ob + _U(56)] = a3_3_8; o[ob + _U(57)] = a3_3_9; o[ob + _U(58)] = a3_3_10; o[ob + _U(59)] = a3_3_11; o[ob + _U(60)] = a3_3_12; o[ob + _U(61)] = a3_3_13; o[ob + _U(62)] = a3_3_14; o[ob + _U(63)] = a3_3_15
            if m0 + 4 < M:
                ob = _U(o0 + (m0 + 4) * P + p)
                if add:
                    o[ob + _U(0)] += a4_0_0; o[ob + _U(1)] += a4_0_1; o[ob + _U(2)] += a4_0_2; o[ob + _U(3)] += a4_0_3; o[ob + _U(4)] += a4_0_4; o[ob + _U(5)] += a4_0_5; o[ob + _U(6)] += a4_0_6; o[ob + _U(7)] += a4_0_7; o[ob + _U(8)] += a4_0_8; o[ob + _U(9)] += a4_0_9; o[ob + _U(10)] += a4_0_10; o[ob + _U(11)] += a4_0_11; o[ob + _U(12)] += a4_0_12; o[ob + _U(13)] += a4_0_13; o[ob + _U(14)] += a4_0_14; o[ob + _U(15)] += a4_0_15
                    o[ob + _U(16)] += a4_1_0; o[ob + _U(17)] += a4_1_1; o[ob + _U(18)] += a4_1_2; o[ob + _U(19)] += a4_1_3; o[ob + _U(20)] += a4_1_4; o[ob + _U(21)] += a4_1_5; o[ob + _U(22)] += a4_1_6; o[ob + _U(23)] += a4_1_7; o[ob + _U(24)] += a4_1_8; o[ob + _U(25)] += a4_1_9; o[ob + _U(26)] += a4_1_10; o[ob + _U(27)] += a4_1_11; o[ob + _U(28)] += a4_1_12; o[ob + _U(29)] += a4_1_13; o[ob + _U(30)] += a4_1_14; o[ob + _U(31)] += a4_1_15
                    o[ob + _U(32)] += a4_2_0; o[ob + _U(33)] += a4_2_1; o[ob + _U(34)] += a4_2_2; o[ob + _U(35)] += a4_2_3; o[ob + _U(36)] += a4_2_4; o[ob + _U(37)] += a4_2_5; o[ob + _U(38)] += a4_2_6; o[ob + _U(39)] += a4_2_7; o[ob + _U(40)] += a4_2_8; o[ob + _U(41)] += a4_2_9; o[ob + _U(42)] += a4_2_10; o[ob + _U(43)] += a4_2_11; o[ob + _U(44)] += a4_2_12; o[ob + _U(45)] += a4_2_13; o[ob + _U(46)] += a4_2_14; o[ob + _U(47)] += a4_2_15
                    o[ob + _U(48)] += a4_3_0; o[ob + _U(49)] += a4_3_1; o[ob + _U(50)] += a4_3_2; o[ob + _U(51)] += a4_3_3; o[ob + _U(52)] += a4_3_4; o[ob + _U(53)] += a4_3_5; o[ob + _U(54)] += a4_3_6; o[ob + _U(55)] += a4_3_7; o[ob + _U(56)] += a4_3_8; o[ob + _U(57)] += a4_3_9; o[ob + _U(58)] += a4_3_10; o[ob + _U(59)] += a4_3_11; o[ob + _U(60)] += a4_3_12; o[ob + _U(61)] += a4_3_13; o[ob + _U(62)] += a4_3_14; o[ob + _U(63)] += a4_3_15
                else:
                    o[ob + _U(0)] = a4_0_0; o[ob + _U(1)] = a4_0_1; o[ob + _U(2)] = a4_0_2; o[ob + _U(3)] = a4_0_3; o[ob + _U(4)] = a4_0_4; o[ob + _U(5)] = a4_0_5; o[ob + _U(6)] = a4_0_6; o[ob + _U(7)] = a4_0_7; o[ob + _U(8)] = a4_0_8; o[ob + _U(9)] = a4_0_9; o[ob + _U(10)] = a4_0_10; o[ob + _U(11)] = a4_0_11; o[ob + _U(12)] = a4_0_12; o[ob + _U(13)] = a4_0_13; o[ob + _U(14)] = a4_0_14; o[ob + _U(15)] = a4_0_15
                    o[ob + _U(16)] = a4_1_0; o[ob + _U(17)] = a4_1_1; o[ob + _U(18)] = a4_1_2; o[ob + _U(19)] = a4_1_3; o[ob + _U(20)] = a4_1_4; o[ob + _U(21)] = a4_1_5; o[ob + _U(22)] = a4_1_6; o[ob + _U(23)] = a4_1_7; o[ob + _U(24)] = a4_1_8; o[ob + _U(25)] = a4_1_9; o[ob + _U(26)] = a4_1_10; o[ob + _U(27)] = a4_1_11; o[ob + _U(28)] = a4_1_12; o[ob + _U(29)] = a4_1_13; o[ob + _U(30)] = a4_1_14; o[ob + _U(31)] = a4_1_15
                    o[ob + _U(32)] = a4_2_0; o[ob + _U(33)] = a4_2_1; o[ob + _U(34)] = a4_2_2; o[ob + _U(35)] = a4_2_3; o[ob + _U(36)] = a4_2_4; o[ob + _U(37)] = a4_2_5; o[ob + _U(38)] = a4_2_6; o[ob + _U(39)] = a4_2_7; o[ob + _U(40)] = a4_2_8; o[ob + _U(41)] = a4_2_9; o[ob + _U(42)] = a4_2_10; o[ob + _U(43)] = a4_2_11; o[ob + _U(44)] = a4_2_12; o[ob + _U(45)] = a4_2_13; o[ob + _U(46)] = a4_2_14; o[ob + _U(47)] = a4_2_15
                    o[ob + _U(48)] = a4_3_0; o[ob + _U(49)] = a4_3_1; o[ob + _U(50)] = a4_3_2; o[ob + _U(51)] = a4_3_3; o[ob + _U(52)] = a4_3_4; o[ob + _U(53)] = a4_3_5; o[ob + _U(54)] = a4_3_6; o[ob + _U(55)] = a4_3_7; o[ob + _U(56)] = a4_3_8; o[ob + _U(57)] = a4_3_9; o[ob + _U(58)] = a4_3_10; o[ob + _U(59)] = a4_3_11; o[ob + _U(60)] = a4_3_12; o[ob + _U(61)] = a4_3_13; o[ob + _U(62)] = a4_3_14; o[ob + _U(63)] = a4_3_15
            if m0 + 5 < M:
                ob = _U(o0 + (m0 + 5) * P + p)
                if add:
                    o[ob + _U(0)] += a5_0_0; o[ob + _U(1)] += a5_0_1; o[ob + _U(2)] += a5_0_2; o[ob + _U(3)] += a5_0_3; o[ob + _U(4)] += a5_0_4; o[ob + _U(5)] += a5_0_5; o[ob + _U(6)] += a5_0_6; o[ob + _U(7)] += a5_0_7; o[ob + _U(8)] += a5_0_8; o[ob + _U(9)] += a5_0_9; o[ob + _U(10)] += a5_0_10; o[ob + _U(11)] += a5_0_11; o[ob + _U(12)] += a5_0_12; o[ob + _U(13)] += a5_0_13; o[ob + _U(14)] += a5_0_14; o[ob + _U(15)] += a5_0_15
                    o[ob + _U(16)] += a5_1_0; o[ob + _U(17)] += a5_1_1; o[ob + _U(18)] += a5_1_2; o[ob + _U(19)] += a5_1_3; o[ob + _U(20)] += a5_1_4; o[ob + _U(21)] += a5_1_5; o[ob + _U(22)] += a5_1_6; o[ob + _U(23)] += a5_1_7; o[ob + _U(24)] += a5_1_8; o[ob + _U(25)] += a5_1_9; o[ob + _U(26)] += a5_1_10; o[ob + _U(27)] += a5_1_11; o[ob + _U(28)] += a5_1_12; o[ob + _U(29)] += a5_1_13; o[ob + _U(30)] += a5_1_14; o[ob + _U(31)] += a5_1_15
                    o[ob + _U(32)] += a5_2_0; o[ob + _U(33)] += a5_2_1; o[ob + _U(34)] += a5_2_2; o[ob + _U(35)] += a5_2_3; o[ob + _U(36)] += a5_2_4; o[ob + _U(37)] += a5_2_5; o[ob + _U(38)] += a5_2_6; o[ob + _U(39)] += a5_2_7; o[ob + _U(40)] += a5_2_8; o[ob + _U(41)] += a5_2_9; o[ob + _U(42)] += a5_2_10; o[ob + _U(43)] += a5_2_11; o[ob + _U(44)] += a5_2_12; o[ob + _U(45)] += a5_2_13; o[ob + _U(46)] += a5_2_14; o[ob + _U(47)] += a5_2_15
                    o[ob + _U(48)] += a5_3_0; o[ob + _U(49)] += a5_3_1; o[ob + _U(50)] += a5_3_2; o[ob + _U(51)] += a5_3_3; o[ob + _U(52)] += a5_3_4; o[ob + _U(53)] += a5_3_5; o[ob + _U(54)] += a5_3_6; o[ob + _U(55)] += a5_3_7; o[ob + _U(56)] += a5_3_8; o[ob + _U(57)] += a5_3_9; o[ob + _U(58)] += a5_3_10; o[ob + _U(59)] += a5_3_11; o[ob + _U(60)] += a5_3_12; o[ob + _U(61)] += a5_3_13; o[ob + _U(62)] += a5_3_14; o[ob + _U(63)] += a5_3_15
                else:
                    o[ob + _U(0)] = a5_0_0; o[ob + _U(1)] = a5_0_1; o[ob + _U(2)] = a5_0_2; o[ob + _U(3)] = a5_0_3; o[ob + _U(4)] = a5_0_4; o[ob + _U(5)] = a5_0_5; o[ob + _U(6)] = a5_0_6; o[ob + _U(7)] = a5_0_7; o[ob + _U(8)] = a5_0_8; o[ob + _U(9)] = a5_0_9; o[ob + _U(10)] = a5_0_10; o[ob + _U(11)] = a5_0_11; o[ob + _U(12)] = a5_0_12; o[ob + _U(13)] = a5_0_13; o[ob + _U(14)] = a5_0_14; o[ob + _U(15)] = a5_0_15
                    o[ob + _U(16)] = a5_1_0; o[ob + _U(17)] = a5_1_1; o[ob + _U(18)] = a5_1_2; o[ob + _U(19)] = a5_1_3; o[ob + _U(20)] = a5_1_4; o[ob + _U(21)] = a5_1_5; o[ob + _U(22)] = a5_1_6; o[ob + _U(23)] = a5_1_7; o[ob + _U(24)] = a5_1_8; o[ob + _U(25)] = a5_1_9; o[ob + _U(26)] = a5_1_10; o[ob + _U(27)] = a5_1_11; o[ob + _U(28)] = a5_1_12; o[ob + _U(29)] = a5_1_13; o[ob + _U(30)] = a5_1_14; o[ob + _U(31)] = a5_1_15
                    o[ob + _U(32)] = a5_2_0; o[ob + _U(33)] = a5_2_1; o[ob + _U(34)] = a5_2_2; o[ob + _U(35)] = a5_2_3; o[ob + _U(36)] = a5_2_4; o[ob + _U(37)] = a5_2_5; o[ob + _U(38)] = a5_2_6; o[ob + _U(39)] = a5_2_7; o[ob + _U(40)] = a5_2_8; o[ob + _U(41)] = a5_2_9; o[ob + _U(42)] = a5_2_10; o[ob + _U(43)] = a5_2_11; o[ob + _U(44)] = a5_2_12; o[ob + _U(45)] = a5_2_13; o[ob + _U(46)] = a5_2_14; o[ob + _U(47)] = a5_2_15
                    o[ob + _U(48)] = a5_3_0; o[ob + _U(49)] = a5_3_1; o[ob + _U(50)] = a5_3_2; o[ob + _U(51)] = a5_3_3; o[ob + _U(52)] = a5_3_4; o[ob + _U(53)] = a5_3_5; o[ob + _U(54)] = a5_3_6; o[ob + _U(55)] = a5_3_7; o[ob + _U(56)] = a5_3_8; o[ob + _U(57)] = a5_3_9; o[ob + _U(58)] = a5_3_10; o[ob + _U(59)] = a5_3_11; o[ob + _U(60)] = a5_3_12; o[ob + _U(61)] = a5_3_13; o[ob + _U(62)] = a5_3_14; o[ob + _U(63)] = a5_3_15

@njit(**_OPTIONS)
def _row_sums(a, a0, M, P, out):
    """out[m] += the sum of a[a0 + m * P + p] over p < P, for m < M."""
    full = P - P % 16
    for m in range(M):
        rb = _U(a0 + m * P)
        s0 = _F32(0); s1 = _F32(0); s2 = _F32(0); s3 = _F32(0); s4 = _F32(0); s5 = _F32(0); s6 = _F32(0); s7 = _F32(0); s8 = _F32(0); s9 = _F32(0); s10 = _F32(0); s11 = _F32(0); s12 = _F32(0); s13 = _F32(0); s14 = _F32(0); s15 = _F32(0)
        for p in range(0, full, 16):
            pb = rb + _U(p)
            s0 += a[pb + _U(0)]; s1 += a[pb + _U(1)]; s2 += a[pb + _U(2)]; s3 += a[pb + _U(3)]; s4 += a[pb + _U(4)]; s5 += a[pb + _U(5)]; s6 += a[pb + _U(6)]; s7 += a[pb + _U(7)]; s8 += a[pb + _U(8)]; s9 += a[pb + _U(9)]; s10 += a[pb + _U(10)]; s11 += a[pb + _U(11)]; s12 += a[pb + _U(12)]; s13 += a[pb + _U(13)]; s14 += a[pb + _U(14)]; s15 += a[pb + _U(15)]
        t = _F32(0)
        for p in range(full, P):
            t += a[rb + _U(p)]
        out[m] += ((((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + (((s8 + s9) + (s10 + s11)) + ((s12 + s13) + (s14 + s15)))) + t

@njit(types.void(_IN1, _I, _I, _IN3, _IN1, _W3, _W2, _W2, _I, _I), **_OPTIONS)
def pointwise(a, am, ak, x, bias, out, xt, ot, n0, n1):
    """out[n] (M, P) = A @ x[n] (K, P) + bias (M,), for the images n0..n1-1 of x and out.

    A[m, k] is a[m * am + k * ak]: the filters (F, C) as they are for the forward pass
    (am = C, ak = 1), their transpose for dx (am = 1, ak = C). The columns run in blocks of
    64 in place; the last P % 64 through xt (K, T) and ot (M, T), this call's own
    buffers, T that rest rounded up to 16 (zeros beyond it), in blocks of 16.
    """
    K, P, M, T = x.shape[1], x.shape[2], out.shape[1], xt.shape[1]
    full = P - P % 64
    rest = P - full
    xf, of, xtf, otf = x.ravel(), out.ravel(), xt.ravel(), ot.ravel()
    xt[:] = 0
    for n in range(n0, n1):
        _pointwise_block_64(a, 0, am, ak, xf, n * K * P, bias, of, n * M * P, K, M, P, 0,
                                  full, False)
        if rest:
            for k in range(K):
                for p in range(rest):
                    xt[k, p] = x[n, k, full + p]
            _pointwise_block_16(a, 0, am, ak, xtf, 0, bias, otf, 0, K, M, T, 0, T, False)
            for m in range(M):
                for p in range(rest):
                    out[n, m, full + p] = ot[m, p]


@njit(types.void(_IN4, _IN3, _W3, _W2, _W2, _W3, _IN1, _I, _I, _I), **_OPTIONS)
def pointwise_grad(x, dout, part, dbpart, sums, xs, zeros, group, g0, g1):
    """part[k] (F, C) = the sum over the images n of group k of dout[n] (F, P) @ x[n].T, and
    dbpart[k] (F,) the sum of dout[n] over its positions, for the groups k = g0..g1-1 of
    group images; x is (N, C, H, W), P = H * W.

    Each image goes into xs (H, W, Cr) channels last (Cr: C rounded up to 16, zeros
    beyond C); sums (F, Cr) is this call's own buffer, zeros (F,) a row of zeros.
    """
    N, C = x.shape[0], x.shape[1]
    F, P, Cr = dout.shape[1], dout.shape[2], xs.shape[2]
    full = Cr - Cr % 64
    gf, xsf, sf = dout.ravel(), xs.ravel(), sums.ravel()
    xs[:] = 0
    for k in range(g0, g1):
        sums[:] = 0
        dbpart[k] = 0
        for n in range(k * group, min(N, k * group + group)):
            _channels_last(x, n, xs, 0, 0)
            g0n = n * F * P
            _pointwise_block_64(gf, g0n, P, 1, xsf, 0, zeros, sf, 0, P, F, Cr, 0, full,
                                      True)
            _pointwise_block_16(gf, g0n, P, 1, xsf, 0, zeros, sf, 0, P, F, Cr, full, Cr,
                                       True)
            _row_sums(gf, g0n, F, P, dbpart[k])
        part[k] = sums[:, :C]

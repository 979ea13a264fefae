"""The thread pool's wait for work without the GIL (Numba, Linux): ``wait_for_post``.

Imported by ``convnp.kernels.threads`` only on Linux with the compiled kernels on; if it fails
to load, the pool's workers go to sleep as soon as they are out of work (see threads.SPIN).
It calls the C library's ``sched_yield`` and ``clock_gettime`` by name, so that Numba can
cache the machine code (a ctypes function would be an address in this process).
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

_CLOCK_MONOTONIC = 1        # Linux's id of the clock (time.monotonic's)
_I32, _I64 = ir.IntType(32), ir.IntType(64)


@intrinsic
def _yield_core(typingctx):
    """sched_yield(): let another thread that is ready to run on this core run first."""
    def codegen(context, builder, signature, args):
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(_I32, []),
                                            "sched_yield")
        builder.call(fn, [])
        return context.get_dummy_value()

    return types.void(), codegen


@intrinsic
def _monotonic_ns(typingctx):
    """clock_gettime(CLOCK_MONOTONIC) in nanoseconds."""
    def codegen(context, builder, signature, args):
        spec = cgutils.alloca_once(builder, ir.ArrayType(_I64, 2))   # struct timespec
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(_I32, [_I32, _I64.as_pointer()]), "clock_gettime")
        fields = builder.bitcast(spec, _I64.as_pointer())
        builder.call(fn, [ir.Constant(_I32, _CLOCK_MONOTONIC), fields])
        seconds = builder.load(fields)
        nanoseconds = builder.load(builder.gep(fields, [ir.Constant(_I32, 1)]))
        return builder.add(builder.mul(seconds, ir.Constant(_I64, 10 ** 9)), nanoseconds)

    return types.int64(), codegen


@njit(types.boolean(types.int64[::1], types.int64, types.int64), nogil=True, cache=True)
def wait_for_post(posted, seen, ns):
    """Spin until posted[0] != seen (True) or ns nanoseconds have passed (False).

    Each turn yields the core (sched_yield), so a thread that shares it with the spinner runs
    first, and reads posted[0] again (the calls are opaque to the compiler, so the load is
    not hoisted out of the loop).
    """
    end = _monotonic_ns() + ns
    while posted[0] == seen:
        _yield_core()
        if _monotonic_ns() > end:
            return posted[0] != seen
    return True

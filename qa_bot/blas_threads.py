"""numpy's matrix products on one thread while answering.

Answering multiplies small matrices (the question against a few thousand title vectors, a few
dozen kinds of information, 50 candidates). numpy's OpenBLAS splits a product of 4,286 x 384 over
every core: on a busy two-core machine that took 20 ms against 1.1 ms on one thread, and a server
whose 32 request threads each did so spent most of a request waiting on BLAS threads (issue 18,
bench/results/perf.md, section serving). Only numpy's and scipy's OpenBLAS are limited; torch's
own thread pool, which builds passage embeddings, is left as it is.
"""

from __future__ import annotations

from functools import cache


@cache
def one_blas_thread() -> None:
    """Limit the OpenBLAS loaded by numpy (and scipy) to one thread, once per process."""
    from threadpoolctl import ThreadpoolController

    ThreadpoolController().select(internal_api="openblas").limit(limits=1)

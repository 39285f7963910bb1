"""newsetl: raw Russian-language news in, a validated DuckDB warehouse of documents and facts out."""
import os

# One numpy thread per process: extraction scales with worker processes, and BLAS thread pools
# only fight over the same cores (measured 2-4x slower on two cores, see bench/README.md).
# Must run before numpy is imported, which is why it lives here.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

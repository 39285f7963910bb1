"""The Dask worker plug-in of the analysis stage (imported only by runs that use Dask)."""
from __future__ import annotations

from distributed import WorkerPlugin

from newsetl.extractors.workers import init_dask_worker


class WarmAnalysis(WorkerPlugin):
    """Runs on every worker of the cluster, including workers that join later: thread limits, then
    the NLP models, loaded once per worker process and cached at module level."""

    idempotent = True  # registering it again (the next run on the same cluster) does not reload

    def setup(self, worker) -> None:  # noqa: D102 - WorkerPlugin API
        init_dask_worker()

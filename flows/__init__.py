"""Orchestration (``newsetl.flows``): ``ingest`` is the Prefect flow wiring the stages; ``run`` runs it
from the CLI or Python; ``server`` keeps a local Prefect server per data folder; ``locking`` allows
one ingest per warehouse; ``progress`` reports a run's progress to the console."""

"""Reports (``newsetl.report``): the self-contained HTML report (``build``, ``sections``, ``charts``,
``html``), offline Data Docs (``datadocs``), console listings (``listing``) and what a run tells
Prefect (``artifact``: artifacts, the finished event, the state message)."""

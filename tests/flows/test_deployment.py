"""prefect.yaml declares a deployment whose entrypoint and parameters match the ingest flow."""
from __future__ import annotations

import inspect

import yaml
from prefect.flows import load_flow_from_entrypoint

from conftest import ROOT


def deployments() -> list[dict]:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    return config["deployments"]


def named(name: str) -> dict:
    (found,) = [d for d in deployments() if d["name"] == name]
    return found


def test_prefect_yaml_declares_a_scheduled_ingest_deployment():
    deployment = named("inbox-every-15-minutes")
    assert deployment["entrypoint"] == "flows/ingest.py:ingest"
    assert deployment["schedules"][0]["interval"] == 900
    assert deployment["parameters"]["paths"] == ["inbox/"]


def test_deployment_entrypoint_and_parameters_match_the_flow_signature(monkeypatch):
    monkeypatch.chdir(ROOT)
    for deployment in deployments():
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        assert flow.name == "ingest"
        signature = inspect.signature(flow.fn)
        params = deployment["parameters"]
        assert set(params) <= set(signature.parameters), "unknown parameters in prefect.yaml"
        required = {n for n, p in signature.parameters.items() if p.default is inspect.Parameter.empty}
        assert required <= set(params), "prefect.yaml misses a required parameter"
        validated = flow.validate_parameters(params)
        assert validated["paths"] == ["inbox/"] and validated["workers"] == 2


def test_dask_variant_runs_the_same_flow_on_a_scheduler_one_run_at_a_time():
    names = [d["name"] for d in deployments()]
    assert names == ["inbox-every-15-minutes", "inbox-on-dask"]
    dask = named("inbox-on-dask")
    assert dask["entrypoint"] == named("inbox-every-15-minutes")["entrypoint"]
    assert dask["concurrency_limit"] == 1
    assert dask["parameters"]["dask"].startswith("tcp://")
    assert dask["parameters"]["paths"] == ["inbox/"]

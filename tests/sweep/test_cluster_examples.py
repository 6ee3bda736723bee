"""The cluster examples in sim/explore/cluster/ do what their comments say: run each one's
worker step as the scheduler would (Slurm's array variables, Kubernetes' completion index)
on this machine, merge the shard files, and compare with one whole sweep."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLUSTER = ROOT / "sim" / "explore" / "cluster"
SCENARIO = ROOT / "tests" / "sweep" / "data" / "heartbeat-tight.json"
DSIM = pathlib.Path(os.environ.get("DSIM_BINARY", ROOT / "build" / "dsim"))
SEEDS = "1..30"


def records(path):
    """The records of a results file without their wall time, sorted by seed."""
    out = []
    for line in pathlib.Path(path).read_text().splitlines():
        r = json.loads(line)
        del r["wall_us"]
        out.append(r)
    return sorted(out, key=lambda r: r["seed"])


def merged_equals_whole(tmp_path, shard_files):
    merged = tmp_path / "merged.jsonl"
    done = subprocess.run([DSIM, "merge", *map(str, shard_files), "--out", merged],
                          capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    whole = tmp_path / "whole.jsonl"
    done = subprocess.run([DSIM, "sweep", SCENARIO, "--seeds", SEEDS, "--jobs", "2",
                           "--out", whole, "--quiet"], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    assert records(merged) == records(whole)
    assert len(records(whole)) == 30


def test_slurm_array_tasks_cover_the_sweep(tmp_path):
    shards = 3
    for task in range(shards):
        env = dict(os.environ, DSIM=str(DSIM), SLURM_ARRAY_TASK_ID=str(task),
                   SLURM_ARRAY_TASK_MIN="0", SLURM_ARRAY_TASK_MAX=str(shards - 1),
                   SLURM_ARRAY_TASK_COUNT=str(shards), SLURM_CPUS_PER_TASK="1")
        done = subprocess.run(["bash", CLUSTER / "slurm-sweep.sbatch", SCENARIO, SEEDS,
                               tmp_path / "results"], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    files = sorted((tmp_path / "results").glob("shard-*.jsonl"))
    assert len(files) == shards
    merged_equals_whole(tmp_path, files)


def test_slurm_script_refuses_an_array_with_gaps(tmp_path):
    env = dict(os.environ, DSIM=str(DSIM), SLURM_ARRAY_TASK_ID="2", SLURM_ARRAY_TASK_MIN="0",
               SLURM_ARRAY_TASK_MAX="4", SLURM_ARRAY_TASK_COUNT="3")
    done = subprocess.run(["bash", CLUSTER / "slurm-sweep.sbatch", SCENARIO, SEEDS,
                           tmp_path / "results"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert "no gaps" in done.stderr


def test_kubernetes_indexed_job_pods_cover_the_sweep(tmp_path):
    yaml = pytest.importorskip("yaml")
    docs = list(yaml.safe_load_all((CLUSTER / "k8s-indexed-job.yaml").read_text()))
    job = next(d for d in docs if d["kind"] == "Job")
    claim = next(d for d in docs if d["kind"] == "PersistentVolumeClaim")
    spec = job["spec"]
    assert job["apiVersion"] == "batch/v1"
    assert spec["completionMode"] == "Indexed"
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    container = pod["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert int(env["SHARDS"]) == spec["completions"]
    mount = container["volumeMounts"][0]
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    assert volume["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]

    # Run each pod's command as Kubernetes would, with the volume at a local folder, fewer
    # shards and seeds, dsim on PATH and the test scenario.
    shards = 3
    script = container["args"][0].replace(mount["mountPath"], str(tmp_path / "results"))
    (tmp_path / "results").mkdir()
    for index in range(shards):
        pod_env = dict(os.environ, SCENARIO=str(SCENARIO), SEEDS=SEEDS, SHARDS=str(shards),
                       JOB_COMPLETION_INDEX=str(index),
                       PATH=f"{DSIM.parent}{os.pathsep}{os.environ['PATH']}")
        done = subprocess.run([*container["command"], script], env=pod_env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    files = sorted((tmp_path / "results").glob("shard-*.jsonl"))
    assert len(files) == shards
    merged_equals_whole(tmp_path, files)

"""What users feel, measured against the peers in the same run on this machine.

    bash benchmarks/run [--runs N] [--update-doc]

(`benchmarks/run` keeps its own virtualenv, benchmarks/.venv, with the peers pinned in
benchmarks/requirements.txt and sdkgen installed from a wheel of this checkout; it then
runs this script.)

Prints one table: each figure as the median of N runs, the peer measured in the same run
(paired: ours and the peer's run alternate), the ratio (ours / peer; below 1 is faster,
except throughput), the target the issue sets and whether it is met, then where sdkgen's
time goes. The exit code does not depend on the targets: figures vary with the machine;
the ratios are what to compare. `--update-doc` also writes the table into
docs/benchmarks.md, with the machine and the date.

  generation    the whole OpenAI spec, import + SDK + docs, no cache, a fresh output folder,
                vs openapi-python-client and datamodel-code-generator (models only) on the
                same file; peak memory of the process tree
  flagship      `sdkgen import` + `sdkgen generate` of the Assistants API, no cache
  unchanged     the same runs again with the cache warm (and `sdkgen check`)
  import        `import pkg; pkg.Client()` in a fresh interpreter vs `import openai;
                openai.OpenAI()`
  runtime       the flagship client vs the official one over an in-memory transport: a
                list page of 100 assistants, a small request, a stream of SSE events
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FULL = ROOT / "spec/upstream/openai-openapi-2026-08-21.yaml"
API = "openai-assistants"
BIN = Path(sys.executable).parent
DOC = ROOT / "docs/benchmarks.md"
START, END = "<!-- benchmark table: start -->", "<!-- benchmark table: end -->"


@dataclass
class Row:
    figure: str
    ours: float
    unit: str  # "s", "ms", "MB", "µs", "k events/s"
    peer_name: str = ""
    peer: float | None = None
    target: str = ""  # e.g. "<= 0.25x", "< 5 s"
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        return self.ours / self.peer if self.peer else None


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stderr: str


def run(command: Sequence[str | Path], cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    """Run a command to the end; its wall time and the peak RSS of its process tree."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(c) for c in command], cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(
            f"failed ({process.returncode}): {' '.join(map(str, command))}\n{stderr[-2000:]}"
        )
    return Run(seconds, usage.ru_maxrss / 1024, stderr)  # ru_maxrss is in KiB on Linux


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def sdkgen(*args: str | Path) -> list[str | Path]:
    return [BIN / "sdkgen", *args]


def stage_times(stderr: str) -> dict[str, float]:
    """The `timing:` lines `sdkgen --timings` prints."""
    found = re.findall(r"^timing: (.+?)\s+(-?[0-9.]+) s$", stderr, re.MULTILINE)
    return {stage: float(seconds) for stage, seconds in found}


# Generation ---------------------------------------------------------------------------


def bench_full_spec(work: Path, runs: int) -> tuple[list[Row], dict[str, float]]:
    """The whole OpenAI spec, cold, paired with the two peers; with the cache off, and as a
    user's first run is, with the cache on and empty."""
    ours, first, opc, dmcg, stages = [], [], [], [], []
    for number in range(runs):
        out = work / f"full-{number}"
        ours.append(run(sdkgen(
            "--no-cache", "--timings", "generate", "--openapi", FULL, "--out", out,
            "--package", "fullsdk", "--client", "Client", "--quiet",
        )))  # fmt: skip
        stages.append(stage_times(ours[-1].stderr))
        first.append(run(sdkgen(
            "generate", "--openapi", FULL, "--out", work / f"first-{number}", "--package",
            "fullsdk", "--client", "Client", "--quiet",
        ), env={"SDKGEN_CACHE_DIR": str(work / f"empty-cache-{number}")}))  # fmt: skip
        opc.append(run([
            BIN / "openapi-python-client", "generate", "--path", FULL,
            "--output-path", work / f"opc-{number}", "--overwrite", "--meta", "none",
        ]))  # fmt: skip
        dmcg.append(run([
            BIN / "datamodel-codegen", "--input", FULL, "--input-file-type", "openapi",
            "--output-model-type", "pydantic_v2.BaseModel", "--disable-timestamp",
            "--output", work / f"dmcg-{number}.py",
        ]))  # fmt: skip
    # Outputs are deleted after all runs, not between them: on this machine's file system
    # (ext4 mounted with `discard`) creating files in the second after deleting thousands
    # stalls for up to 2 s, which would land on whichever command ran next (here sdkgen).
    for number in range(1, runs):  # keep one output of each, for the import figures
        shutil.rmtree(work / f"full-{number}")
    seconds = median([r.seconds for r in ours])
    first_seconds = median([r.seconds for r in first])
    peak = max(r.peak_mb for r in ours + first)
    opc_seconds = median([r.seconds for r in opc])
    rows = [
        Row("whole OpenAI spec, cold", seconds, "s", "openapi-python-client", opc_seconds,
            "<= 0.25x", seconds <= 0.25 * opc_seconds),
        Row("whole OpenAI spec, cold, empty cache", first_seconds, "s",
            "openapi-python-client", opc_seconds, "<= 0.25x", first_seconds <= 0.25 * opc_seconds),
        Row("whole OpenAI spec, cold", seconds, "s", "datamodel-codegen (models)",
            median([r.seconds for r in dmcg]), "< 5 s", seconds < 5),
        Row("whole OpenAI spec, peak RSS", peak, "MB", "openapi-python-client",
            max(r.peak_mb for r in opc), "< 300 MB", peak < 300),
    ]  # fmt: skip
    breakdown = {s: median([t.get(s, 0.0) for t in stages]) for s in stages[0]}
    breakdown["other (CLI, in process)"] = breakdown.pop("other", 0.0)
    breakdown["interpreter start-up, imports"] = seconds - breakdown.pop("total", seconds)
    return rows, breakdown


def flagship_root(work: Path) -> Path:
    root = work / "flagship"
    shutil.copytree(ROOT / "spec", root / "spec")
    return root


def bench_flagship(root: Path, runs: int, cache: Path) -> list[Row]:
    cold = []
    for _ in range(runs):
        started = time.perf_counter()
        run(sdkgen("--no-cache", "import", API, "--quiet"), cwd=root)
        run(sdkgen("--no-cache", "generate", API, "--quiet"), cwd=root)
        cold.append(time.perf_counter() - started)
    warm_env = {"SDKGEN_CACHE_DIR": str(cache)}
    run(sdkgen("check", API), cwd=root, env=warm_env)  # fill the cache
    check = [run(sdkgen("check", API), cwd=root, env=warm_env).seconds for _ in range(runs)]
    return [
        Row("flagship import + generate, cold", median(cold), "s", target="< 1 s",
            met=median(cold) < 1),
        Row("flagship `check`, unchanged", median(check), "s", target="< 1 s",
            met=median(check) < 1),
    ]  # fmt: skip


def bench_unchanged(work: Path, runs: int, cache: Path, opc_seconds: float) -> Row:
    """The whole spec generated again into the same folder with the cache warm."""
    out = work / "full-warm"
    command = sdkgen("generate", "--openapi", FULL, "--out", out, "--package", "fullsdk",
                     "--client", "Client", "--quiet")  # fmt: skip
    env = {"SDKGEN_CACHE_DIR": str(cache)}
    run(command, env=env)  # fills the cache
    seconds = median([run(command, env=env).seconds for _ in range(runs)])
    return Row("whole OpenAI spec, unchanged re-run", seconds, "s",
               "openapi-python-client (no cache)", opc_seconds, "< 1 s", seconds < 1)  # fmt: skip


# Import -------------------------------------------------------------------------------


def import_seconds(statement: str, path: Path | None) -> float:
    setup = f"import sys; sys.path.insert(0, {str(path)!r}); " if path else ""
    code = (
        f"{setup}import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return float(result.stdout)


def bench_import(full_src: Path, flagship_src: Path, runs: int) -> list[Row]:
    # Compiled first, as installing a package compiles it (openai's modules were, by pip):
    # the figure is an import, not a compilation of the source.
    for src in (full_src, flagship_src):
        compileall.compile_dir(src, quiet=1)
    ours_full, ours_flagship, theirs = [], [], []
    for _ in range(runs):
        ours_full.append(import_seconds("import fullsdk; fullsdk.Client(api_key='k')", full_src))
        ours_flagship.append(
            import_seconds("import openai_assistants as p; p.OpenAI(api_key='k')", flagship_src)
        )
        theirs.append(import_seconds("import openai; openai.OpenAI(api_key='k')", None))
    peer = median(theirs)
    full, flagship = median(ours_full), median(ours_flagship)
    return [
        Row("import + Client(), whole spec", full * 1000, "ms", "import openai; OpenAI()",
            peer * 1000, "<= 0.25x", full <= 0.25 * peer),
        Row("import + Client(), flagship", flagship * 1000, "ms", "import openai; OpenAI()",
            peer * 1000, "<= 0.15x", flagship <= 0.15 * peer),
    ]  # fmt: skip


# Runtime ------------------------------------------------------------------------------


def paired(
    ours: Callable[[], object], theirs: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Medians of alternating timed runs of two actions (after one warm-up run each)."""
    ours(), theirs()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for action, into in ((ours, times[0]), (theirs, times[1])):
            started = time.perf_counter()
            action()
            into.append(time.perf_counter() - started)
    return median(times[0]), median(times[1])


def bench_runtime(flagship_src: Path, runs: int) -> list[Row]:
    import warnings

    import httpx
    import httpx2
    import openai

    sys.path.insert(0, str(flagship_src))
    from openai_assistants import OpenAI

    warnings.simplefilter("ignore", DeprecationWarning)
    example = response_examples("getAssistant", "deleteAssistant", "getRun")
    page = {"object": "list", "first_id": "a0", "last_id": "a99", "has_more": False,
            "data": [{**example["getAssistant"], "id": f"asst_{i}"} for i in range(100)]}  # fmt: skip
    deleted = example["deleteAssistant"]
    stream = sse_body(example["getRun"], events=2000)

    def clients(body: bytes, content_type: str) -> tuple[Any, Any]:
        def answer(module: Any) -> Any:
            headers = {"content-type": content_type}
            return lambda request: module.Response(200, content=body, headers=headers)

        ours = OpenAI(
            api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(answer(httpx)))
        )
        theirs = openai.OpenAI(
            api_key="k", http_client=httpx2.Client(transport=httpx2.MockTransport(answer(httpx2)))
        )
        return ours, theirs

    json_type = "application/json"
    ours, theirs = clients(json.dumps(page).encode(), json_type)
    rows = []
    calls = 20

    def list_page(client: Any) -> Callable[[], None]:
        def action() -> None:
            for _ in range(calls):
                items = client.beta.assistants.list(limit=100).data
                assert items[-1].id == "asst_99"

        return action

    mine, peer = paired(list_page(ours), list_page(theirs), runs)
    rows.append(Row("list page (100 assistants)", mine / calls * 1e6, "µs",
                    "openai assistants.list", peer / calls * 1e6, "<= 0.30x", mine <= 0.3 * peer))  # fmt: skip

    ours, theirs = clients(json.dumps(deleted).encode(), json_type)
    calls = 300

    def small(client: Any) -> Callable[[], None]:
        def action() -> None:
            for _ in range(calls):
                client.beta.assistants.delete("asst_abc")

        return action

    mine, peer = paired(small(ours), small(theirs), runs)
    rows.append(Row("request overhead (assistants.delete)", mine / calls * 1e6, "µs",
                    "openai assistants.delete", peer / calls * 1e6, "<= 0.30x", mine <= 0.3 * peer))  # fmt: skip

    ours, theirs = clients(stream, "text/event-stream")

    def events(client: Any) -> Callable[[], None]:
        def action() -> None:
            seen = 0
            for _ in client.beta.threads.runs.create(
                "thread_abc", assistant_id="asst_abc", stream=True
            ):
                seen += 1
            assert seen == 2002, seen

        return action

    mine, peer = paired(events(ours), events(theirs), runs)
    # Throughput: higher is better, so the ratio is ours / theirs in events per second.
    rows.append(Row("SSE throughput (2,002 events)", 2002 / mine / 1000, "k events/s",
                    "openai runs.create(stream=True)", 2002 / peer / 1000, ">= 10x", peer >= 10 * mine))  # fmt: skip
    return rows


def response_examples(*operations: str) -> dict[str, Any]:
    """The upstream document's own example responses (`x-oaiMeta`) of these operations."""
    import yaml

    document = yaml.load(FULL.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    found = {}
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") in operations:
                examples = operation["x-oaiMeta"]["examples"]
                first = examples[0] if isinstance(examples, list) else examples
                found[operation["operationId"]] = json.loads(first["response"])
    return found


def sse_body(run_data: dict[str, Any], events: int) -> bytes:
    """A run's stream: created, `events` message deltas, completed, done."""
    delta = {"id": "msg_abc", "object": "thread.message.delta",
             "delta": {"content": [{"index": 0, "type": "text", "text": {"value": "word "}}]}}  # fmt: skip
    parts = [f"event: thread.run.created\ndata: {json.dumps(run_data)}\n\n"]
    parts += [f"event: thread.message.delta\ndata: {json.dumps(delta)}\n\n"] * events
    parts.append(f"event: thread.run.completed\ndata: {json.dumps(run_data)}\n\n")
    parts.append("event: done\ndata: [DONE]\n\n")
    return "".join(parts).encode()


# Output -------------------------------------------------------------------------------


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    digits = 3 if value < 10 else 1 if value < 1000 else 0
    return f"{value:,.{digits}f} {unit}".strip()


def table(rows: list[Row]) -> list[str]:
    lines = ["| figure | sdkgen | peer (same run) | peer | ratio | target | met |",
             "|---|---:|---|---:|---:|---|---|"]  # fmt: skip
    for row in rows:
        ratio = f"{row.ratio:.3f}x" if row.ratio is not None else ""
        met = "" if row.met is None else "yes" if row.met else "**no**"
        lines.append(f"| {row.figure} | {fmt(row.ours, row.unit)} | {row.peer_name} | "
                     f"{fmt(row.peer, row.unit)} | {ratio} | {row.target} | {met} |")  # fmt: skip
    return lines


def breakdown_lines(breakdown: dict[str, float]) -> list[str]:
    total = sum(breakdown.values())
    lines = ["| stage (whole spec, cold) | seconds | share |", "|---|---:|---:|"]
    for stage, seconds in breakdown.items():
        lines.append(f"| {stage} | {seconds:.3f} | {seconds / total:.0%} |")
    return lines


def machine() -> str:
    model = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {platform.system()}"
    )


def versions() -> str:
    from importlib import metadata

    names = ("openapi-python-client", "datamodel-code-generator", "openai", "ruff")
    return ", ".join(f"{n} {metadata.version(n)}" for n in names)


def update_doc(lines: list[str]) -> None:
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + START + "\n" + "\n".join(lines) + "\n" + END + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument(
        "--update-doc", action="store_true", help=f"write the table into {DOC.relative_to(ROOT)}"
    )
    options = parser.parse_args()
    runs = options.runs
    with tempfile.TemporaryDirectory(prefix="sdkgen-bench-") as tmp:
        work = Path(tmp)
        cache = work / "cache"
        print(
            f"whole spec ({runs} runs each of sdkgen, openapi-python-client, dmcg) ...",
            file=sys.stderr,
        )
        rows, breakdown = bench_full_spec(work, runs)
        print("unchanged re-run ...", file=sys.stderr)
        rows.append(bench_unchanged(work, runs, cache, rows[0].peer or 0.0))
        print("flagship ...", file=sys.stderr)
        root = flagship_root(work)
        rows += bench_flagship(root, runs, cache)
        print("import ...", file=sys.stderr)
        flagship_src = root / "generated" / API / "python" / "src"
        rows += bench_import(work / "full-0" / "python" / "src", flagship_src, max(runs, 7))
        print("runtime ...", file=sys.stderr)
        rows += bench_runtime(flagship_src, max(runs, 7))
    date = datetime.date.today().isoformat()
    lines = [
        f"{date}; {machine()}; {versions()}; medians of {runs} runs (import and runtime: {max(runs, 7)}).",
        "",
        *table(rows),
        "",
        *breakdown_lines(breakdown),
    ]
    print("\n".join(lines))
    if options.update_doc:
        update_doc(lines)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""What users feel, measured against a peer in the same run on this machine.

    python benchmarks/speed.py [--runs N]

Prints, as medians with ratios (ours / peer; below 1 is faster):
  generation   sdkgen import+render+format of the flagship  vs  datamodel-code-generator on
               the same 23 operations' schemas (models only, fewer features)
  formatting   ruff format (our engine) vs black, on the generated flagship tree
  import       `import openai_assistants.types` vs `import openai.types.beta` (official SDK)
  parsing      the 25 example responses parsed by our models vs the official package's
               own response path (construct_type: builds models without validating)
  calls        runs.retrieve through each client over an in-memory transport
Nothing here is a test: figures vary with the machine; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dmcg_probe import extract

from sdkgen.config import load_config
from sdkgen.pipeline import Project, import_spec, render
from sdkgen.spec import parse_spec

FLAGSHIP = Project(ROOT, "openai-assistants")
UPSTREAM = ROOT / "spec/upstream/openai-openapi-2026-05-13.yaml"


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(label: str, ours: float, peer: float, peer_name: str, unit: str = "s") -> None:
    scale = 1000 if unit == "ms" else 1
    print(
        f"{label:<12} ours {ours * scale:8.3f} {unit}   {peer_name:<26} {peer * scale:8.3f} {unit}"
        f"   ratio {ours / peer:6.3f}"
    )


def bench_generation(runs: int) -> None:
    config = load_config(FLAGSHIP.config)

    def ours() -> None:
        text = import_spec(config)
        render(parse_spec(text), text.encode())

    doc = extract(yaml.load(UPSTREAM.read_text(), Loader=yaml.CSafeLoader))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "assistants.yaml"
        source.write_text(yaml.safe_dump(doc))
        command = [
            str(Path(sys.executable).parent / "datamodel-codegen"), "--input", str(source),
            "--input-file-type", "openapi", "--output-model-type", "pydantic_v2.BaseModel",
            "--output", str(Path(tmp) / "models.py"), "--disable-timestamp",
        ]  # fmt: skip

        def peer() -> None:
            # Our figure includes loading the 2.8 MB upstream file; give the peer the same.
            yaml.load(UPSTREAM.read_text(), Loader=yaml.CSafeLoader)
            subprocess.run(command, check=True, capture_output=True)

        row(
            "generation",
            median_seconds(ours, runs),
            median_seconds(peer, runs),
            "datamodel-code-generator",
        )


def bench_formatting(runs: int) -> None:
    files = {p: p.read_text() for p in (FLAGSHIP.output / "python").rglob("*.py")}
    from ruff.__main__ import find_ruff_bin

    with tempfile.TemporaryDirectory() as tmp:
        for path, text in files.items():
            target = Path(tmp) / path.relative_to(FLAGSHIP.output)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)

        def ruff() -> None:
            subprocess.run(
                [find_ruff_bin(), "format", "--isolated", "--no-cache", "--quiet", tmp], check=True
            )

        def black() -> None:
            with tempfile.TemporaryDirectory() as cache:  # an empty cache: black formats every file
                env = {**os.environ, "BLACK_CACHE_DIR": cache}
                subprocess.run([sys.executable, "-m", "black", "--quiet", tmp], check=True, env=env)

        lines = sum(t.count("\n") for t in files.values())
        row(
            f"format {lines // 1000}k",
            median_seconds(ruff, runs),
            median_seconds(black, runs),
            "black",
        )


def import_seconds(statement: str, path: Path | None) -> float:
    env_path = f"import sys; sys.path.insert(0, {str(path)!r}); " if path else ""
    code = f"{env_path}import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return float(result.stdout)


def bench_import(runs: int) -> None:
    src = FLAGSHIP.output / "python" / "src"
    ours = statistics.median(
        import_seconds("import openai_assistants.types", src) for _ in range(runs)
    )
    peer = statistics.median(import_seconds("import openai.types.beta", None) for _ in range(runs))
    row("import", ours, peer, "openai.types.beta", "ms")


def bench_parsing(runs: int) -> None:
    sys.path.insert(0, str(FLAGSHIP.output / "python" / "src"))
    sys.path.insert(0, str(ROOT))
    import openai_assistants.types as ours
    from openai.types import beta
    from openai.types.beta import threads
    from openai.types.beta.threads import runs as run_types
    from openai_assistants import parse

    from tests.test_generated_models import EXAMPLES

    official: dict[str, Any] = {
        "Assistant": beta.Assistant, "AssistantDeleted": beta.AssistantDeleted, "Thread": beta.Thread,
        "ThreadDeleted": beta.ThreadDeleted, "Message": threads.Message, "MessageDeleted": threads.MessageDeleted,
        "Run": threads.Run, "RunStep": run_types.RunStep,
    }  # fmt: skip
    # List responses: both parse the items; the official package wraps them in a page object.
    items = {"ListAssistantsResponse": "Assistant", "ListMessagesResponse": "Message",
             "ListRunsResponse": "Run", "ListRunStepsResponse": "RunStep"}  # fmt: skip
    cases = []
    for _, type_name, data in EXAMPLES:
        item = items.get(type_name)
        values = data["data"] if item else [data]
        cases += [(item or type_name, value) for value in values]
    repeat = 200

    def parse_ours() -> None:
        for _ in range(repeat):
            for name, value in cases:
                parse(getattr(ours, name), value)

    from openai._models import construct_type  # what the official client does with a response

    def parse_official() -> None:
        for _ in range(repeat):
            for name, value in cases:
                construct_type(type_=official[name], value=value)

    parse_ours(), parse_official()  # warm up: both build their validators lazily
    row(f"parse x{repeat * len(cases)}", median_seconds(parse_ours, runs), median_seconds(parse_official, runs),
        "openai (construct_type)")  # fmt: skip


def bench_client(runs: int) -> None:
    """Calls through each client over an in-memory transport: the SDK's own overhead."""
    import warnings

    import httpx
    import httpx2
    import openai
    from openai_assistants import OpenAI

    warnings.simplefilter("ignore", DeprecationWarning)
    run = next(data for _, type_name, data in _examples() if type_name == "Run")
    body = json.dumps(run).encode()

    def answer(module: Any) -> Any:
        return lambda request: module.Response(
            200, content=body, headers={"content-type": "application/json"}
        )

    ours = OpenAI(
        api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(answer(httpx)))
    )
    theirs = openai.OpenAI(
        api_key="k", http_client=httpx2.Client(transport=httpx2.MockTransport(answer(httpx2)))
    )
    calls = 500

    def call(client: Any) -> Callable[[], None]:
        def many() -> None:
            for _ in range(calls):
                client.beta.threads.runs.retrieve("run_abc123", thread_id="thread_abc123")

        return many

    call(ours)(), call(theirs)()  # warm up
    row(f"calls x{calls}", median_seconds(call(ours), runs), median_seconds(call(theirs), runs),
        "openai (runs.retrieve)")  # fmt: skip


def _examples() -> list[tuple[str, str, Any]]:
    sys.path.insert(0, str(ROOT))
    from tests.test_generated_models import EXAMPLES

    return EXAMPLES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"Python {sys.version.split()[0]}, medians of {runs} runs")
    bench_generation(runs)
    bench_formatting(runs)
    bench_import(runs)
    bench_parsing(runs)
    bench_client(runs)


if __name__ == "__main__":
    main()

"""500 concurrent async calls: the generated flagship SDK against the official `openai`
package, in the same run, against the same loopback server (tests/servers/assistants.py,
served by uvicorn in a child process so it does not share the clients' GIL).

    python benchmarks/concurrency.py [--calls 500] [--rounds 5]

Prints the median and range of the wall time of one round (a fresh client, `calls`
`threads.retrieve` calls gathered at once, the client closed) for: the generated SDK as it
is, the generated SDK given an httpx.AsyncClient with httpx's default pool limits (what
it had before it set its own), and the official package.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _serve(pipe: Connection) -> None:
    from tests.servers import Connections, serve
    from tests.servers.assistants import State, create_app

    state, connections = State(), Connections()
    with serve(create_app(state, connections), connections) as server:
        pipe.send(server.base_url)
        pipe.recv()  # until told to stop


def _flagship(out: Path) -> Any:
    from sdkgen.output import write_tree
    from sdkgen.pipeline import Project, render_spec_file

    write_tree(out, render_spec_file(Project(ROOT, "openai-assistants").spec))
    sys.path.insert(0, str(out / "python" / "src"))
    import openai_assistants

    return openai_assistants


async def _round(make: Callable[[], Any], thread_id: str, calls: int) -> float:
    client = make()
    started = time.perf_counter()
    await asyncio.gather(*(client.beta.threads.retrieve(thread_id) for _ in range(calls)))
    elapsed = time.perf_counter() - started
    await client.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)

    import httpx
    import openai

    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(theirs,), daemon=True)
    server.start()
    base_url = ours.recv()
    with tempfile.TemporaryDirectory() as tmp:
        sdk = _flagship(Path(tmp) / "openai-assistants")
        key = {"api_key": "sk-bench", "base_url": base_url}
        contenders: dict[str, Callable[[], Any]] = {
            "generated SDK": lambda: sdk.AsyncOpenAI(**key),
            "generated SDK, httpx default limits": lambda: sdk.AsyncOpenAI(
                **key, http_client=httpx.AsyncClient()
            ),
            f"official openai {openai.__version__}": lambda: openai.AsyncOpenAI(**key),
        }

        async def run() -> dict[str, list[float]]:
            setup = sdk.AsyncOpenAI(**key)
            thread_id = (await setup.beta.threads.create()).id
            await setup.close()
            times: dict[str, list[float]] = {name: [] for name in contenders}
            for _ in range(args.rounds):  # interleaved, so drift in the machine hits all alike
                for name, make in contenders.items():
                    times[name].append(await _round(make, thread_id, args.calls))
            return times

        times = asyncio.run(run())
    ours.send("stop")
    server.join(timeout=10)

    print(f"{args.calls} concurrent threads.retrieve calls, {args.rounds} rounds, loopback server")
    official = statistics.median(next(t for n, t in times.items() if n.startswith("official")))
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:40} median {median:6.2f} s  (min {min(values):.2f}, max {max(values):.2f})"
            f"  {median / official:5.2f}x official"
        )


if __name__ == "__main__":
    main()

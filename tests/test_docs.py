"""The generated reference docs: example responses, escaping, and fidelity to the seeds.

The seeds (tests/fixtures/seeds, copied from the reference docs of the Assistants API) are
text scraped from web pages: spaces around code were lost and lines break mid-sentence. So
text is compared with letters and digits only, lowercased.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sdkgen.importers.examples import example_warnings
from sdkgen.render.docs import build_pages
from sdkgen.spec import load_spec

from .conftest import FLAGSHIP

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SEED_METHODS = Path(SEEDS / "002_81e0b2eb3775bdf4.txt").read_text(encoding="utf-8")
SEED_MODELS = Path(SEEDS / "000_6b8bb49d56dc5a26.txt").read_text(encoding="utf-8")


def letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@pytest.fixture(scope="module")
def docs(flagship_files: dict[str, bytes]) -> dict[str, str]:
    return {p: c.decode() for p, c in flagship_files.items() if p.startswith("docs/")}


@pytest.fixture(scope="module")
def docs_letters(docs: dict[str, str]) -> str:
    markdown = "\n".join(text for path, text in docs.items() if path.endswith(".md"))
    markdown = re.sub(r"\]\([^)]*\)", "]", markdown)  # link targets are not text a reader sees
    return letters(markdown)


def seed_responses() -> dict[str, Any]:
    """Method title -> the example response JSON shown in seed 002."""
    found = {}
    lines = SEED_METHODS.splitlines()
    for index, line in enumerate(lines):
        if line.strip() != "Response" or index + 1 >= len(lines) or lines[index + 1] != "{":
            continue
        depth, block = 0, []
        for text in lines[index + 1 :]:
            block.append(text)
            depth += text.count("{") + text.count("[") - text.count("}") - text.count("]")
            if depth == 0:
                break
        title = next(
            lines[i]
            for i in range(index, -1, -1)
            if re.fullmatch(r"[A-Z][a-z]+ assistants?", lines[i])
        )
        found[title] = json.loads("\n".join(block))
    return found


def test_the_five_assistant_example_responses_match_the_seed(docs: dict[str, str]) -> None:
    expected = seed_responses()
    assert sorted(expected) == sorted(
        [
            "List assistants",
            "Create assistant",
            "Retrieve assistant",
            "Modify assistant",
            "Delete assistant",
        ]
    )
    page = docs["docs/beta_assistants.md"]
    for title, response in expected.items():
        section = page.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
        block = section.split("### Response\n\n```json\n", 1)[1].split("\n```", 1)[0]
        assert json.loads(block) == response, title
        assert list(json.loads(block)) == list(response), f"{title}: key order"


def test_every_example_response_parses_with_the_generated_models(sdk: Any) -> None:
    """Synthesized examples parse strictly; the document's own (and the overlay's) parse
    leniently, and strictly too unless the import warned that they drift from the schema."""
    spec = load_spec(FLAGSHIP.spec)
    drifting = {w.split(": the example drifts")[0] for w in example_warnings(spec)}
    by_title = {m.title: m for _, m in spec.methods()}
    checked = given = 0
    for page in build_pages(spec):
        for method in page.methods:
            if not method.response:
                continue
            spec_method = by_title[method.title]
            type_ = getattr(sdk.types, spec_method.response.name)  # type: ignore[union-attr]
            data = json.loads(method.response)
            example = spec_method.response_example
            if example is None or example.source not in drifting:
                sdk.parse(type_, data, strict=True)
            else:
                sdk.parse(type_, data)
                with pytest.raises(ValueError):
                    sdk.parse(type_, data, strict=True)
            given += example is not None
            checked += 1
    assert checked == 23
    assert given == 23  # the 5 assistant methods from the overlay, the rest from x-oaiMeta


def test_the_document_examples_are_shown_as_given(docs: dict[str, str]) -> None:
    page = docs["docs/beta_threads_runs.md"]
    section = page.split("## Retrieve run\n", 1)[1].split("\n## ", 1)[0]
    block = json.loads(section.split("### Response\n\n```json\n", 1)[1].split("\n```", 1)[0])
    assert block["id"] == "run_abc123" and block["assistant_id"] == "asst_abc123"
    assert block["created_at"] == 1699075072


def test_method_titles_signatures_and_http_lines(docs: dict[str, str]) -> None:
    page = docs["docs/beta_assistants.md"]
    assert "## List assistants\n" in page
    assert "client.beta.assistants.list(**params) -> SyncCursorPage[Assistant]" in page
    assert "**GET** `/assistants`" in page
    runs = docs["docs/beta_threads_runs.md"]
    assert "client.beta.threads.runs.retrieve(run_id, **params) -> Run" in runs
    assert "Run | Stream[AssistantStreamEvent]" in runs


def test_compact_type_summaries_as_the_seeds_write_them(docs: dict[str, str]) -> None:
    """Seed 000 summarizes each type in one line before its details: models, unions, union
    members (`object { data, event }` then the member's description), union-typed fields."""
    text = "\n".join(v for k, v in docs.items() if k.endswith(".md"))
    assert "`Assistant = object { id, created_at, description, 10 more }`" in text
    tools = "`array of CodeInterpreterTool { type } or FileSearchTool { type, file_search } or FunctionTool { function, type }`"
    assert "- `tools`: [`list[AssistantTool]`]" in text and f"\n  {tools}\n" in text
    assert "`FileSearchTool = object { type, file_search }`" in text
    assert (
        "\n  `object { max_num_results, ranking_options }`\n  Overrides for the file search tool."
        in text
    )
    assert "\n    `object { score_threshold, ranker }`\n" in text
    assert "`object { code_interpreter, file_search }`" in text
    assert re.search(
        r"`AssistantStreamEvent = \w+ \{ data, event, enabled \} or object \{ data, event \} or object \{ data, event \} or 22 more`",
        text,
    )
    for family, more in (
        ("MessageStreamEvent", 2),
        ("RunStepStreamEvent", 4),
        ("RunStreamEvent", 7),
    ):
        pattern = rf"`{family} = object \{{ data, event \}} or object \{{ data, event \}} or object \{{ data, event \}} or {more} more`"
        assert re.search(pattern, text), family
    # each stream event: its summary, then its description
    member = re.search(
        r"`ThreadRunQueued`\n  `object \{ data, event \}`\n  Occurs when a \[run\]\([^)]+\) moves to a `queued` status.",
        text,
    )
    assert member, "a union member's summary line, then its description"
    html = docs["docs/html/beta_threads_runs.html"]
    assert (
        '<summary><code class="type">ThreadRunQueued</code>\n <code class="shape">object { data, event }</code></summary>'
        in html
    )


def test_each_type_is_expanded_once_and_linked_elsewhere(docs: dict[str, str]) -> None:
    for suffix, pattern in ((".md", r'<a id="(type-[^"]+)"></a>'), (".html", r'id="(type-[^"]+)"')):
        anchors = [a for k, v in docs.items() if k.endswith(suffix) for a in re.findall(pattern, v)]
        assert len(anchors) == len(set(anchors)) > 150
    runs = docs["docs/beta_threads_runs.md"]
    assert runs.count("\n  - `data`: [`Run`](#type-Run) (required)") == 10  # ten run events
    # the pages the speed issue measured: a quarter of 8,511 lines and of 1.0 MB at most
    largest_md = max(v.count("\n") for k, v in docs.items() if k.endswith(".md"))
    largest_html = max(len(v.encode()) for k, v in docs.items() if k.endswith(".html"))
    assert largest_md <= 8511 // 4 and largest_html <= 1_020_297 // 4


def test_descriptions_link_to_the_vendor_site_and_nothing_dangles(docs: dict[str, str]) -> None:
    text = "\n".join(docs.values())
    assert "](/" not in text and 'href="/' not in text
    assert "[List models](https://platform.openai.com/docs/api-reference/models/list)" in text
    assert (
        '<a href="https://platform.openai.com/docs/api-reference/models/list">List models</a>'
        in text
    )
    assert_links_resolve({k.removeprefix("docs/"): v for k, v in docs.items()})


def assert_links_resolve(files: dict[str, str]) -> None:
    """Every link of the Markdown and HTML pages: absolute (http, https, mailto) or to a
    page and an anchor that exist; no relative link to anywhere else."""
    ids = {
        path: set(re.findall(r'<a id="([^"]+)"></a>', text) + re.findall(r' id="([^"]+)"', text))
        for path, text in files.items()
    }
    dead = []
    for path, text in files.items():
        folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        if path.endswith(".md"):
            targets = re.findall(r"\]\(([^)\s]+)(?: \"[^\"]*\")?\)", text)
        elif path.endswith(".html"):
            targets = [t.replace("&amp;", "&") for t in re.findall(r'href="([^"]*)"', text)]
        else:
            continue
        for target in targets:
            if target.startswith(("https://", "http://", "mailto:")):
                continue
            page, _, anchor = target.partition("#")
            page = folder + page if page else path
            if page not in files or (anchor and anchor not in ids[page]):
                dead.append(f"{path}: {target}")
    assert not dead, dead[:10]


def test_examples_call_both_clients(docs: dict[str, str]) -> None:
    spec = load_spec(FLAGSHIP.spec)
    for page in build_pages(spec):
        for method in page.methods:
            assert method.example.startswith("from openai_assistants import OpenAI\n")
            assert "from openai_assistants import AsyncOpenAI" in method.example_async
            compile(method.example_async, method.title, "exec")  # valid Python
            assert "await client." in method.example_async or "async for" in method.example_async
    page = docs["docs/html/beta_assistants.html"]
    assert page.count('<pre class="tab async">') == 5


# -- fidelity to the seeds ----------------------------------------------------------------

# Sentences of the seeds that the upstream spec does not contain, with the reason.
NOT_IN_SPEC: dict[str, str] = {}  # none left: every seed sentence is in the spec and the docs


def seed_sentences() -> list[str]:
    """Description sentences of both seeds (lines of prose, split at sentence ends)."""
    sentences = []
    for text in (SEED_MODELS, SEED_METHODS):
        for line in text.splitlines():
            java = ("beta()" in line or line.rstrip().endswith((";", "{", "}", ")"))
                    or line.startswith(("import ", "package ", "public ")))  # fmt: skip
            if java or "constant" in line:
                continue  # the example code, signatures and constants of the scraped page
            line = re.sub(r"^class \w+:\s*", "", line)
            line = line.replace("A class that can be one of several variants.union", "")
            line = re.sub(r"^.*(?:\d+ more|\})\s*", "", line)  # a type summary before its text
            line = re.sub(r'\b[A-Z0-9_]+\("[^"]*"\)\s*-?', "", line)  # enum constants: tested apart
            for sentence in re.split(r"(?<=[.!?])\s+", line):
                if sentence.count(" ") >= 3 and len(letters(sentence)) >= 20:
                    sentences.append(sentence.strip())
    return sorted(set(sentences))


def test_every_seed_sentence_appears_in_the_docs(docs_letters: str) -> None:
    missing = []
    sentences = seed_sentences()
    for sentence in sentences:
        if sentence in NOT_IN_SPEC:
            continue
        # A scraped line may glue a type and field name in front of the description:
        # accept the sentence if what follows such a prefix (20+ letters) is in the docs.
        core = letters(sentence)
        starts = range(max(1, min(64, len(core) - 12)))
        if not any(core[start:] in docs_letters for start in starts):
            missing.append(sentence)
    coverage = 1 - len(missing) / len(sentences)
    print(f"seed sentence coverage: {coverage:.1%} of {len(sentences)}")
    assert not missing, f"{len(missing)} seed sentences missing, e.g. {missing[:5]}"


def test_every_seed_enum_value_appears_in_the_docs(docs: dict[str, str]) -> None:
    values = set(re.findall(r'[A-Z0-9_]+\("([^"]+)"\)', SEED_METHODS))
    assert len(values) > 50
    text = "\n".join(docs.values())
    missing = sorted(v for v in values if f'"{v}"' not in text)
    assert not missing


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_every_seed_field_name_appears_in_snake_case(docs: dict[str, str]) -> None:
    """Field lines of seed 002 read `Type nameDescription...`: the name is camelCase there."""
    text = "\n".join(docs.values())
    documented = set(re.findall(r"^\s*- (?:<a id=\"[^\"]+\"></a>)*`(\w+)`:", text, re.MULTILINE))
    pattern = r"^(?:Optional<.+?>|List<.+?>|String|long|double|boolean|JsonValue;) (\w+)"
    lines = [m.group(1) for m in re.finditer(pattern, SEED_METHODS, re.MULTILINE)]
    assert len(lines) > 100
    missing = []
    for glued in lines:
        # `createdAtThe Unix...`: the name ends before one of the capitals; some split
        # must give a field name these docs document.
        splits = [i for i in range(1, len(glued) + 1) if i == len(glued) or glued[i].isupper()]
        if not any(snake(glued[:i]).rstrip("_") in documented for i in splits):
            missing.append(glued)
    assert not missing, missing[:10]


def test_every_seed_union_variant_appears(docs: dict[str, str]) -> None:
    """`class X:` variants of seed 002, under the SDK's own names where they differ."""
    renamed = {  # the official Java SDK's names -> this SDK's (the official Python package's)
        "ImageUrlContentBlock": "ImageURLContentBlock",
        "ImageUrlDeltaBlock": "ImageURLDeltaBlock",
        "LogsOutput": "CodeInterpreterOutputLogs",
        "ImageOutput": "CodeInterpreterOutputImage",
        "ThreadStreamEvent": "ThreadCreated",  # a family of one event: the overlay names it so
        "ResponseFormatJsonObject": "ResponseFormatJSONObject",
        "ResponseFormatJsonSchema": "ResponseFormatJSONSchema",
    }
    text = "\n".join(docs.values())
    variants = set(re.findall(r"class (\w+):", SEED_METHODS))
    assert len(variants) > 30
    missing = sorted(v for v in variants if renamed.get(v, v) not in text)
    assert not missing


def test_html_escapes_descriptions(tmp_path: Path) -> None:
    from sdkgen.config import default_config
    from sdkgen.importers.openapi import import_openapi
    from sdkgen.render.docs import render_docs

    source = tmp_path / "openapi.yaml"
    source.write_text(
        json.dumps(
            {
                "openapi": "3.1.0",
                "info": {"title": "T <b>", "version": "1"},
                "paths": {"/x": {"get": {"operationId": "getX", "description": "<script>alert(1)</script> & more",
                                          "responses": {"204": {"description": "none"}}}}},
            }
        )
    )  # fmt: skip
    files = render_docs(import_openapi(default_config(source)))
    page = next(c.decode() for p, c in files.items() if p.endswith(".html") and "index" not in p)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_every_python_example_is_valid_python_calling_a_real_method(sdk: Any) -> None:
    import ast

    spec = load_spec(FLAGSHIP.spec)
    client = sdk.OpenAI(api_key="k")
    for page in build_pages(spec):
        for method in page.methods:
            tree = ast.parse(method.example)  # a SyntaxError fails the test
            call = next(
                n for n in ast.walk(tree) if isinstance(n, ast.Call) and "beta" in ast.unparse(n)
            )
            target: Any = client
            for part in ast.unparse(call.func).split(".")[1:]:
                target = getattr(target, part)
            assert callable(target), method.title

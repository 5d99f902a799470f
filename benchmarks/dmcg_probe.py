"""Can datamodel-code-generator (DMCG) produce the response models sdkgen needs?

Extracts the OpenAI Assistants subset (the 23 "Assistants" operations plus the schema
AssistantStreamEvent, $refs followed) from the 2026-05-13 snapshot into a temp dir, runs
the DMCG CLI with the flags closest to our bars, imports the result and checks each bar
by what parses: (a) unions tagged by a one-value enum (`type` of tools, `event` of stream
events; the spec has no `discriminator` keyword) are discriminated; (b) Literal enums
accept a value the server adds later; (c) an unknown variant parses to a fallback that
keeps the raw data; (d) field names equal JSON names, descriptions become docstrings;
(e) generation and import time. Also: class-name stability, a control run with
`discriminator` injected into the spec, and what a custom Jinja template receives.
Writes only to a temp dir. Run from the repo root: python benchmarks/dmcg_probe.py
"""

from __future__ import annotations

import ast
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import types
import typing
import warnings
from collections import Counter
from importlib import metadata, resources, util
from pathlib import Path
from typing import Any

import yaml
from pydantic import RootModel, ValidationError

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec/upstream/openai-openapi-2026-05-13.yaml"
TEMPLATES = resources.files("datamodel_code_generator") / "model/template"
# DMCG's own `--recommend-options` advice for this subset, plus the flags the bars need.
FLAGS = [
    "--input-file-type", "openapi", "--output-model-type", "pydantic_v2.BaseModel",
    "--preset", "standard-py310-20261027", "--enum-field-as-literal", "all",
    "--reuse-model", "--collapse-reuse-models", "--use-tag-as-union-variant-name",
    "--use-annotated", "--field-constraints", "--collapse-root-models",
    "--use-schema-description", "--use-field-description", "--disable-timestamp",
    "--aliases", '{"schema": "schema"}',  # else `schema` becomes `schema_` + alias
]  # fmt: skip
NEW = "some_new_value"
ASSISTANT = {"id": "a", "object": "assistant", "created_at": 1, "model": "m"}
ASSISTANT |= dict.fromkeys(["name", "description", "instructions", "metadata"])


def refs(node) -> list[str]:
    return re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(node))


def extract(spec: dict) -> dict:
    """The Assistants operations and every schema they reach, as an OpenAPI document."""
    paths = {}
    for path, item in spec["paths"].items():
        if ops := {m: o for m, o in item.items() if "Assistants" in o.get("tags", [])}:
            paths[path] = ops
    schemas, seen = spec["components"]["schemas"], {}
    todo = ["AssistantStreamEvent", *refs(paths)]
    while todo:  # every $ref in this subset points into components/schemas
        if (name := todo.pop()) not in seen:
            seen[name] = schemas[name]
            todo += refs(schemas[name])
    doc = {"openapi": spec["openapi"], "info": spec["info"], "paths": paths}
    return doc | {"components": {"schemas": dict(sorted(seen.items()))}}


def generate(doc: dict, out: Path, *extra: str | Path) -> tuple[float, int]:
    """Run the DMCG CLI on `doc`; return wall seconds and exit code."""
    out.with_suffix(".json").write_text(json.dumps(doc))
    cmd = [sys.executable, "-m", "datamodel_code_generator", *FLAGS, *extra]
    cmd += ["--input", out.with_suffix(".json"), "--output", out]
    start = time.perf_counter()
    code = subprocess.run(cmd, capture_output=True, check=False).returncode
    return time.perf_counter() - start, code


def run_ok(doc: dict, out: Path, *extra: str | Path) -> str:
    assert generate(doc, out, *extra)[1] == 0, f"DMCG failed for {out.name}"
    return out.read_text()


def load(path: Path) -> Any:
    spec = util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module: Any = util.module_from_spec(spec)
    sys.modules[path.stem] = module
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec.loader.exec_module(module)
    module.warned = [str(w.message) for w in caught]
    classes = [c for c in vars(module).values() if isinstance(c, type)]
    mine = [c for c in classes if c.__module__ == path.stem]  # all BaseModels
    module.models = [c for c in mine if "[" not in c.__name__]  # not RootModel[...]
    return module


def errors(model, value) -> list[Any]:
    try:
        model.model_validate(value)
        return []
    except ValidationError as exc:
        return exc.errors()


def check_a(mod) -> tuple[bool, bool, int, int]:
    """A discriminated union reports errors under the tag only, a plain one per member."""
    tool = errors(mod.AssistantObject, ASSISTANT | {"tools": [{"type": "function"}]})
    bad_event = {"event": "thread.run.created", "data": {}}
    event = errors(mod.AssistantStreamEvent, bad_event)
    tool_ok = all(e["loc"][:3] == ("tools", 0, "function") for e in tool)
    event_ok = all(e["loc"][0] == "thread.run.created" for e in event)
    return tool_ok and bool(tool), event_ok and bool(event), len(tool), len(event)


def literals(tp) -> list:
    """The Literal values a field admits at its top level (through unions, not lists)."""
    if typing.get_origin(tp) is typing.Literal:
        return list(typing.get_args(tp))
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [v for arg in typing.get_args(tp) for v in literals(arg)]
    return []


def accepts_new(cls, key: str) -> bool:
    if issubclass(cls, RootModel):
        return not errors(cls, NEW)
    return all(e["loc"][:1] != (key,) for e in errors(cls, {key: NEW}))


def check_b(mod) -> tuple[int, int, bool]:
    """Enum fields (a Literal of 2+ values) that accept a new value; RunObject.status."""
    fields = [
        (cls, info.alias or name)
        for cls in mod.models
        for name, info in cls.model_fields.items()
        if len(literals(info.annotation)) > 1
    ]
    accepted = sum(accepts_new(cls, key) for cls, key in fields)
    return accepted, len(fields), accepts_new(mod.RunObject, "status")


def kept(parse, raw: dict) -> bool:
    try:
        return parse().model_dump(mode="json", by_alias=True) == raw
    except ValidationError:
        return False


def check_c(mod) -> tuple[bool, bool]:
    """Passes only if the unknown variant parses and dumps back to the raw input."""
    tool = {"type": "web_browser", "web_browser": {"max_pages": 3}}
    event = {"event": "thread.run.paused", "data": {"id": "run_1"}}
    tools = ASSISTANT | {"tools": [tool]}
    ok_tool = kept(lambda: mod.AssistantObject.model_validate(tools).tools[0], tool)
    ok_event = kept(lambda: mod.AssistantStreamEvent.model_validate(event).root, event)
    return ok_tool, ok_event


def check_d(mod, source: str, doc: dict) -> tuple[list[str], Counter]:
    """Renamed fields; docstring counts for component classes and their properties
    ("lost": a property description that appears nowhere in the output)."""
    pairs = [(c, n, i.alias) for c in mod.models for n, i in c.model_fields.items()]
    renamed = [f"{c.__name__}.{n}->{a}" for c, n, a in pairs if a and a != n]
    classes = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}
    count: Counter[str] = Counter()
    for name, schema in doc["components"]["schemas"].items():
        if not (node := classes.get(name)):
            continue  # collapsed into its users (--collapse-root-models)
        if schema.get("description"):
            count["classes"] += 1
            count["class_docs"] += bool(ast.get_docstring(node))
        body = zip(node.body, node.body[1:])
        fields = [a for a, b in body if isinstance(b, ast.Expr)]  # a docstring follows
        with_doc = {ast.unparse(a.target) for a in fields if isinstance(a, ast.AnnAssign)}
        for prop, sub in schema.get("properties", {}).items():
            arms = [sub, *sub.get("anyOf", []), *sub.get("oneOf", [])]
            if texts := [s["description"] for s in arms if s.get("description")]:
                count["fields"] += 1
                count["field_docs"] += prop in with_doc
                count["lost"] += texts[0].splitlines()[0] not in source
    return renamed, count


def classes_of(source: str) -> dict[str, str]:
    pattern = r"^class (\w+)[\s\S]*?(?=^class |\Z)"
    return {m[1]: m[0] for m in re.finditer(pattern, source, re.MULTILINE)}


def inject_discriminators(doc: dict) -> dict:
    """Control: add `discriminator` where all branches share a required one-value enum."""
    schemas = doc["components"]["schemas"]

    def tag(node: dict) -> dict:
        if "oneOf" not in node:
            return node
        arms = [schemas[a["$ref"][21:]] if "$ref" in a else a for a in node["oneOf"]]
        if not all("properties" in a for a in arms):
            return node
        common = set.intersection(*(set(a.get("required", [])) for a in arms))
        for p in sorted(common):
            if all(len(a["properties"][p].get("enum", [])) == 1 for a in arms):
                return node | {"discriminator": {"propertyName": p}}
        return node

    return json.loads(json.dumps(doc), object_hook=tag)


def template_dir(tmp: Path) -> Path:
    """The shipped BaseModel.jinja2 plus the docstring filters a custom template must add,
    `| str` after multi-value Literals, and a comment naming what a field's type is."""
    text = (TEMPLATES / "pydantic_v2/BaseModel.jinja2").read_text()
    for var in ("{{ description", "{{ field.docstring"):
        text = text.replace(f"{var} }}}}", f"{var} | format_docstring(4) }}}}")
    opened = "{% if field.data_type.literals|length > 1 %} | str{% endif %}"
    text = text.replace(": {{ field.type_hint }}", ": {{ field.type_hint }}" + opened)
    got = "{{ f.type_hint.__class__.__name__ }} + {{ f.data_type.__class__.__name__ }}"
    each = "{% for f in fields %}# GOT {{ class_name }}.{{ f.name }}: " + got
    out = tmp / "tpl/pydantic_v2/BaseModel.jinja2"
    out.parent.mkdir(parents=True)
    out.write_text(each + "\n{% endfor %}" + text)
    return tmp / "tpl"


def import_ms(tmp: Path) -> float:
    """Median `-X importtime` cumulative of the generated module, pydantic imported first."""
    code = "from pydantic import *\nimport m"
    cmd = [sys.executable, "-X", "importtime", "-c", code]
    times = []
    for _ in range(3):
        run = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, check=True)
        times.append(int(run.stderr.splitlines()[-1].split("|")[1]) / 1e3)
    return statistics.median(times)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def probe(doc: dict, tmp: Path) -> list[tuple[str, str, str]]:
    runs = [generate(doc, tmp / "m.py") for _ in range(3)]
    assert all(code == 0 for _, code in runs), "DMCG failed"
    source, mod = (tmp / "m.py").read_text(), load(tmp / "m.py")
    rows = []

    def row(label: str, ok: bool | None, note: str) -> None:
        rows.append((label, "INFO" if ok is None else verdict(ok), note))

    tool, event, n_tool, n_event = check_a(mod)
    row("(a) tools discriminated on `type`", tool, f"bad tool: {n_tool} errors")
    row("(a) events discriminated on `event`", event, f"bad event: {n_event} errors")
    accepted, total, status = check_b(mod)
    note = f"{accepted}/{total} enum fields; RunObject.status: {verdict(status)}"
    row("(b) new enum value accepted", accepted == total, note)
    tool, event = check_c(mod)
    row("(c) unknown tool -> fallback", tool, "{'type': 'web_browser', ...}")
    row("(c) unknown event -> fallback", event, "{'event': 'thread.run.paused', ...}")
    renamed, n = check_d(mod, source, doc)
    shadow = sum("shadows an attribute" in w for w in mod.warned)
    note = ", ".join(renamed) or f"0 renamed; {shadow} pydantic shadowing warning"
    row("(d) field names == JSON names", not renamed, note)
    note = f"fields {n['field_docs']}/{n['fields']} ({n['lost']} lost entirely), "
    note += f"classes {n['class_docs']}/{n['classes']}"
    ok = n["field_docs"] == n["fields"] and n["class_docs"] == n["classes"]
    row("(d) descriptions as docstrings", ok, note)
    gen_s = statistics.median(s for s, _ in runs)
    row("(e) generation (median of 3)", None, f"{gen_s:.2f} s per CLI run")
    row("(e) import of generated module", None, f"{import_ms(tmp):.0f} ms")

    classes = classes_of(source)
    numbered = [c for c in classes if re.search(r"\d", c)]  # no schema key has a digit
    note = f"{len(numbered)}/{len(classes)} classes, e.g. {', '.join(numbered[:4])}"
    row("names: no numbered classes", not numbered, note)
    reverse = {"schemas": dict(reversed(doc["components"]["schemas"].items()))}
    other = classes_of(run_ok(doc | {"components": reverse}, tmp / "m2.py"))
    moved = len(classes.keys() ^ other.keys())
    moved += sum(classes[k] != other[k] for k in classes.keys() & other.keys())
    note = f"{moved}/{len(classes)} class names vanish, appear or change body"
    row("names: same if schema order reversed", not moved, note)
    titled = run_ok(doc, tmp / "m3.py", "--use-title-as-name")
    texts = sorted(re.findall(r"^class (Text\d*)\(", titled, re.MULTILINE))
    row("names: --use-title-as-name", len(texts) < 2, f"'Text' -> {', '.join(texts)}")

    run_ok(inject_discriminators(doc), tmp / "m4.py")
    m4 = load(tmp / "m4.py")
    (tool, event, *_), (tool_c, event_c) = check_a(m4), check_c(m4)
    note = f"(a) tools {verdict(tool)}, events {verdict(event)}; "
    note += f"(c) tools {verdict(tool_c)}, events {verdict(event_c)}"
    row("control: `discriminator` in spec", None, note)
    hacked = run_ok(doc, tmp / "m5.py", "--custom-template-dir", template_dir(tmp))
    got = re.findall(r"# GOT \w+\.status: (.*)", hacked)[0]
    row("template: a field's type arrives as", None, got)
    accepted, total, _ = check_b(load(tmp / "m5.py"))
    row("template: `| str` after Literals", None, f"(b) {accepted}/{total} enum fields")
    return rows


def main() -> None:
    start = time.perf_counter()
    doc = extract(yaml.load(SPEC.read_text(), Loader=yaml.CSafeLoader))
    extract_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        rows = probe(doc, Path(tmp))
    python = sys.version.split()[0]
    dmcg, pyd = metadata.version("datamodel-code-generator"), metadata.version("pydantic")
    print(f"datamodel-code-generator {dmcg}, pydantic {pyd}, Python {python}")
    ops, schemas = sum(map(len, doc["paths"].values())), doc["components"]["schemas"]
    print(f"{ops} operations, {len(schemas)} schemas", end="; ")
    print(f"YAML load + extract {extract_s:.2f} s\n")
    for label, result, note in rows:
        print(f"{label:<38}{result:<6}{note}")


if __name__ == "__main__":
    main()

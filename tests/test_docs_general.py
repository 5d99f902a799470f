"""The reference docs of any API: the description rules (links, escaping) in both formats,
examples (the document's own, checked against the schema; realistic ones otherwise), one
expansion per type at any depth, and no flagship leftovers or empty sections."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from sdkgen.config import default_config, load_config
from sdkgen.errors import InputError
from sdkgen.importers.openapi import import_openapi
from sdkgen.render.docs import Node, build_pages, flatten, render_docs
from sdkgen.render.doctext import DocText
from sdkgen.spec import dump_spec, parse_spec

from .corpus import CORPUS, generated_sdk, import_document
from .test_docs import assert_links_resolve

PETSTORE = Path(__file__).parent / "fixtures" / "petstore" / "openapi.yaml"
DOCUMENTS = sorted(p.parent for p in CORPUS.glob("*/openapi.yaml")) + [PETSTORE.parent]


def docs_of(spec: Any) -> dict[str, str]:
    return {path: content.decode() for path, content in render_docs(spec).items()}


# -- the description rules -------------------------------------------------------------

TEXT = textwrap.dedent("""\
    See the [guide](/docs/guides/x#part), [JSON Schema](https://json-schema.org/) and
    [a page](other.html), [here](#anchor), `[code](/kept)` and <b>bold</b> <https://a.example>.

    ```
    [fenced](/kept) <i>
    ```

    Also [a reference][ref].

    [ref]: /docs/ref
    """)


def test_links_resolve_against_the_documentation_base_in_both_formats() -> None:
    text = DocText("https://vendor.example")
    markdown = text.markdown(TEXT)
    assert "[guide](https://vendor.example/docs/guides/x#part)" in markdown
    assert "[JSON Schema](https://json-schema.org/)" in markdown
    assert "a page, here," in markdown  # relative and in-page links of the vendor's: text
    assert "`[code](/kept)`" in markdown and "[fenced](/kept) <i>" in markdown
    assert "&lt;b>bold&lt;/b>" in markdown and "<https://a.example>" in markdown
    assert "[ref]: https://vendor.example/docs/ref" in markdown
    html = str(text.html(TEXT))
    assert '<a href="https://vendor.example/docs/guides/x#part">guide</a>' in html
    assert '<a href="https://vendor.example/docs/ref">a reference</a>' in html
    assert "a page, here," in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<code>[code](/kept)</code>" in html


def test_without_a_base_site_relative_links_keep_their_text_only() -> None:
    text = DocText("")
    markdown = text.markdown(TEXT)
    assert "See the guide, [JSON Schema](https://json-schema.org/)" in markdown
    assert "Also a reference." in markdown and "[ref]:" not in markdown
    html = str(text.html(TEXT))
    assert "See the guide, " in html and 'href="/' not in html
    assert "Also a reference." in html


# -- any API: no leftovers, no empty sections, nothing dangling --------------------------


@pytest.mark.parametrize("folder", DOCUMENTS, ids=lambda p: p.name)
def test_docs_of_any_document_are_whole(folder: Path, tmp_path: Path) -> None:
    spec = import_document(folder, tmp_path, package="sdk")
    docs = docs_of(spec)
    source = (folder / "openapi.yaml").read_text().lower()
    for path, text in docs.items():
        lowered = text.lower()
        for word in ("openai", "assistant", "platform.openai.com", "thread"):
            assert word in source or word not in lowered, f"{path}: {word}"
        if path.endswith(".md"):
            assert_no_empty_section(path, text)
    assert_links_resolve(docs)
    for page in build_pages(spec):
        for method in page.methods:
            if method.response and method.response_language == "json":
                assert_no_placeholder(json.loads(method.response), method.title)


def assert_no_empty_section(path: str, text: str) -> None:
    """A heading is followed by content before the next heading of its level or above."""
    lines = [line for line in text.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        level = len(line) - len(line.lstrip("#"))
        if not line.startswith("#") or line[level : level + 1] != " ":
            continue
        rest = lines[index + 1 :]
        following = next((x for x in rest if not x.startswith("<a id=")), "")
        depth = len(following) - len(following.lstrip("#"))
        heading = following.startswith("#") and following[depth : depth + 1] == " "
        assert following and not (heading and depth <= level), f"{path}: empty {line!r}"


def assert_no_placeholder(value: Any, where: str, key: str = "") -> None:
    """Synthesized values never repeat their field's name (`"name": "name"`)."""
    if isinstance(value, dict):
        for k, v in value.items():
            assert_no_placeholder(v, where, k)
    elif isinstance(value, list):
        for item in value:
            assert_no_placeholder(item, where, key)
    elif isinstance(value, str) and key:
        assert value.lower() not in (key.lower(), "string"), f"{where}: {key}: {value!r}"


# -- examples ------------------------------------------------------------------------------

EXAMPLES = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /orders:
    post:
      operationId: createOrder
      tags: [orders]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewOrder"}
            example: {item_id: item_42, quantity: 3}
      responses:
        "201":
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
              examples:
                placed: {$ref: "#/components/examples/Placed"}
    get:
      operationId: listOrders
      tags: [orders]
      responses:
        "200":
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Order"}}
  /orders/{order_id}:
    get:
      operationId: getOrder
      tags: [orders]
      parameters:
        - {name: order_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
      x-oaiMeta:
        examples:
          response: |
            {"id": "ord_7", "item_id": "item_42", "quantity": "three", "created_at": 1712000000,}
  /orders/{order_id}/receipt:
    get:
      operationId: getReceipt
      tags: [orders]
      parameters:
        - {name: order_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          content:
            application/json:
              schema:
                type: object
                required: [order_id, total, issued_at, status]
                properties:
                  order_id: {type: string}
                  total: {type: number, minimum: 0}
                  issued_at: {type: string, format: date-time}
                  status: {type: string, enum: [issued, void]}
                  email: {type: string, format: email}
                  url: {type: string}
                  name: {type: string}
components:
  examples:
    Placed:
      value: {id: ord_1, item_id: item_42, quantity: 3, created_at: 1712000000}
  schemas:
    NewOrder:
      type: object
      required: [item_id, quantity]
      properties:
        item_id: {type: string}
        quantity: {type: integer, minimum: 1}
    Order:
      type: object
      required: [id, item_id, quantity, created_at]
      properties:
        id: {type: string}
        item_id: {type: string}
        quantity: {type: integer}
        created_at: {type: integer}
        note: {type: string}
"""


def shop(tmp_path: Path, warnings: list[str] | None = None) -> Any:
    path = tmp_path / "shop.yaml"
    path.write_text(EXAMPLES, encoding="utf-8")
    return import_openapi(default_config(path, package="shop"), warnings=warnings)


def test_the_documents_examples_are_found_checked_and_shown(tmp_path: Path) -> None:
    warnings: list[str] = []
    spec = shop(tmp_path, warnings)
    methods = {m.operation_id: m for _, m in spec.methods()}
    create = methods["createOrder"]
    assert create.request_example is not None and create.response_example is not None
    assert create.response_example.value["id"] == "ord_1"
    assert create.response_example.source == "shop.yaml: #/components/examples/Placed/value"
    got = methods["getOrder"].response_example
    assert got is not None and got.value["quantity"] == "three"  # trailing comma forgiven
    where = "shop.yaml: #/paths/~1orders~1{order_id}/get/x-oaiMeta/examples/response"
    drift = '(Order): $.quantity: "three" is not an integer; shown as given'
    assert warnings == [f"{where}: the example drifts from its schema {drift}"]
    # The normalized spec keeps them, and reads them back.
    again = parse_spec(dump_spec(spec))
    assert again.resources == spec.resources

    pages = {m.title: m for page in build_pages(spec) for m in page.methods}
    assert json.loads(pages["Get"].response)["quantity"] == "three"
    assert 'item_id="item_42", quantity=3' in pages["Create"].example
    # Synthesized values learn from the document's examples: ids, timestamps, fields.
    listed = json.loads(pages["List"].response)[0]
    assert listed == {"id": "ord_1", "created_at": 1712000000, "item_id": "item_42",
                      "quantity": 3, "note": "example note"}  # fmt: skip
    assert 'client.orders.get("order_abc123")' in pages["Get"].example


def test_synthesized_examples_are_realistic_and_parse_strictly(tmp_path: Path) -> None:
    spec = shop(tmp_path)
    pages = {m.title: m for page in build_pages(spec) for m in page.methods}
    receipt = json.loads(pages["Get receipt"].response)
    assert receipt["order_id"] == "order_abc123"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", receipt["issued_at"])
    assert receipt["status"] == "issued" and receipt["email"] == "user@example.com"
    assert receipt["url"].startswith("https://") and receipt["total"] >= 0
    assert_no_placeholder(receipt, "receipt")
    with generated_sdk(EXAMPLES, tmp_path, package="shop") as sdk:
        types = sdk.types  # type: ignore[attr-defined]
        for title, name in (("Get receipt", "OrderGetReceiptResponse"), ("List", None)):
            data = json.loads(pages[title].response)
            if name is not None:
                sdk.parse(getattr(types, name), data, strict=True)  # type: ignore[attr-defined]
            else:
                for item in data:
                    sdk.parse(types.Order, item, strict=True)  # type: ignore[attr-defined]


def test_the_overlay_pins_examples_and_names_the_documentation_base(tmp_path: Path) -> None:
    (tmp_path / "shop.yaml").write_text(EXAMPLES, encoding="utf-8")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "order.json").write_text('{"id": "ord_9", "item_id": "x",'
                                                     ' "quantity": 1, "created_at": 0}')  # fmt: skip
    config = tmp_path / "config.yaml"
    config.write_text(
        "source: shop.yaml\n"
        "docs:\n  base_url: https://docs.shop.example/\n"
        "  examples: {getOrder: {response: examples/order.json}}\n"
    )
    spec = import_openapi(load_config(config))
    assert spec.api.docs_base_url == "https://docs.shop.example/"
    got = next(m for _, m in spec.methods() if m.operation_id == "getOrder")
    assert got.response_example is not None and got.response_example.value["id"] == "ord_9"
    assert got.response_example.source == (
        "config.yaml: docs.examples.getOrder.response (examples/order.json)"
    )
    config.write_text("source: shop.yaml\ndocs:\n  examples: {nope: {response: x.json}}\n")
    with pytest.raises(InputError, match="docs.examples.nope: no generated operation 'nope'"):
        import_openapi(load_config(config))


# -- one expansion per type, at any depth -------------------------------------------------


def nested(depth: int) -> str:
    """A response whose schema nests inline objects `depth` levels deep."""
    schema = "{type: object, properties: {leaf: {type: string, description: The bottom.}}}"
    for level in range(depth, 0, -1):
        schema = f"{{type: object, properties: {{level{level}: {schema}}}}}"
    return textwrap.dedent(f"""\
        openapi: 3.0.3
        info: {{title: Deep, version: "1"}}
        paths:
          /deep:
            get:
              operationId: getDeep
              tags: [deep]
              responses:
                "200":
                  content:
                    application/json:
                      schema: {schema}
          /deep/again:
            get:
              operationId: getDeepAgain
              tags: [other]
              responses:
                "200":
                  content:
                    application/json:
                      schema: {{$ref: "#/components/schemas/Shared"}}
        components:
          schemas:
            Shared:
              type: object
              properties:
                inner: {{$ref: "#/components/schemas/Inner"}}
            Inner:
              type: object
              properties:
                name: {{type: string}}
        """)


def test_types_nest_to_any_depth_and_expand_once(tmp_path: Path) -> None:
    spec = import_document(nested(12), tmp_path)
    docs = docs_of(spec)
    page = docs["deep.md"]
    for level in range(1, 13):
        assert f"`level{level}`" in page
    assert "\n" + "  " * 13 + "- `leaf`: `str` (optional)\n" + "  " * 13 + "  The bottom." in page
    assert '"leaf": "example leaf"' in page  # the example goes as deep
    html = docs["html/deep.html"]
    assert html.count("<details>") == 13 and "The bottom." in html  # the value, 12 levels
    anchors = [a for text in docs.values() for a in re.findall(r'<a id="(type-[^"]+)"', text)]
    assert len(anchors) == len(set(anchors))
    assert_links_resolve(docs)


def test_flatten_walks_any_depth_without_recursion() -> None:
    root = node = Node(name="n0")
    for index in range(1, 3000):
        child = Node(name=f"n{index}")
        node.children.append(child)
        node = child
    rows = flatten([root])
    assert [r.kind for r in rows[:2]] == ["open", "open"] and rows[-1].kind == "close"
    assert max(r.depth for r in rows) == 2999 and len(rows) == 2 * 2999 + 1


SHARED = """
openapi: 3.0.3
info: {title: Shared, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      tags: [first]
      responses:
        "200": {content: {application/json: {schema: {$ref: "#/components/schemas/A"}}}}
  /b:
    get:
      operationId: getB
      tags: [second]
      responses:
        "200": {content: {application/json: {schema: {$ref: "#/components/schemas/B"}}}}
    post:
      operationId: postB
      tags: [second]
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/BInput"}}}
      responses:
        "204": {description: done}
components:
  schemas:
    A: {type: object, properties: {inner: {$ref: "#/components/schemas/Inner"}}}
    B: {type: object, properties: {inner: {$ref: "#/components/schemas/Inner"}}}
    BInput: {type: object, properties: {mine: {$ref: "#/components/schemas/Mine"}}}
    Inner: {type: object, properties: {name: {type: string}}}
    Mine: {type: object, properties: {name: {type: string}}}
    Unused: {type: object, properties: {name: {type: string}}}
"""


def test_shared_types_go_to_the_shared_page_and_others_stay_home(tmp_path: Path) -> None:
    spec = import_document(SHARED, tmp_path)
    pages = {p.module: [t.name for t in p.types] for p in build_pages(spec)}
    # returned types where returned, one resource's types there, the rest shared; the
    # body model is its method's parameters
    assert pages == {"first": ["A"], "second": ["B", "Mine"], "types": ["Inner", "Unused"]}
    docs = docs_of(spec)
    assert '<a id="type-BInput"></a>\n### Parameters' in docs["second.md"]
    assert "[`Inner`](types.md#type-Inner)" in docs["first.md"]


@pytest.mark.slow
def test_the_whole_openai_spec_documents_every_type_once_with_live_links() -> None:
    source = max((Path(__file__).parent.parent / "spec" / "upstream").glob("openai-*.yaml"))
    spec = import_openapi(default_config(source))
    docs = docs_of(spec)
    assert_links_resolve(docs)
    anchors = [a for text in docs.values() for a in re.findall(r'<a id="(type-[^"]+)"', text)]
    assert len(anchors) == len(set(anchors)) == len(spec.definitions())
    methods = [m for page in build_pages(spec) for m in page.methods]
    assert len(methods) == len(spec.methods()) and all(m.example for m in methods)

"""Where an OpenAPI document comes from: a file on disk, or a URL fetched over HTTP(S).

A fetched document is written to a private temporary folder so the importer reads every
document the same way (relative `$ref`s of a fetched document cannot be followed, and
the importer says so, naming the `$ref`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .errors import InputError
from .importers.documents import MAX_DOCUMENT_BYTES, megabytes

FETCH_TIMEOUT_SECONDS = 30.0
_DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Source:
    """A document's bytes and the file name it would be pinned under."""

    origin: str  # the path or URL as the user gave it
    name: str
    content: bytes


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


def read_source(location: str) -> Source:
    """The document at a path or http(s) URL; InputError naming it if it cannot be read."""
    if is_url(location):
        return Source(location, _url_file_name(location), fetch(location))
    path = Path(location)
    try:
        with path.open("rb") as stream:  # bounded: `/dev/zero` must not fill the memory
            content = stream.read(MAX_DOCUMENT_BYTES + 1)
        if len(content) > MAX_DOCUMENT_BYTES:
            raise InputError(location, f"document is larger than {megabytes(MAX_DOCUMENT_BYTES)}")
        return Source(location, path.name, content)
    except IsADirectoryError:
        raise InputError(location, "is a folder, not an OpenAPI document") from None
    except OSError as exc:
        raise InputError(location, f"cannot read: {exc.strerror or exc}") from None


def fetch(url: str) -> bytes:
    import httpx  # here, not at the top: most runs read files, and every run starts faster

    try:
        with httpx.stream("GET", url, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True) as r:
            if r.status_code != 200:
                raise InputError(url, f"cannot fetch: HTTP {r.status_code} {r.reason_phrase}")
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise InputError(
                        url, f"cannot fetch: larger than {megabytes(MAX_DOCUMENT_BYTES)}"
                    )
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.TimeoutException:
        raise InputError(
            url, f"cannot fetch: no answer within {FETCH_TIMEOUT_SECONDS:g} s"
        ) from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch: {exc or type(exc).__name__}") from None


def _url_file_name(url: str) -> str:
    name = PurePosixPath(urlsplit(url).path).name
    return name if name.endswith(_DOCUMENT_SUFFIXES) else "openapi.yaml"


@contextmanager
def materialized(source: Source) -> Iterator[Path]:
    """A path to read `source` from: the file itself, or a temporary copy of fetched bytes."""
    if not is_url(source.origin):
        yield Path(source.origin)
        return
    with tempfile.TemporaryDirectory(prefix="sdkgen-fetch-") as folder:
        path = Path(folder) / source.name
        path.write_bytes(source.content)
        yield path

"""Builders shared by the parser tests: raw bytes → the frames the parser takes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from orchestration.lib.parsing import ParseResult, decode_files, parse_documents
from orchestration.lib.schemas import DOCUMENTS

FILES_SCHEMA = {"report_id": pl.String, "source_file": pl.String, "content": pl.Binary}


def files_frame(blobs: dict[str, bytes]) -> pl.DataFrame:
    """{source_file: bytes} → the frame decode_files takes (report_id = sha256 of the bytes)."""
    return pl.DataFrame(
        {
            "report_id": [hashlib.sha256(b).hexdigest() for b in blobs.values()],
            "source_file": list(blobs),
            "content": list(blobs.values()),
        },
        schema=FILES_SCHEMA,
    )


def read_files(paths: Iterable[Path]) -> pl.DataFrame:
    return files_frame({p.name: p.read_bytes() for p in paths})


def parse_paths(paths: Iterable[Path]) -> tuple[ParseResult, pl.DataFrame]:
    """Decode and parse files; also returns the quarantine rows of undecodable ones."""
    documents, undecodable = decode_files(read_files(paths))
    return parse_documents(documents), undecodable


def docs(*texts: str) -> pl.DataFrame:
    """Already-decoded texts as DOCUMENTS, ids r0, r1, …"""
    return pl.DataFrame(
        {
            "report_id": [f"r{i}" for i in range(len(texts))],
            "source_file": [f"r{i}.txt" for i in range(len(texts))],
            "encoding": ["utf-8"] * len(texts),
            "text": list(texts),
            "line_origin": [None] * len(texts),
        },
        schema=DOCUMENTS,
    )

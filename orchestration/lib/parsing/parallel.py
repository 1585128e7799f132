"""Raw files → parsed frames on several cores: decode_files and parse_documents in worker processes.

Parsing is a pure function of each document (the same frames whether a document is parsed alone
or among thousands), so a batch can be cut into chunks parsed in parallel and the chunks' frames
concatenated in order: the result equals ``decode_files`` then ``parse_documents`` on the whole
batch, row for row. Polars spends much of a parse between native calls in Python, and the HTML
reader is Python over lxml, so one process keeps about 1.3 cores busy; processes use them all.

Workers are started with ``spawn`` (no fork of a multi-threaded polars process) once per process
and reused by later batches (``shutdown_workers`` stops them; at exit they are stopped anyway).
Frames travel between processes as uncompressed Arrow IPC bytes (a third of the cost of pickling
the frames: a batch's values, with their evidence text, are about 35 MB per 1,000 reports).
"""

from __future__ import annotations

import atexit
import io
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import polars as pl

from orchestration.lib.parsing.decode import FILES, decode_files
from orchestration.lib.parsing.parse import ParseResult, parse_documents
from orchestration.lib.schemas import INDICATOR_VALUES, QUARANTINE, REPORTS, SECTIONS, VALUE_RELATIONS

#: Below this many files a batch is parsed in this process (starting workers costs more).
MIN_PARALLEL_FILES = 200
#: Chunks per worker: one, since each parse_documents call has a fixed cost of about 0.3 CPU-s
#: (about a thousand small polars calls).
CHUNKS_PER_WORKER = 1

#: Read by polars when a worker imports it.
THREADS_ENV = "POLARS_MAX_THREADS"

_POOL: dict[int, ProcessPoolExecutor] = {}

#: A tiny report and web page parsed once by each worker as it starts: the catalogue, the seeds, the
#: prose rules and the divisions are loaded before its first chunk arrives.
_WARM_UP_TEXT = (
    "测试县人民政府2019年政府信息公开工作年度报告\n\n一、总体情况\n本年度主动公开信息12条，其中政策文件3条。\n"
    "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n联系地址：四川省成都市\n"
)
_WARM_UP_PAGE = (
    "<html><head><title>测试县2019年政府信息公开工作年度报告</title></head><body><p>一、总体情况</p>"
    "<table><tr><td>本年新收政府信息公开申请数量</td><td>3</td></tr></table></body></html>"
)


def _warm_up() -> None:
    files = pl.DataFrame(
        {
            "report_id": ["warm-up-text", "warm-up-page"],
            "source_file": ["warm-up.txt", "warm-up.html"],
            "content": [_WARM_UP_TEXT.encode(), _WARM_UP_PAGE.encode()],
        },
        schema=FILES,
    )
    _parse_chunk(files)


def _parse_chunk(files: pl.DataFrame) -> tuple[ParseResult, pl.DataFrame]:
    docs, undecodable = decode_files(files)
    return parse_documents(docs), undecodable


#: The frames a chunk gives, in this order (ParseResult's fields, then the undecodable files).
_FRAMES = ("reports", "values", "quarantine", "relations", "sections")


def _to_ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    return buffer.getvalue()


def _from_ipc(data: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(data))


def _parse_chunk_ipc(files: bytes) -> list[bytes]:
    """_parse_chunk in a worker: FILES in, the five frames and the undecodable files out, as IPC."""
    result, undecodable = _parse_chunk(_from_ipc(files))
    return [*(_to_ipc(getattr(result, name)) for name in _FRAMES), _to_ipc(undecodable)]


def _pool(workers: int) -> ProcessPoolExecutor:
    if workers not in _POOL:
        shutdown_workers()
        _POOL[workers] = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up
        )
    return _POOL[workers]


@contextmanager
def _worker_threads(workers: int) -> Iterator[None]:
    """Polars threads per worker: the cores shared out (POLARS_MAX_THREADS, unless already set, is read
    by a worker's polars at import; workers are spawned during the first map). One thread per
    process parses faster than several: a parse is many short native calls that threads only wait on."""
    threads = os.environ.get(THREADS_ENV)
    if threads is None:
        os.environ[THREADS_ENV] = str(max(1, (os.cpu_count() or 1) // workers))
    try:
        yield
    finally:
        if threads is None:
            os.environ.pop(THREADS_ENV, None)


def shutdown_workers() -> None:
    """Stop the worker processes, if any were started."""
    for pool in _POOL.values():
        pool.shutdown(wait=True, cancel_futures=True)
    _POOL.clear()


atexit.register(shutdown_workers)


def _concat(parts: list[list[bytes]], order: pl.Series) -> tuple[ParseResult, pl.DataFrame]:
    """The chunks' frames (IPC, _parse_chunk_ipc's order) in their schemas, each concatenated and
    sorted stably by the position of its report_id in ``order``: the rows of one document keep
    their order, documents come in the batch's order."""
    position = pl.col("report_id").replace_strict(order, pl.int_range(order.len(), dtype=pl.UInt32, eager=True))
    schemas = (REPORTS, INDICATOR_VALUES, QUARANTINE, VALUE_RELATIONS, SECTIONS, QUARANTINE)
    frames = [
        pl.concat([_from_ipc(part[i]) for part in parts])
        .cast(schema)  # type: ignore[arg-type]
        .sort(position, maintain_order=True)
        for i, schema in enumerate(schemas)
    ]
    return ParseResult(**dict(zip(_FRAMES, frames[:5], strict=True))), frames[5]


def parse_files(
    files: pl.DataFrame, workers: int = 1, min_files: int = MIN_PARALLEL_FILES
) -> tuple[ParseResult, pl.DataFrame]:
    """``decode_files(files)`` then ``parse_documents`` on its documents, on ``workers`` processes.

    ``files``: FILES columns (report_id, source_file, content). Returns the ParseResult and the
    files that could not be decoded (QUARANTINE), exactly as the two calls in one process would —
    the same rows in the same order. With ``workers`` ≤ 1, or fewer than ``min_files`` files,
    everything runs in this process. Should a worker process die, the batch is parsed here.
    """
    missing = [c for c in FILES.names() if c not in files.columns]
    if missing:
        raise ValueError(f"parse_files: missing columns {missing}")
    # Duplicated contents are dropped before the batch is cut: each report_id is parsed once.
    files = files.select(FILES.names()).unique(subset="report_id", keep="first", maintain_order=True)
    if workers <= 1 or files.height < max(min_files, workers):
        return _parse_chunk(files)
    # Every n-th file to each worker: a batch sorted by path (year, province) would otherwise give
    # one worker the older, lighter reports and the other the national-template ones.
    n = workers * CHUNKS_PER_WORKER
    chunks = [files.gather_every(n, offset=k) for k in range(n)]
    try:
        with _worker_threads(workers):
            parts = list(_pool(workers).map(_parse_chunk_ipc, [_to_ipc(chunk) for chunk in chunks]))
    except BrokenProcessPool:
        shutdown_workers()
        return _parse_chunk(files)
    return _concat(parts, files["report_id"])

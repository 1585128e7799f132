"""Small text renderings of frames for Dagster metadata and the run summary."""

from __future__ import annotations

import polars as pl


def markdown_table(frame: pl.DataFrame, rows: int = 20) -> str:
    if frame.height == 0:
        return "_none_"
    with pl.Config(
        tbl_formatting="MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_rows=rows,
        fmt_str_lengths=60,
    ):
        return str(frame.head(rows))

"""Parsing layer: raw bytes → decoded documents → reports, indicator values, quarantine.

Pure functions over polars frames in the schemas of ``orchestration.lib.schemas``; no Dagster.
"""

from orchestration.lib.parsing.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue, prepare_catalogue
from orchestration.lib.parsing.decode import decode_bytes, decode_files
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.metadata import agency_level
from orchestration.lib.parsing.parse import ParseResult, parse_documents

__all__ = [
    "DEFAULT_CATALOGUE_PATH",
    "ParseResult",
    "agency_level",
    "decode_bytes",
    "decode_files",
    "explode_lines",
    "load_catalogue",
    "parse_documents",
    "prepare_catalogue",
]

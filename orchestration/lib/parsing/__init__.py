"""Parsing layer: raw bytes → decoded documents → reports, indicator values (statistics table and
prose), prose sums (value relations), quarantine; ``parse_files`` does decode and parse on worker processes.

Pure functions over polars frames in the schemas of ``orchestration.lib.schemas``; no Dagster.
"""

from orchestration.lib.parsing.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue, prepare_catalogue
from orchestration.lib.parsing.clean import CLEANING_FLAGS, Cleaned, clean_documents
from orchestration.lib.parsing.decode import decode_bytes, decode_files
from orchestration.lib.parsing.lines import explode_lines
from orchestration.lib.parsing.metadata import agency_level
from orchestration.lib.parsing.parallel import parse_files, shutdown_workers
from orchestration.lib.parsing.parse import ParseResult, parse_documents
from orchestration.lib.parsing.prose import DEFAULT_PATTERNS_PATH, PatternRules, extract_prose, load_rules

__all__ = [
    "CLEANING_FLAGS",
    "DEFAULT_CATALOGUE_PATH",
    "DEFAULT_PATTERNS_PATH",
    "Cleaned",
    "ParseResult",
    "PatternRules",
    "agency_level",
    "clean_documents",
    "decode_bytes",
    "decode_files",
    "explode_lines",
    "extract_prose",
    "load_catalogue",
    "load_rules",
    "parse_documents",
    "parse_files",
    "prepare_catalogue",
    "shutdown_workers",
]

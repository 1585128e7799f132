"""Which dbt tests test code (the seed catalogues) rather than the data of a refresh."""

from orchestration.lib.dbt_manifest import catalogue_tests


def _test(name: str, *parents: str) -> dict:
    return {"resource_type": "test", "name": name, "depends_on": {"nodes": list(parents)}}


def test_only_tests_reading_nothing_but_seeds_are_catalogue_tests():
    manifest = {
        "nodes": {
            "test.p.b": _test("unique_catalogue_code", "seed.p.catalogue"),
            "test.p.a": _test("assert_rules_name_known_codes", "seed.p.rules", "seed.p.catalogue"),
            "test.p.fk": _test("relationships_stg_values_code", "model.p.stg_values", "seed.p.catalogue"),
            "test.p.m": _test("not_null_fct_value_id", "model.p.fct_value"),
            "test.p.none": _test("assert_nothing"),
            "seed.p.catalogue": {"resource_type": "seed", "name": "catalogue", "depends_on": {"nodes": []}},
        }
    }
    assert catalogue_tests(manifest) == {
        "test.p.a": "assert_rules_name_known_codes",
        "test.p.b": "unique_catalogue_code",
    }
    assert catalogue_tests({}) == {}

{#-
  Incremental per-year marts (mart_indicator_year): each row carries the year_signature of its report
  year, an md5 over the signatures (int_report_signatures) of every report of that year, salted with
  the model's lineage_checksum(). A report added, removed, reparsed, renamed or superseded changes the
  signature of its year only, so a refresh
    1. deletes (pre-hook, same transaction as the insert) the rows of every year whose signature is no
       longer current, years left without reports included;
    2. rebuilds the years whose current signature has no row (signed_rows_to_build()) and appends them.
  A first build or `--full-refresh` builds every year.
-#}

{#- report_year, year_signature of every report year (reports without a year belong to none). -#}
{% macro year_signatures() -%}
    select
        reports.report_year,
        {{ model_report_signature(
            "string_agg(signatures.report_signature, ',' order by signatures.report_id)"
        ) }} as year_signature
    from {{ ref('int_reports_ranked') }} as reports
    inner join {{ ref('int_report_signatures') }} as signatures
        on reports.report_id = signatures.report_id
    where reports.report_year is not null
    group by reports.report_year
{%- endmacro %}

{#-
  mart_agency_year, incremental by report: a row is a function of its current report (its signature in
  int_report_signatures covers the report's values, checks and related reports) and of its agency's
  dim_agency row (name and level, taken from the agency's latest reports). row_signature salts both
  with the model's lineage; a refresh deletes the rows whose signature is no longer current and builds
  the reports whose signature has no row: a new report, a superseded or re-checked one, and every report
  of an agency whose dim_agency row changed.
-#}

{#- report_id, row_signature of every report mart_agency_year holds (current, with agency and year). -#}
{% macro agency_year_signatures() -%}
    select
        reports.report_id,
        {{ model_report_signature(
            "signatures.report_signature || '|' || coalesce(md5(cast(agencies as varchar)), '')"
        ) }} as row_signature
    from {{ ref('int_reports_ranked') }} as reports
    inner join {{ ref('int_report_signatures') }} as signatures
        on reports.report_id = signatures.report_id
    left join {{ ref('dim_agency') }} as agencies
        on reports.agency_id = agencies.agency_id
    where reports.is_current
        and reports.agency_id is not null
        and reports.report_year is not null
{%- endmacro %}

{#- The rows an incremental signed mart builds: every row of ``signatures`` (a select of the key and
    ``signature``) on a full build, else those whose signature has no row in the model. -#}
{% macro signed_rows_to_build(signatures, signature) -%}
    select *
    from ({{ signatures }}) as current_rows
    {%- if is_incremental() %}
    where {{ signature }} not in (select distinct {{ signature }} from {{ this }})
    {%- endif %}
{%- endmacro %}

{#- Pre-hook of an incremental signed mart: delete the rows whose ``signature`` is not in ``signatures``
    any more (no-op on a full build). -#}
{% macro delete_unsigned_rows(signatures, signature) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ signature }} not in (select {{ signature }} from ({{ signatures }}) as current_rows)
    {%- endif -%}
{%- endmacro %}

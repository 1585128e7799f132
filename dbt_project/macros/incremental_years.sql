{#-
  Incremental per-year marts (mart_indicator_year): each row carries the year_signature of its report
  year, an md5 over the signatures (int_report_signatures) of every report of that year, salted with
  the model's lineage_checksum(). A report added, removed, reparsed, renamed or superseded changes the
  signature of its year only, so a refresh
    1. deletes (pre-hook, same transaction as the insert) the rows of every year whose signature is no
       longer current, years left without reports included;
    2. rebuilds the years whose current signature has no row (years_to_build()) and appends them.
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

{#- report_year, year_signature of the years to build: all on a full build, else those without rows. -#}
{% macro years_to_build() -%}
    select report_year, year_signature
    from ({{ year_signatures() }}) as current_years
    {%- if is_incremental() %}
    where year_signature not in (select distinct year_signature from {{ this }})
    {%- endif %}
{%- endmacro %}

{#- Pre-hook: delete the rows of years whose signature is no longer current (no-op on a full build). -#}
{% macro delete_stale_years() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where year_signature not in (select year_signature from ({{ year_signatures() }}) as current_years)
    {%- endif -%}
{%- endmacro %}

{#-
  Incremental per-report models (int_indicator_values_deduplicated, int_rule_evaluations,
  fct_indicator_value, fct_report_section): each row carries the report_signature its report was built
  from (int_report_signatures, salted with lineage_checksum()). A build
    1. deletes (pre-hook, same transaction as the insert) every row whose signature is no longer a
       current one: removed, reparsed, renamed, superseded or re-linked reports, any code or seed change;
    2. builds the reports whose current signature has no row (reports_to_build()) and appends them.
  A first build or `--full-refresh` builds every report.
-#}

{#- md5 over the checksums of a model (default: this one) and every model and seed upstream of it, so a
    change to their SQL or to a seed's data changes every signature (the whole model is rebuilt).
    Macros are not covered: a macro change needs `dbt build --full-refresh`. -#}
{% macro lineage_checksum(unique_id=none) -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set nodes = graph.get('nodes', {}) -%}
    {%- set queue = [unique_id or model.unique_id] -%}
    {%- set seen = [] -%}
    {%- set checksums = [] -%}
    {%- for node_id in queue -%}
        {%- set node = nodes.get(node_id) -%}
        {%- if node and node_id not in seen -%}
            {%- do seen.append(node_id) -%}
            {%- do checksums.append(node_id ~ '=' ~ node.checksum.checksum) -%}
            {%- for parent in node.get('depends_on', {}).get('nodes', []) -%}
                {%- do queue.append(parent) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(local_md5(checksums | sort | join(','))) }}
{%- endmacro %}

{#- The signature stored in a model's rows (default: this one) for a report_signature of
    int_report_signatures. -#}
{% macro model_report_signature(column, unique_id=none) -%}
    md5({{ column }} || '|{{ lineage_checksum(unique_id) }}')
{%- endmacro %}

{#- Pre-hook: delete the rows of reports whose signature is no longer current (no-op on a full build). -#}
{% macro delete_stale_reports() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where report_signature not in (
            select {{ model_report_signature('report_signature') }}
            from {{ ref('int_report_signatures') }}
        )
    {%- endif -%}
{%- endmacro %}

{#- report_id, report_signature of the reports to build: all on a full build, else those without rows. -#}
{% macro reports_to_build() -%}
    select
        report_id,
        {{ model_report_signature('report_signature') }} as report_signature
    from {{ ref('int_report_signatures') }}
    {%- if is_incremental() %}
    where {{ model_report_signature('report_signature') }} not in (
        select distinct report_signature from {{ this }}
    )
    {%- endif %}
{%- endmacro %}

{#- Config shared by the incremental per-report models. -#}
{% macro incremental_report_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': "{{ delete_stale_reports() }}",
    }) }}
{%- endmacro %}

{#- Data tests: a `where` config may say `__current_invocation__`, replaced when the test runs by this
    dbt invocation's id. Tests of the incremental per-report models use
    `where: "dbt_invocation_id = __current_invocation__"`, so they check the rows built by this run:
    every row on a full build, the new and changed reports on a refresh. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- set where = where | replace('__current_invocation__', "'" ~ invocation_id ~ "'") -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

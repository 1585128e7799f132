{#-
  The headline columns of mart_agency_year, in output order.
  Which indicator fills a column is data (seeds/headline_indicators.csv): adding an indicator for an
  existing column needs no SQL change; a new column is added here (and documented in _marts.yml).
-#}
{% macro headline_columns() -%}
    {{ return([
        'proactive_items',
        'proactive_normative_docs',
        'requests_received',
        'requests_completed',
        'requests_granted',
        'requests_carried_over',
        'requests_carried_forward',
        'reconsiderations',
        'lawsuits',
        'complaints',
        'fees_wan_yuan',
        'staff_total',
        'meetings',
        'trainings',
        'trainees',
    ]) }}
{%- endmacro %}

{#- Agency name for identity: all whitespace removed (ASCII, full-width U+3000, NBSP and other Unicode spaces). -#}
{% macro normalise_agency_name(column) -%}
    nullif(regexp_replace({{ column }}, '[\s\p{Z}]+', '', 'g'), '')
{%- endmacro %}

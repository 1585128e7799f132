{#- md5 over '|'-joined columns; NULL is encoded distinctly from '' so keys stay unique. -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'
    {%- for column in columns -%}
        , coalesce(cast({{ column }} as varchar), '<null>')
    {%- endfor -%}
    ))
{%- endmacro %}

{#- md5 over '|'-joined columns; NULL is encoded distinctly from '' so keys stay unique.
    optional_columns are appended only when not NULL, so adding them to a key keeps the keys of rows
    that leave them NULL unchanged. -#}
{% macro surrogate_key(columns, optional_columns=[]) -%}
    md5(concat_ws('|'
    {%- for column in columns -%}
        , coalesce(cast({{ column }} as varchar), '<null>')
    {%- endfor -%}
    {%- for column in optional_columns -%}
        , '{{ column }}=' || cast({{ column }} as varchar)
    {%- endfor -%}
    ))
{%- endmacro %}

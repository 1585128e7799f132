{#- SQL expression: 1-based position of the value of `column` in the given list of names (NULL if absent);
    used to order lists of headline columns as the mart orders its columns. -#}
{% macro column_position(column, names) -%}
    list_position([{%- for name in names %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor -%}], {{ column }})
{%- endmacro %}

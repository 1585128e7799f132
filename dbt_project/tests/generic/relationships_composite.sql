{% test relationships_composite(model, columns, to, fields) %}
{#- Rows whose columns (all non-NULL) match no row of `to` on the corresponding fields: a foreign key
    over several columns (replaces dbt_utils.relationships_where for composite keys). -#}
select
    {%- for column in columns %}
    child.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ model }} as child
where
    {%- for column in columns %}
    child.{{ column }} is not null and
    {%- endfor %}
    not exists (
        select 1
        from {{ to }} as parent
        where
            {%- for column in columns %}
            parent.{{ fields[loop.index0] }} = child.{{ column }}{{ ' and' if not loop.last }}
            {%- endfor %}
    )
{% endtest %}

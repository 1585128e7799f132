-- One row per indicator code (seed indicator_catalogue), conformed across template families: a code
-- shared by the gov2019 and gov2021 tables (t2_*, t3_*, t4_*) means the same row in both and is one
-- indicator here. The scalar columns describe the code as printed by its newest family
-- (template_order of seed template_families: gov2021 over gov2019); `families` keeps every family's
-- label, unit, tree and breakdown set, and differs_by_family says whether they disagree (e.g.
-- t2_normative_docs 规范性文件 (2019) / 行政规范性文件 (2021); t2_fees counted in 项 (2019) but
-- collected in 万元 (2021); t3_other_processing a leaf in 2019, a header over three rows in 2021).

with

catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

template_families as (
    select * from {{ ref('template_families') }}
),

ordered as (
    select
        catalogue.*,
        coalesce(template_families.template_order, -1) as template_order
    from catalogue
    left join template_families
        on catalogue.template = template_families.template
),

per_code as (
    select
        indicator_code,
        arg_max(template, template_order) as template,
        list(template order by template_order) as templates,
        list(
            {
                'template': template,
                'row_order': row_order,
                'label_prefix': label_prefix,
                'name_zh': name_zh,
                'name_en': name_en,
                'unit': unit,
                'parent_code': parent_code,
                'is_header': is_header,
                'table_no': table_no,
                'breakdown_set': breakdown_set
            }
            order by template_order
        ) as families,
        count(distinct (name_zh, unit, is_header, coalesce(breakdown_set, ''), coalesce(parent_code, ''))) > 1
            as differs_by_family
    from ordered
    group by indicator_code
),

final as (
    select
        per_code.indicator_code,
        newest.name_zh,
        newest.name_en,
        newest.unit,
        newest.parent_code,
        per_code.template,
        newest.row_order,
        newest.is_header,
        newest.label_prefix,
        newest.table_no,
        newest.breakdown_set,
        per_code.templates,
        per_code.families,
        per_code.differs_by_family
    from per_code
    inner join catalogue as newest
        on per_code.indicator_code = newest.indicator_code
        and per_code.template = newest.template
)

select * from final

-- One unit per (indicator_code, breakdown) across templates: a code shared by gov2019 and gov2021 keeps
-- its unit in every column both print (t2_fees counts items (项) in 2019 and collects money (万元) in
-- 2021, but in different columns). mart_indicator_year relies on it.

select
    indicator_code,
    breakdown,
    list(distinct unit) as units
from {{ ref('int_catalogue_cells') }}
group by indicator_code, breakdown
having count(distinct unit) > 1

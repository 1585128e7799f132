{{ config(severity='warn') }}
-- Every content hash of the raw-dir inventory became a report or a quarantine row (warn: the
-- inventory may be refreshed before parsing has caught up).

select files.source_file, files.report_id
from {{ ref('stg_xxgk__raw_files') }} as files
where files.report_id not in (select report_id from {{ ref('stg_xxgk__reports') }})
    and files.report_id not in (select report_id from {{ ref('stg_xxgk__quarantine') }})

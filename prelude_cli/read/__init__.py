"""The one read path: per-case results cached and spread over worker processes, case filters,
and what case list and show say."""

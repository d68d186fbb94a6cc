"""Tools over a clean folder's records: export, validate, review, detect."""

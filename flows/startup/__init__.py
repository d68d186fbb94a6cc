"""Start-up tuning: the embedded Prefect server and the worker pool that make a run start in seconds."""

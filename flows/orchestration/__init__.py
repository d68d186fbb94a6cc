"""Prefect orchestration: the clean_corpus flow, its batch task, deployments, task runners, stopping."""

"""What a run keeps in the clean folder: plan, manifest, lock, site learning, clusters, report, files."""

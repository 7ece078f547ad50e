# Scenario notebooks for the batch runner's tests: inputs, not tests themselves.
collect_ignore_glob = ["*.ipynb"]

"""The render engine: topics in, each topic's deck and sheet as bytes out, in worker processes.

Every command that renders (build, release, preview) plans its jobs (`plan`),
runs them (`run`) and gets results back in topic order; none of them writes
anything until every topic rendered. `renderer` is what one process does for
one job; `pool` is the worker processes.
"""

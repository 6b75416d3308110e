"""What the builder keeps between runs: the build stamp, and the per-user store of derived data."""

"""The build time stamped into outputs: what makes re-imported edits newer, and builds repeatable."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def build_time(source: Path, env: dict[str, str] | None = None) -> int:
    """SOURCE_DATE_EPOCH, else the file's last commit time when it is committed unchanged, else its mtime."""
    env = os.environ if env is None else env
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    committed = _commit_time(source)
    if committed is not None:
        return committed
    return int(source.stat().st_mtime)


def _commit_time(source: Path) -> int | None:
    folder = source.resolve().parent
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", source.name],
            cwd=folder, capture_output=True, text=True, timeout=10,
        )
        if status.returncode != 0 or status.stdout.strip():
            return None
        log = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", source.name],
            cwd=folder, capture_output=True, text=True, timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = log.stdout.strip()
    return int(stamp) if log.returncode == 0 and stamp.isdigit() else None

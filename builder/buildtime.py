"""The build time stamped into outputs: what makes re-imported edits newer, and builds repeatable.

SOURCE_DATE_EPOCH wins; else a file's last commit time when it is committed
and unchanged; else its modification time. Git is asked once per repository
for all files of a run, not once per file.
"""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path


def build_time(source: Path, env: Mapping[str, str] | None = None) -> int:
    return build_times([source], env)[source]


def build_times(sources: list[Path], env: Mapping[str, str] | None = None) -> dict[Path, int]:
    environ = os.environ if env is None else env
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return {source: int(epoch) for source in sources}
    by_folder: dict[Path, list[Path]] = defaultdict(list)
    for source in sources:
        by_folder[source.resolve().parent].append(source)
    committed: dict[Path, int] = {}
    by_repo: dict[Path, list[Path]] = defaultdict(list)
    for folder, files in by_folder.items():
        top = _git(folder, "rev-parse", "--show-toplevel")
        if top:
            by_repo[Path(top.strip())].extend(files)
    for repo, files in by_repo.items():
        committed.update(_commit_times(repo, files))
    return {s: committed.get(s, int(s.stat().st_mtime)) for s in sources}


def uncommitted(sources: list[Path]) -> list[Path] | None:
    """The files among `sources` that are changed or untracked in git; None when none of them is in a repository."""
    by_repo: dict[Path, list[Path]] = defaultdict(list)
    for source in sources:
        top = _git(source.resolve().parent, "rev-parse", "--show-toplevel")
        if top:
            by_repo[Path(top.strip())].append(source)
    if not by_repo:
        return None
    found = []
    for repo, files in by_repo.items():
        names = {str(f.resolve().relative_to(repo.resolve())): f for f in files}
        status = _git(repo, "status", "--porcelain", "--untracked-files=all", "--", *sorted(names))
        changed = {line[3:].strip().strip('"') for line in (status or "").splitlines() if len(line) > 3}
        found += [names[n] for n in sorted(names) if n in changed]
    outside = [s for s in sources if not any(s in files for files in by_repo.values())]
    return found + outside


def _commit_times(repo: Path, files: list[Path]) -> dict[Path, int]:
    relative = {str(f.resolve().relative_to(repo.resolve())): f for f in files}
    names = sorted(relative)
    dirty, log = _gits(
        repo, ("status", "--porcelain", "--", *names), ("log", "--format=@%ct", "--name-only", "--", *names)
    )
    if dirty is None or log is None:
        return {}
    changed = {line[3:].strip() for line in dirty.splitlines() if len(line) > 3}
    found: dict[Path, int] = {}
    stamp = None
    for line in log.splitlines():
        if line.startswith("@") and line[1:].isdigit():
            stamp = int(line[1:])
        elif line and stamp is not None and line in relative and line not in changed:
            found.setdefault(relative[line], stamp)
    return found


def _git(folder: Path, *args: str) -> str | None:
    return _gits(folder, args)[0]


def _gits(folder: Path, *commands: tuple[str, ...]) -> list[str | None]:
    """Each git command's output (None when it failed); run side by side, as a build waits for all of them."""
    started: list[subprocess.Popen[str] | None] = []
    for args in commands:
        try:
            started.append(
                subprocess.Popen(
                    ["git", *args], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
                )
            )
        except OSError:
            started.append(None)
    outputs: list[str | None] = []
    for process in started:
        if process is None:
            outputs.append(None)
            continue
        try:
            out, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            outputs.append(None)
            continue
        outputs.append(out if process.returncode == 0 else None)
    return outputs

"""Time spent inside the project's hooks during one strict build, measured in
the build itself: every event handler a hook registered is wrapped in a
timer, so the hooks' share comes from the same run as the build around it.
Unlike a ratio of two separate builds, this holds when other jobs share the
machine (both parts slow down together).

Run by the bench in a fresh process:
  python -m bench.hooktime CONFIG SITE_DIR   -> prints JSON
"""

from __future__ import annotations

import collections
import functools
import json
import logging
import sys
import time


def main(config_file: str, site_dir: str) -> dict:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    # MkDocs' CLI sets up its log handler; without one, a strict build's
    # warnings would vanish and the bench would fail with no reason given
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)

    start = time.perf_counter()
    config = load_config(config_file=config_file, site_dir=site_dir)  # imports the hooks
    load_s = time.perf_counter() - start
    hook_files = {str(name) for name in config.hooks}

    spent: collections.Counter = collections.Counter()

    def timed(method, origin):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[origin] += time.perf_counter() - began

        return wrapper

    plugins = config.plugins
    for methods in plugins.events.values():
        for index, method in enumerate(methods):
            origin = plugins._event_origins.get(method, "")
            if origin in hook_files:
                methods[index] = timed(method, origin)
                plugins._event_origins[methods[index]] = origin

    plugins.on_startup(command="build", dirty=False)
    start = time.perf_counter()
    build(config)
    build_s = time.perf_counter() - start
    plugins.on_shutdown()
    hooks_s = sum(spent.values())
    return {
        "load_config_s": round(load_s, 3),
        "build_s": round(build_s, 3),
        "hooks_s": {name.rsplit("/", 1)[-1]: round(s, 3) for name, s in spent.items()},
        # What the build would take without the hooks' work, against what it took
        "hook_share_ratio": round(build_s / (build_s - hooks_s), 3),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:3])))

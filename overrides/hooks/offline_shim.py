"""Serve Material's iframe-worker shim from the bundle, not from a CDN.

Offline search from file:// needs the iframe-worker shim. Material's offline
plugin links it from unpkg.com unless a polyfill already names it; this hook
names a local copy (taken from the pinned npm package at build time, never
committed) and copies it into the built site. Hosted builds are untouched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

SHIM_SOURCE = Path(__file__).resolve().parents[2] / "node_modules/iframe-worker/shim/index.js"
SHIM_TARGET = "assets/javascripts/iframe-worker-shim.js"


def _offline_enabled(config) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


# Run before the offline plugin, which only adds its CDN link when no
# polyfill mentions "iframe-worker"
@event_priority(100)
def on_config(config):
    if _offline_enabled(config):
        config.extra["polyfills"] = [SHIM_TARGET]
    return config


def on_post_build(config):
    if not _offline_enabled(config):
        return
    if not SHIM_SOURCE.is_file():
        raise PluginError(
            f"{SHIM_SOURCE} is missing: offline search needs the iframe-worker "
            "shim. Run `npm ci` (or `make offline`, which does it) and build again."
        )
    target = Path(config.site_dir) / SHIM_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHIM_SOURCE, target)

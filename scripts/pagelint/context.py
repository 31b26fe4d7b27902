"""What every rule may need besides the page: the site, the renderer, today."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from bs4 import BeautifulSoup

from .page import HTML_PARSER, Renderer, read_page
from .siteconfig import DISCLAIMER_SNIPPET, SiteConfig

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass
class Context:
    site: SiteConfig
    today: dt.date
    renderer: Renderer

    @classmethod
    def create(cls, site: SiteConfig, today: dt.date | None = None) -> "Context":
        return cls(site=site, today=today or dt.date.today(), renderer=Renderer(site))

    @cached_property
    def disclaimer_text(self) -> str:
        """The canonical disclaimer's text, rendered from its one snippet file."""
        probe = read_page(self.site.docs_dir / "__disclaimer__.md", self.site,
                          text=f'--8<-- "{DISCLAIMER_SNIPPET}"\n')
        self.renderer.render(probe)  # raises PageError(snippet-missing) if the snippet is gone
        # find(), not select_one(): a CSS selector's first use costs ~0.1 s (soupsieve), per build
        box = BeautifulSoup(probe.html, HTML_PARSER).find("div", class_="admonition")
        return normalise(box.get_text(" ")) if box else ""

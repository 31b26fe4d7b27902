"""What every rule may need besides the page: the site, the renderer, today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from .dom import boxes, find_all, has_class, normalised_text
from .page import Renderer, read_page
from .siteconfig import CARD_HOMES, DISCLAIMER_INCLUDE, URGENCY_SNIPPETS, SiteConfig


@dataclass
class Context:
    site: SiteConfig
    today: dt.date
    renderer: Renderer

    @classmethod
    def create(cls, site: SiteConfig, today: dt.date | None = None) -> Context:
        return cls(site=site, today=today or dt.date.today(), renderer=Renderer(site))

    @cached_property
    def disclaimer_text(self) -> str:
        """The canonical disclaimer's text, rendered from its one snippet file."""
        probe = read_page(self.site.docs_dir / "__disclaimer__.md", self.site, text=DISCLAIMER_INCLUDE + "\n")
        self.renderer.render(probe)  # raises PageError(snippet-missing) if the snippet is gone
        box = next(find_all(probe.tree, "div", "admonition"), None)
        return normalised_text(box) if box is not None else ""

    @cached_property
    def urgency_texts(self) -> dict[str, list[str]]:
        """The text of each block of each canonical urgency snippet
        (urgency/emergency.md: the card, then its collapsed note), rendered
        from the snippet file, keyed by the snippet's name. A snippet that is
        missing is left out: pages that include it fail with snippet-missing."""
        texts = {}
        for name in URGENCY_SNIPPETS:
            if not self.has_snippet(name):
                continue
            tree = self.rendered_snippet(name)
            found = boxes(tree)
            blocks = [box for box in found if not any(a in found for a in box.iterancestors())]
            # A snippet that wraps its cards in a div of its own (the ladder's
            # <div class="ladder">, with its title) is one block too
            blocks += [
                div
                for div in find_all(tree, "div")
                if div.getparent().tag == "body" and not has_class(div, "admonition")
            ]
            if blocks:
                texts[name] = [normalised_text(box) for box in blocks]
        return texts

    @cached_property
    def card_sentences(self) -> dict[str, set[str]]:
        """The sentences of each card that has a home page (siteconfig.CARD_HOMES),
        as the card_copies rule compares them. A missing snippet is left out:
        pages that include it fail with snippet-missing."""
        from .rules.card_copies import card_sentences

        return {name: card_sentences(self.rendered_snippet(name)) for name in CARD_HOMES if self.has_snippet(name)}

    def has_snippet(self, name: str) -> bool:
        return any((folder / name).is_file() for folder in self.site.snippet_dirs)

    def rendered_snippet(self, name: str):
        """A snippet's rendered HTML tree, as a page that includes it shows it."""
        probe = read_page(self.site.docs_dir / "__snippet__.md", self.site, text=f'--8<-- "{name}"\n')
        self.renderer.render(probe)
        return probe.tree

"""Templates and markdown: the Jinja2 environment (templates shipped as package data, autoescape
on) and the markdown renderer for deliverables."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["markdown_html", "render"]


def _load(name: str) -> str | None:
    from importlib import resources

    source = resources.files("team.report") / "templates" / name
    return source.read_text(encoding="utf-8") if source.is_file() else None


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = markdown_html
    env.filters["pct"] = lambda value: f"{100 * float(value):.0f}%"
    env.filters["num"] = lambda value, digits=3: f"{float(value):.{digits}f}"
    return env


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # Raw HTML in a deliverable is shown as text, and images are off: the page fetches nothing.
    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").disable("image")
    )


def markdown_html(text: str) -> Any:
    """A deliverable's markdown as safe HTML (raw HTML escaped, no images).

    Example:
        >>> str(markdown_html("**hi** <b>x</b>"))
        '<p><strong>hi</strong> &lt;b&gt;x&lt;/b&gt;</p>\\n'
    """
    from markupsafe import Markup

    return Markup(_markdown().render(text or ""))


def render(template: str, **context: Any) -> str:
    """Render a packaged template with ``context``."""
    return str(_environment().get_template(template).render(**context))

"""The gazette's Jinja filter: every basis on a page linked to its clause (SPEC §2.7). A page concern, kept apart from
``links.py`` (pure: which URL a basis links to) so the services and views that use the links never import the web."""
from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup, escape

from dongcheng.gazette.links import Index, link_segments, shipped_index


def render_links(text: str, index: Index) -> Markup:
    return Markup("").join(escape(t) if url is None else Markup('<a class="basis-link" href="{}">{}</a>').format(url, t)
                           for t, url in link_segments(text, index))


@pass_context
def basis_link(context, value) -> Markup:
    """Jinja filter: ``{{ w.basis | basis_link }}`` — the basis with its document and clauses linked to the gazette
    (the text is unchanged; what the gazette does not have stays plain)."""
    if value is None or value == "":
        return Markup("")
    request = context.get("request")
    settings = getattr(getattr(getattr(request, "app", None), "state", None), "settings", None)
    if settings is None:
        from dongcheng.core.config import get_settings

        settings = get_settings()
    return render_links(str(value), shipped_index(settings.data_dir))

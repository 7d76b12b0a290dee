"""Coding one article: analysis -> extraction -> document-level resolution.

``code_article`` is a pure function of (article, resources): no other state is read or written,
so it can run in any worker process.
"""

from __future__ import annotations

from . import __version__
from .records import Article, CodedArticle
from .resources import Resources


def code_article(article: Article, resources: Resources) -> CodedArticle:
    from .extract.actors import find_actors
    from .extract.events import find_triggers
    from .extract.figures import find_figures
    from .extract.place import find_places
    from .extract.time import find_dates
    from .resolve import build_events

    warnings: list[str] = []
    if article.published is None:
        warnings.append("no publication date: relative dates are left unresolved")
    analysis = resources.analyzer.analyze(article)
    triggers = find_triggers(analysis, resources.lexicon)
    actors = find_actors(analysis, resources.actors)
    figures = find_figures(analysis, resources)
    dates = find_dates(analysis)
    places = find_places(analysis, resources.gazetteer)
    events = build_events(
        analysis,
        triggers,
        actors,
        figures,
        dates,
        places,
        dictionary=resources.actors,
        lexicon=resources.lexicon,
    )
    return CodedArticle(article=article, events=events, warnings=warnings, coder_version=__version__)

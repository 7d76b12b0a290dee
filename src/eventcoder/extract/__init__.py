"""Extractors: mentions of events, actors, figures, dates and places found in an analysed article."""

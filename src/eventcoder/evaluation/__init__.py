"""Evaluation of eventcoder against gold data sets (CASE 2021, MUC-4, geoparsing corpora)."""

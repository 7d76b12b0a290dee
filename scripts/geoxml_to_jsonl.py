"""Turn a geoparsing-corpus XML file (LGL / TR-News format) into JSON Lines articles.

Used to make a benchmark corpus of real news articles from data the user already has, e.g.
    python scripts/geoxml_to_jsonl.py ../shared/eval/geo-trnews.xml > /tmp/trnews.jsonl
    eventcoder bench /tmp/trnews.jsonl
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET


def main(path: str) -> None:
    root = ET.parse(path).getroot()
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        title = art.findtext("title")
        record = {"id": art.get("docid"), "title": title, "text": text, "url": art.findtext("url")}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

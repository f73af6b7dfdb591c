"""Independent peer for Passerelle's XML parser: libxml2 through python3-lxml.

Reads a JSON array of documents on stdin; writes a JSON array with, for each, whether libxml2
accepts it as namespace-well-formed XML and, when it does, the exclusive canonical form of the
document (no comments), which the test compares with Passerelle's own parse + exc-c14n.
"""
import json
import sys

from lxml import etree

docs = json.load(sys.stdin)
out = []
for text in docs:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
        # libxml2 reports namespace problems (e.g. xmlns:p="") as recoverable errors
        if any(e.level >= 2 for e in parser.error_log):
            raise etree.XMLSyntaxError("namespace error", None, 0, 0)
        try:
            c14n = etree.tostring(root, method="c14n", exclusive=True, with_comments=False).decode("utf-8")
        except etree.C14NError:
            c14n = None  # libxml2's c14n refuses some inputs it parses (e.g. an xmlns:xml declaration)
        out.append({"ok": True, "c14n": c14n})
    except etree.XMLSyntaxError as e:
        out.append({"ok": False, "error": str(e)[:200]})
json.dump(out, sys.stdout)

"""Independent peer for Passerelle's XML parser and exclusive c14n: libxml2 through python3-lxml.

Reads a JSON array of documents on stdin; writes a JSON array with, for each, whether libxml2
accepts it as namespace-well-formed XML and, when it does, the exclusive canonical form of the
document (no comments), which the test compares with Passerelle's own parse + exc-c14n, or
"c14nRefused" when libxml2's c14n refuses the document (C14N 1.0 §2.1: relative namespace URIs).
A refusal of a namespace URI's structure ("... is not a valid URI") also reports that URI.
"""
import json
import re
import sys

from lxml import etree

INVALID_URI = re.compile(r"^xmlns(?::[^:\s]+)?: '(.*)' is not a valid URI, line \d+", re.S)

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
            out.append({"ok": True, "c14n": c14n})
        except etree.C14NError:
            out.append({"ok": True, "c14nRefused": True})
    except etree.XMLSyntaxError as e:
        result = {"ok": False, "error": str(e)[:200]}
        invalid = INVALID_URI.match(str(e))
        if invalid:
            result["invalidUri"] = invalid.group(1)
        out.append(result)
json.dump(out, sys.stdout)

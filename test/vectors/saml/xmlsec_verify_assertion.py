"""Verify the enveloped signature of a SAML 1.1 assertion with python-xmlsec (libxmlsec1).

usage: xmlsec_verify_assertion.py ASSERTION.xml CERT.pem
The file's root element is the saml:Assertion. AssertionID is registered as an ID attribute.
"""
import sys

import xmlsec
from lxml import etree

tree = etree.parse(sys.argv[1], etree.XMLParser(resolve_entities=False, no_network=True))
root = tree.getroot()
xmlsec.tree.add_ids(root, ["AssertionID"])
signature = xmlsec.tree.find_node(root, xmlsec.constants.NodeSignature)
if signature is None:
    sys.exit("no signature")
ctx = xmlsec.SignatureContext()
ctx.key = xmlsec.Key.from_file(sys.argv[2], xmlsec.constants.KeyDataFormatCertPem)
ctx.verify(signature)
print("OK")

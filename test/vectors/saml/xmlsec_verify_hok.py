"""Verify a SAML holder-of-key SOAP message with python-xmlsec (libxmlsec1): the message signature
(over wsu:Id-referenced Body and Timestamp) with the holder's certificate, and the assertion's
enveloped signature with the STS certificate. The KeyInfo of the message signature names the
assertion by a SAMLAssertionID KeyIdentifier, which libxmlsec1 does not resolve: the key is
given explicitly, as a WS-Security processor does after resolving the token.

usage: xmlsec_verify_hok.py ENVELOPE.xml HOLDER.pem STS.pem
"""
import sys

import xmlsec
from lxml import etree

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
SAML = "urn:oasis:names:tc:SAML:1.0:assertion"

root = etree.parse(sys.argv[1], etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
security = root.find(f"{{{SOAP}}}Header/{{{WSSE}}}Security")
assertion = security.find(f"{{{SAML}}}Assertion")
message_signature = security.find(f"{{{DS}}}Signature")

ctx = xmlsec.SignatureContext()
ctx.register_id(root.find(f"{{{SOAP}}}Body"), "Id", WSU)
ctx.register_id(security.find(f"{{{WSU}}}Timestamp"), "Id", WSU)
ctx.key = xmlsec.Key.from_file(sys.argv[2], xmlsec.constants.KeyDataFormatCertPem)
ctx.verify(message_signature)

sts = xmlsec.SignatureContext()
sts.register_id(assertion, "AssertionID")
sts.key = xmlsec.Key.from_file(sys.argv[3], xmlsec.constants.KeyDataFormatCertPem)
sts.verify(assertion.find(f"{{{DS}}}Signature"))
print("OK")

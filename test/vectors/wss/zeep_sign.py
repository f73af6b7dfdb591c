"""Independent peer: signs a SOAP 1.1 envelope with zeep's BinarySignature (python3-zeep on
python3-xmlsec / libxmlsec1), as a Python client of the platforms would.

Source: zeep 4.x, zeep/wsse/signature.py (BinarySignature signs soap:Body and, when present,
the wsu:Timestamp of the wsse:Security header; the BinarySecurityToken is added after signing
and is therefore not signed). zeep adds no Timestamp itself, so this script adds one with the
given Created/Expires (a fixed time keeps runs reproducible).

usage: zeep_sign.py KEY.pem CERT.pem rsa|ec CREATED EXPIRES [--bench N]  < envelope.xml
  prints the signed envelope; with --bench N, signs N times and prints "<N> <seconds>".
"""
import sys
import time

from lxml import etree
import xmlsec
from zeep.wsse.signature import BinarySignature
from zeep.wsse.utils import get_security_header

WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"


def sign(source, signer, created, expires):
    envelope = etree.fromstring(source)
    security = get_security_header(envelope)
    timestamp = etree.SubElement(security, etree.QName(WSU, "Timestamp"))
    etree.SubElement(timestamp, etree.QName(WSU, "Created")).text = created
    etree.SubElement(timestamp, etree.QName(WSU, "Expires")).text = expires
    envelope, _ = signer.apply(envelope, {})
    return etree.tostring(envelope)


def main():
    key, cert, kind, created, expires = sys.argv[1:6]
    method = xmlsec.Transform.ECDSA_SHA256 if kind == "ec" else xmlsec.Transform.RSA_SHA256
    signer = BinarySignature(key, cert, signature_method=method, digest_method=xmlsec.Transform.SHA256)
    source = sys.stdin.buffer.read()
    if len(sys.argv) > 7 and sys.argv[6] == "--bench":
        n = int(sys.argv[7])
        sign(source, signer, created, expires)
        start = time.perf_counter()
        for _ in range(n):
            sign(source, signer, created, expires)
        print(n, time.perf_counter() - start)
        return
    sys.stdout.buffer.write(sign(source, signer, created, expires))


if __name__ == "__main__":
    main()

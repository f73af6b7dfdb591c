"""Independent peer: a signed MTOM message made the way a Python client would make one, for our
streaming verifier to check.

zeep's BinarySignature (python3-zeep on python3-xmlsec / libxmlsec1) signs the envelope while
each document is still inline as base64 text: the XOP-expanded form that the Body digest
covers (WSS4J's rule for MTOM). Then the message is optimized, as XOP 1.0 section 3.1 describes.
Each document's text is replaced by an xop:Include that points to a binary MIME part. The
multipart/related framing is written here by hand. Python's email package rewrites line ends in
binary parts (its generator writes payloads line by line), so it cannot write this package; it
does read our packages in mtom-peer.test.ts.

Sources: zeep 4.x, zeep/wsse/signature.py (signs soap:Body and the wsu:Timestamp; the
BinarySecurityToken is added after signing); XOP 1.0 (W3C Recommendation, 2005) sections 3 and 4;
RFC 2387 (multipart/related: type, start, start-info).

usage: zeep_sign_mtom.py KEY.pem CERT.pem CREATED EXPIRES OUT.mime TAMPER(0|1) < envelope.xml
  The Body's elements with a `cid` attribute hold base64 text. The package is written to OUT.mime
  and its Content-Type is printed. With TAMPER=1, one byte of the first attachment is changed
  after signing.
"""
import base64
import sys
import uuid

from lxml import etree
import xmlsec
from zeep.wsse.signature import BinarySignature
from zeep.wsse.utils import get_security_header

WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
XOP = "http://www.w3.org/2004/08/xop/include"


def main():
    key, cert, created, expires, out, tamper = sys.argv[1:7]
    envelope = etree.fromstring(sys.stdin.buffer.read())
    security = get_security_header(envelope)
    timestamp = etree.SubElement(security, etree.QName(WSU, "Timestamp"))
    etree.SubElement(timestamp, etree.QName(WSU, "Created")).text = created
    etree.SubElement(timestamp, etree.QName(WSU, "Expires")).text = expires
    signer = BinarySignature(
        key, cert, signature_method=xmlsec.Transform.RSA_SHA256, digest_method=xmlsec.Transform.SHA256
    )
    envelope, _ = signer.apply(envelope, {})

    parts = []
    for element in envelope.iter():
        cid = element.get("cid")
        if cid is None:
            continue
        data = base64.b64decode(element.text)
        element.text = None
        include = etree.SubElement(element, etree.QName(XOP, "Include"), nsmap={"xop": XOP})
        include.set("href", "cid:" + cid)
        parts.append((cid, data))
    if tamper == "1":
        cid, data = parts[0]
        parts[0] = (cid, bytes([data[0] ^ 1]) + data[1:])

    boundary = "uuid:" + str(uuid.uuid4())
    wire = [
        b"--" + boundary.encode() + b"\r\n",
        b'Content-Type: application/xop+xml; charset=UTF-8; type="text/xml"\r\n',
        b"Content-Transfer-Encoding: binary\r\n",
        b"Content-ID: <root@peer>\r\n\r\n",
        etree.tostring(envelope),
        b"\r\n",
    ]
    for cid, data in parts:
        wire += [
            b"--" + boundary.encode() + b"\r\n",
            b"Content-Type: application/octet-stream\r\n",
            b"Content-Transfer-Encoding: binary\r\n",
            b"Content-ID: <" + cid.encode() + b">\r\n\r\n",
            data,
            b"\r\n",
        ]
    wire.append(b"--" + boundary.encode() + b"--\r\n")
    with open(out, "wb") as f:
        f.write(b"".join(wire))
    sys.stdout.write(
        'multipart/related; type="application/xop+xml"; boundary="%s"; start="<root@peer>"; start-info="text/xml"'
        % boundary
    )

if __name__ == "__main__":
    main()

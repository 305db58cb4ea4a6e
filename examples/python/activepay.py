#!/usr/bin/env python3
"""OTT Pay processV2 reference client in Python: ACTIVEPAY, pay, callback, STATUS_QUERY, REFUND.

Written from the OTT Pay docs (Common Specifications, Appendix A) with the `cryptography` package only
(Debian: python3-cryptography). Run it against a sandbox:

    SANDBOX_URL=http://127.0.0.1:8080 python3 examples/python/activepay.py
"""
import base64
import hashlib
import http.server
import json
import os
import sys
import time
import urllib.request

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SANDBOX_URL = os.environ.get('SANDBOX_URL', 'http://127.0.0.1:8080').rstrip('/')
MERCHANT_ID = os.environ.get('MERCHANT_ID', 'QC00005496')
SIGN_KEY = os.environ.get('SIGN_KEY', 'SANDBOXKEY000001')
OPERATOR_ID = os.environ.get('OPERATOR_ID', '0000020156')


class OttPayError(Exception):
    pass


# --- Appendix A -------------------------------------------------------------------------------------------

def digest_value(value):
    """How one value enters the digest. Send every value as a string ("100" cents, never 100 or 1.00):
    a number's text differs between languages (Java writes 100.0), strings cannot."""
    if value is None:
        return ''
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(',', ':'), ensure_ascii=False)


def md5_of(data):
    """Step 1-2: values sorted by key (code-point order), concatenated without separator; uppercase MD5 of the UTF-8."""
    canonical = ''.join(digest_value(data[key]) for key in sorted(data))
    return hashlib.md5(canonical.encode('utf-8')).hexdigest().upper()


def aes_key(md5, sign_key):
    """Step 3-4: "16-bit MD5" = characters 8..24 of the uppercase MD5 of md5 + signkey, used as 16 ASCII bytes
    (not hex-decoded)."""
    return hashlib.md5((md5 + sign_key).encode('utf-8')).hexdigest().upper()[8:24].encode('ascii')


def seal(data, sign_key):
    """Encrypts request data: {'data': Base64(AES-128-ECB/PKCS5(JSON)), 'md5': digest}."""
    md5 = md5_of(data)
    # Compact JSON in the data's own key order, raw UTF-8: json.dumps escapes non-ASCII by default (ensure_ascii)
    # and puts spaces after ',' and ':', neither of which the documented plaintext has.
    plaintext = json.dumps(data, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    # PKCS5 padding is PKCS7 on 16-byte AES blocks.
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(aes_key(md5, sign_key)), modes.ECB()).encryptor()
    sealed = encryptor.update(padder.update(plaintext) + padder.finalize()) + encryptor.finalize()
    return {'data': base64.b64encode(sealed).decode('ascii'), 'md5': md5}


def open_sealed(body, sign_key):
    """Decrypts an answer's or a callback's data with the key derived from its md5, then checks that md5 is the
    digest of what it decrypted. Returns (plaintext, data)."""
    # The docs print Base64 wrapped over several lines: drop whitespace before decoding.
    raw = base64.b64decode(''.join(body['data'].split()), validate=True)
    decryptor = Cipher(algorithms.AES(aes_key(body['md5'], sign_key)), modes.ECB()).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    plaintext = (unpadder.update(decryptor.update(raw) + decryptor.finalize()) + unpadder.finalize()).decode('utf-8')
    data = json.loads(plaintext)
    if md5_of(data) != body['md5']:
        raise OttPayError(f"md5 mismatch: received {body['md5']}, the decrypted data digests to {md5_of(data)}")
    return plaintext, data


def check_appendix_a():
    """The docs' worked example, byte for byte: proves the digest, the key and the UTF-8 JSON are right."""
    data = {'orderId': '1234567890', 'idCardName': '张三', 'idCardNum': '123456789012345678',
            'bankCardNum': '62000000000010', 'mobile': '13711111111', 'idCardType': '1'}
    sealed = seal(data, '6698851A525C9433')
    expected = ('Y2+GoqBBPc6EJ9JzXRFoOziKd+DqWg5FiUZY1IYoVBVv0xfFznT9/qanMpiNEamEN2NM7J+hxoRn8VGSJImA2soeip9nYr+VJvTXe7D8j4aX'
                'iKyFipuPVCQLiCDg3jkJP+S2EezYMf7crqKY/YAni1CCeIwr2aJfFVT1vYhsWIm8t3eyPL//cY4kwombAKhE2gAdEFXz6gVvencz80aRWQ==')
    if sealed['md5'] != 'C12F9560769C2CB55E6954935B325916' or aes_key(sealed['md5'], '6698851A525C9433') != b'EF1712FC070C2C21' \
            or sealed['data'] != expected:
        raise OttPayError('the Appendix A worked example does not match')


# --- processV2 -------------------------------------------------------------------------------------------

def post_json(url, body, headers=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode('utf-8'), method='POST', headers={
        'Accept': 'application/json', 'Content-Type': 'application/json', **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode('utf-8'))


def call(action, data):
    """POSTs one sealed request to processV2; returns the verified, decrypted answer data."""
    answer = post_json(f'{SANDBOX_URL}/processV2',
                       {'action': action, 'version': '1.0', 'merchant_id': MERCHANT_ID, **seal(data, SIGN_KEY)})
    if answer.get('rsp_code') != 'SUCCESS':
        raise OttPayError(f"{action}: {answer.get('rsp_code')} {answer.get('rsp_msg')}")
    plaintext, opened = open_sealed(answer, SIGN_KEY)
    print(f'{action}: SUCCESS, md5 verified: {plaintext}', flush=True)
    return opened


def open_callback(raw_body):
    """What a callback handler at call_back_url does with the POSTed JSON: verify, decrypt, check the merchant."""
    body = json.loads(raw_body)
    if body.get('merchant_id') != MERCHANT_ID:
        raise OttPayError(f"callback for another merchant: {body.get('merchant_id')}")
    plaintext, data = open_sealed(body, SIGN_KEY)
    return body['rsp_code'], plaintext, data


class CallbackHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get('Content-Length', '0')))
        try:
            self.server.callback = open_callback(raw.decode('utf-8'))
            status, reply = 200, b'{"rsp_code":"SUCCESS","rsp_msg":"success"}'
        except Exception as error:  # a callback that does not verify is refused, and the run fails
            self.server.callback = error
            status, reply = 400, b'{"rsp_code":"FAIL","rsp_msg":"failure."}'
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def main():
    check_appendix_a()
    print('Appendix A example: md5, AES key and ciphertext match the docs', flush=True)

    # A one-shot listener on a free port receives the payment callback.
    listener = http.server.HTTPServer(('127.0.0.1', 0), CallbackHandler)
    listener.timeout = 10
    listener.callback = None
    order_id = f'PY{int(time.time() * 1000)}'
    amount = '1250'  # cents, as a string: 12.50

    created = call('ACTIVEPAY', {
        'order_id': order_id,
        'operator_id': OPERATOR_ID,
        'amount': amount,
        'tip': '0',
        'biz_type': 'WECHATPAY',
        'call_back_url': f'http://127.0.0.1:{listener.server_port}/ottpay/callback',
    })
    if created['order_id'] != order_id or not created.get('code_url'):
        raise OttPayError('ACTIVEPAY answered another order or no code_url')

    # The payer scans code_url. In the sandbox, its control API pays the order (not part of OTT Pay's API).
    token = os.environ.get('ADMIN_TOKEN')
    post_json(f'{SANDBOX_URL}/sandbox/api/orders/{order_id}/pay?merchant_id={MERCHANT_ID}', {},
              {'x-admin-token': token} if token else {})
    print(f'pay: order {order_id} paid through the sandbox control API', flush=True)

    listener.handle_request()  # waits at most listener.timeout seconds
    listener.server_close()
    if listener.callback is None:
        raise OttPayError('no callback within 10 s')
    if isinstance(listener.callback, Exception):
        raise listener.callback
    rsp_code, plaintext, paid = listener.callback
    if rsp_code != 'SUCCESS' or paid['order_id'] != order_id or paid['amount'] != amount:
        raise OttPayError(f'unexpected callback: {rsp_code} {plaintext}')
    print(f'callback: SUCCESS, md5 verified: {plaintext}', flush=True)

    status = call('STATUS_QUERY', {'order_id': order_id})
    if status['order_status'] != 'success':
        raise OttPayError(f"order_status is {status['order_status']}, not success")

    refund = call('REFUND', {'order_id': f'{order_id}R1', 'ori_order_id': order_id, 'refund_amt': '250'})
    if refund['refund_amt'] != '250':
        raise OttPayError('REFUND answered another amount')
    print('all steps passed', flush=True)


if __name__ == '__main__':
    try:
        main()
    except Exception as error:
        print(f'FAILED: {error}', file=sys.stderr)
        sys.exit(1)

<?php
// OTT Pay processV2 reference client in PHP: ACTIVEPAY, pay, callback, STATUS_QUERY, REFUND.
// Written from the OTT Pay docs (Common Specifications, Appendix A) with ext-openssl and ext-json only:
//   SANDBOX_URL=http://127.0.0.1:8080 php examples/php/activepay.php
declare(strict_types=1);

$SANDBOX_URL = rtrim(getenv('SANDBOX_URL') ?: 'http://127.0.0.1:8080', '/');
$MERCHANT_ID = getenv('MERCHANT_ID') ?: 'QC00005496';
$SIGN_KEY = getenv('SIGN_KEY') ?: 'SANDBOXKEY000001';
$OPERATOR_ID = getenv('OPERATOR_ID') ?: '0000020156';

// json_encode escapes "/" as "\/" and non-ASCII as "\uXXXX" unless told not to; the docs encrypt raw UTF-8
// (the Appendix A example only matches with these flags). JSON_THROW_ON_ERROR: invalid UTF-8 must not become false.
const JSON_FLAGS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;

// --- Appendix A ---------------------------------------------------------------------------------------------

/** How one value enters the digest. Send every value as a string ("100" cents, never 100 or 1.00): a number's
 *  text differs between languages (Java writes 100.0), strings cannot. */
function digest_value($value): string
{
    if ($value === null) return '';
    if (is_string($value)) return $value;
    return json_encode($value, JSON_FLAGS);
}

/** Steps 1-2: values sorted by key, concatenated without separator; uppercase MD5 of the UTF-8 bytes. */
function md5_of(array $data): string
{
    // SORT_STRING compares bytes; ksort's default (SORT_REGULAR) compares numeric-looking keys as numbers.
    ksort($data, SORT_STRING);
    return strtoupper(md5(implode('', array_map('digest_value', $data))));
}

/** Steps 3-4: "16-bit MD5" = characters 8..24 of the uppercase MD5 of md5 + signkey, as 16 ASCII bytes (not hex-decoded). */
function aes_key(string $md5, string $signKey): string
{
    return substr(strtoupper(md5($md5 . $signKey)), 8, 16);
}

/** Encrypts request data: ['data' => Base64(AES-128-ECB/PKCS5(JSON)), 'md5' => digest]. */
function seal(array $data, string $signKey): array
{
    $md5 = md5_of($data);
    // OPENSSL_RAW_DATA: raw bytes that we Base64 ourselves; openssl pads with PKCS#7 (= PKCS5 on 16-byte blocks).
    $sealed = openssl_encrypt(json_encode($data, JSON_FLAGS), 'aes-128-ecb', aes_key($md5, $signKey), OPENSSL_RAW_DATA);
    if ($sealed === false) throw new RuntimeException('openssl_encrypt failed');
    return ['data' => base64_encode($sealed), 'md5' => $md5];
}

/** Decrypts an answer's or a callback's data with the key derived from its md5, then checks that md5 is the
 *  digest of what it decrypted. Returns [plaintext, data]. */
function open_sealed(array $body, string $signKey): array
{
    // The docs print Base64 wrapped over several lines: drop whitespace before decoding.
    $raw = base64_decode(preg_replace('/\s+/', '', (string) $body['data']), true);
    $plaintext = $raw === false ? false : openssl_decrypt($raw, 'aes-128-ecb', aes_key((string) $body['md5'], $signKey), OPENSSL_RAW_DATA);
    if ($plaintext === false) throw new RuntimeException('data does not decrypt with this sign key');
    $data = json_decode($plaintext, true, 512, JSON_THROW_ON_ERROR);
    if (md5_of($data) !== $body['md5']) {
        throw new RuntimeException("md5 mismatch: received {$body['md5']}, the decrypted data digests to " . md5_of($data));
    }
    return [$plaintext, $data];
}

/** The docs' worked example, byte for byte: proves the digest, the key and the UTF-8 JSON are right. */
function check_appendix_a(): void
{
    $data = ['orderId' => '1234567890', 'idCardName' => '张三', 'idCardNum' => '123456789012345678',
        'bankCardNum' => '62000000000010', 'mobile' => '13711111111', 'idCardType' => '1'];
    $sealed = seal($data, '6698851A525C9433');
    $expected = 'Y2+GoqBBPc6EJ9JzXRFoOziKd+DqWg5FiUZY1IYoVBVv0xfFznT9/qanMpiNEamEN2NM7J+hxoRn8VGSJImA2soeip9nYr+VJvTXe7D8j4aX'
        . 'iKyFipuPVCQLiCDg3jkJP+S2EezYMf7crqKY/YAni1CCeIwr2aJfFVT1vYhsWIm8t3eyPL//cY4kwombAKhE2gAdEFXz6gVvencz80aRWQ==';
    if ($sealed['md5'] !== 'C12F9560769C2CB55E6954935B325916' || aes_key($sealed['md5'], '6698851A525C9433') !== 'EF1712FC070C2C21'
        || $sealed['data'] !== $expected) {
        throw new RuntimeException('the Appendix A worked example does not match');
    }
}

// --- processV2 ----------------------------------------------------------------------------------------------

/** POSTs JSON with PHP's stream wrapper (no ext-curl needed); throws unless the answer is 2xx JSON. */
function post_json(string $url, array $body, array $headers = []): array
{
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => implode("\r\n", array_merge(['Accept: application/json', 'Content-Type: application/json'], $headers)),
        'content' => json_encode($body ?: new stdClass(), JSON_FLAGS),
        'timeout' => 10,
        'ignore_errors' => true, // read the body of a 4xx too, for the message
    ]]);
    $text = @file_get_contents($url, false, $context);
    if ($text === false) throw new RuntimeException("cannot reach $url");
    $statusLine = $http_response_header[0] ?? '';
    if (!preg_match('#^HTTP/\S+ 2\d\d#', $statusLine)) throw new RuntimeException("$url answered $statusLine: $text");
    return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
}

/** POSTs one sealed request to processV2; returns the verified, decrypted answer data. */
function call(string $action, array $data): array
{
    global $SANDBOX_URL, $MERCHANT_ID, $SIGN_KEY;
    $answer = post_json("$SANDBOX_URL/processV2", ['action' => $action, 'version' => '1.0', 'merchant_id' => $MERCHANT_ID] + seal($data, $SIGN_KEY));
    if (($answer['rsp_code'] ?? null) !== 'SUCCESS') {
        throw new RuntimeException("$action: " . ($answer['rsp_code'] ?? '?') . ' ' . ($answer['rsp_msg'] ?? ''));
    }
    [$plaintext, $opened] = open_sealed($answer, $SIGN_KEY);
    echo "$action: SUCCESS, md5 verified: $plaintext\n";
    return $opened;
}

/** What a callback handler at call_back_url does with the POSTed JSON (file_get_contents('php://input') in a
 *  web server): verify, decrypt, check the merchant. Returns [rsp_code, plaintext, data]. */
function open_callback(string $rawBody): array
{
    global $MERCHANT_ID, $SIGN_KEY;
    $body = json_decode($rawBody, true, 512, JSON_THROW_ON_ERROR);
    if (($body['merchant_id'] ?? null) !== $MERCHANT_ID) throw new RuntimeException('callback for another merchant');
    [$plaintext, $data] = open_sealed($body, $SIGN_KEY);
    return [$body['rsp_code'], $plaintext, $data];
}

/** Accepts one HTTP request on $server (a plain socket: the CLI has no web server) and answers it with
 *  $handle($body) => [status, reply]. */
function serve_one($server, callable $handle): void
{
    $conn = @stream_socket_accept($server, 10);
    if ($conn === false) throw new RuntimeException('no callback within 10 s');
    stream_set_timeout($conn, 10);
    $head = '';
    while (!str_contains($head, "\r\n\r\n") && !feof($conn)) $head .= fread($conn, 8192);
    [$head, $body] = explode("\r\n\r\n", $head, 2) + [1 => ''];
    $length = preg_match('/^content-length:\s*(\d+)/mi', $head, $m) ? (int) $m[1] : 0;
    while (strlen($body) < $length && !feof($conn)) $body .= fread($conn, $length - strlen($body));
    [$status, $reply] = $handle($body);
    fwrite($conn, "HTTP/1.1 $status\r\nContent-Type: application/json\r\nContent-Length: " . strlen($reply) . "\r\nConnection: close\r\n\r\n$reply");
    fclose($conn);
}

function main(): void
{
    global $SANDBOX_URL, $MERCHANT_ID, $OPERATOR_ID;
    check_appendix_a();
    echo "Appendix A example: md5, AES key and ciphertext match the docs\n";

    // A listening socket on a free port receives the payment callback (the kernel queues it until accepted).
    $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    if ($server === false) throw new RuntimeException("cannot listen: $errstr");
    $port = (int) substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
    $orderId = 'PHP' . (int) (microtime(true) * 1000);
    $amount = '1250'; // cents, as a string: 12.50

    $created = call('ACTIVEPAY', [
        'order_id' => $orderId,
        'operator_id' => $OPERATOR_ID,
        'amount' => $amount,
        'tip' => '0',
        'biz_type' => 'WECHATPAY',
        'call_back_url' => "http://127.0.0.1:$port/ottpay/callback",
    ]);
    if ($created['order_id'] !== $orderId || empty($created['code_url'])) throw new RuntimeException('ACTIVEPAY answered another order or no code_url');

    // The payer scans code_url. In the sandbox, its control API pays the order (not part of OTT Pay's API).
    $token = getenv('ADMIN_TOKEN');
    post_json("$SANDBOX_URL/sandbox/api/orders/$orderId/pay?merchant_id=$MERCHANT_ID", [], $token ? ["x-admin-token: $token"] : []);
    echo "pay: order $orderId paid through the sandbox control API\n";

    $callback = null;
    serve_one($server, function (string $body) use (&$callback): array {
        try {
            $callback = open_callback($body);
            return ['200 OK', '{"rsp_code":"SUCCESS","rsp_msg":"success"}'];
        } catch (Throwable $e) { // a callback that does not verify is refused, and the run fails
            $callback = $e;
            return ['400 Bad Request', '{"rsp_code":"FAIL","rsp_msg":"failure."}'];
        }
    });
    fclose($server);
    if ($callback instanceof Throwable) throw $callback;
    [$rspCode, $plaintext, $paid] = $callback;
    if ($rspCode !== 'SUCCESS' || $paid['order_id'] !== $orderId || $paid['amount'] !== $amount) {
        throw new RuntimeException("unexpected callback: $rspCode $plaintext");
    }
    echo "callback: SUCCESS, md5 verified: $plaintext\n";

    $status = call('STATUS_QUERY', ['order_id' => $orderId]);
    if ($status['order_status'] !== 'success') throw new RuntimeException("order_status is {$status['order_status']}, not success");

    $refund = call('REFUND', ['order_id' => "{$orderId}R1", 'ori_order_id' => $orderId, 'refund_amt' => '250']);
    if ($refund['refund_amt'] !== '250') throw new RuntimeException('REFUND answered another amount');
    echo "all steps passed\n";
}

try {
    main();
} catch (Throwable $e) {
    fwrite(STDERR, 'FAILED: ' . $e->getMessage() . "\n");
    exit(1);
}

// OTT Pay processV2 reference client in Java: ACTIVEPAY, pay, callback, STATUS_QUERY, REFUND.
// Written from the OTT Pay docs (Common Specifications, Appendix A) with the JDK only (javax.crypto,
// java.net.http, com.sun.net.httpserver); Java 11 or later runs the source file directly:
//   SANDBOX_URL=http://127.0.0.1:8080 java examples/java/ActivePay.java
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

public final class ActivePay {
  static final String SANDBOX_URL = env("SANDBOX_URL", "http://127.0.0.1:8080").replaceAll("/+$", "");
  static final String MERCHANT_ID = env("MERCHANT_ID", "QC00005496");
  static final String SIGN_KEY = env("SIGN_KEY", "SANDBOXKEY000001");
  static final String OPERATOR_ID = env("OPERATOR_ID", "0000020156");
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  // --- Appendix A ------------------------------------------------------------------------------------------

  static String md5Hex(String text) throws GeneralSecurityException {
    // UTF-8 explicitly: getBytes() without a charset uses the platform's, and non-ASCII values then digest wrong.
    byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
    // Two hex digits per byte: new BigInteger(1, digest).toString(16) drops leading zeros (31 characters).
    StringBuilder hex = new StringBuilder();
    for (byte b : digest) hex.append(String.format("%02X", b));
    return hex.toString();
  }

  /** Steps 1-2: values sorted by key, concatenated without separator; uppercase MD5. Values are strings: send
   *  every amount as a string ("100" cents), never a double, whose text Java writes as 100.0. */
  static String md5Of(Map<String, String> data) throws GeneralSecurityException {
    StringBuilder canonical = new StringBuilder();
    for (String value : new TreeMap<>(data).values()) canonical.append(value); // String order = code-point order for ASCII keys
    return md5Hex(canonical.toString());
  }

  /** Steps 3-4: "16-bit MD5" = characters 8..24 of the uppercase MD5 of md5 + signkey, as 16 ASCII bytes (not hex-decoded). */
  static SecretKeySpec aesKey(String md5, String signKey) throws GeneralSecurityException {
    return new SecretKeySpec(md5Hex(md5 + signKey).substring(8, 24).getBytes(StandardCharsets.US_ASCII), "AES");
  }

  // Appendix A: AES, ECB, PKCS5. Name all three: Cipher.getInstance("AES") leaves mode and padding to the provider.
  static final String TRANSFORMATION = "AES/ECB/PKCS5Padding";

  /** Encrypts request data (kept in insertion order): {data: Base64(AES-128-ECB/PKCS5(JSON)), md5}. */
  static Map<String, String> seal(Map<String, String> data, String signKey) throws GeneralSecurityException {
    String md5 = md5Of(data);
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(Cipher.ENCRYPT_MODE, aesKey(md5, signKey));
    byte[] sealed = cipher.doFinal(Json.write(data).getBytes(StandardCharsets.UTF_8));
    Map<String, String> result = new LinkedHashMap<>();
    result.put("data", Base64.getEncoder().encodeToString(sealed));
    result.put("md5", md5);
    return result;
  }

  /** An opened answer or callback: the decrypted text and its fields. */
  record Opened(String plaintext, Map<String, String> data) {}

  /** Decrypts an answer's or a callback's data with the key derived from its md5, then checks that md5 is the
   *  digest of what it decrypted. */
  static Opened open(Map<String, String> body, String signKey) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(Cipher.DECRYPT_MODE, aesKey(body.get("md5"), signKey));
    // The docs print Base64 wrapped over several lines: the MIME decoder skips the line breaks.
    String plaintext = new String(cipher.doFinal(Base64.getMimeDecoder().decode(body.get("data"))), StandardCharsets.UTF_8);
    Map<String, String> data = Json.read(plaintext);
    if (!md5Of(data).equals(body.get("md5"))) {
      throw new IllegalStateException("md5 mismatch: received " + body.get("md5") + ", the decrypted data digests to " + md5Of(data));
    }
    return new Opened(plaintext, data);
  }

  /** The docs' worked example, byte for byte: proves the digest, the key and the UTF-8 JSON are right. */
  static void checkAppendixA() throws GeneralSecurityException {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("orderId", "1234567890");
    data.put("idCardName", "\u5f20\u4e09"); // 张三, escaped so that javac reads it whatever the platform encoding
    data.put("idCardNum", "123456789012345678");
    data.put("bankCardNum", "62000000000010");
    data.put("mobile", "13711111111");
    data.put("idCardType", "1");
    Map<String, String> sealed = seal(data, "6698851A525C9433");
    String expected = "Y2+GoqBBPc6EJ9JzXRFoOziKd+DqWg5FiUZY1IYoVBVv0xfFznT9/qanMpiNEamEN2NM7J+hxoRn8VGSJImA2soeip9nYr+VJvTXe7D8j4aX"
        + "iKyFipuPVCQLiCDg3jkJP+S2EezYMf7crqKY/YAni1CCeIwr2aJfFVT1vYhsWIm8t3eyPL//cY4kwombAKhE2gAdEFXz6gVvencz80aRWQ==";
    if (!sealed.get("md5").equals("C12F9560769C2CB55E6954935B325916")
        || !new String(aesKey(sealed.get("md5"), "6698851A525C9433").getEncoded(), StandardCharsets.US_ASCII).equals("EF1712FC070C2C21")
        || !sealed.get("data").equals(expected)) {
      throw new IllegalStateException("the Appendix A worked example does not match");
    }
  }

  // --- processV2 -------------------------------------------------------------------------------------------

  static Map<String, String> postJson(String url, String json) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    String token = System.getenv("ADMIN_TOKEN");
    if (token != null && !token.isEmpty()) request.header("x-admin-token", token);
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) throw new IllegalStateException(url + " answered HTTP " + response.statusCode() + ": " + response.body());
    return Json.read(response.body());
  }

  /** POSTs one sealed request to processV2; returns the verified, decrypted answer data. */
  static Map<String, String> call(String action, Map<String, String> data) throws Exception {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("action", action);
    body.put("version", "1.0");
    body.put("merchant_id", MERCHANT_ID);
    body.putAll(seal(data, SIGN_KEY));
    Map<String, String> answer = postJson(SANDBOX_URL + "/processV2", Json.write(body));
    if (!"SUCCESS".equals(answer.get("rsp_code"))) throw new IllegalStateException(action + ": " + answer.get("rsp_code") + " " + answer.get("rsp_msg"));
    Opened opened = open(answer, SIGN_KEY);
    System.out.println(action + ": SUCCESS, md5 verified: " + opened.plaintext());
    return opened.data();
  }

  /** A verified callback: its level-1 outcome and its opened data. */
  record Callback(String rspCode, Opened opened) {}

  /** What a callback handler at call_back_url does with the POSTed JSON: verify, decrypt, check the merchant. */
  static Callback openCallback(String rawBody) throws GeneralSecurityException {
    Map<String, String> body = Json.read(rawBody);
    if (!MERCHANT_ID.equals(body.get("merchant_id"))) throw new IllegalStateException("callback for another merchant: " + body.get("merchant_id"));
    return new Callback(body.get("rsp_code"), open(body, SIGN_KEY));
  }

  /** Starts a listener on a free port that queues each callback (or the reason it was refused). */
  static HttpServer listenForCallbacks(BlockingQueue<Object> callbacks) throws IOException {
    HttpServer listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    listener.createContext("/ottpay/callback", exchange -> {
      Object outcome;
      try (InputStream in = exchange.getRequestBody()) {
        outcome = openCallback(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (Exception e) { // a callback that does not verify is refused, and the run fails
        outcome = e;
      }
      byte[] reply = (outcome instanceof Callback ? "{\"rsp_code\":\"SUCCESS\",\"rsp_msg\":\"success\"}"
          : "{\"rsp_code\":\"FAIL\",\"rsp_msg\":\"failure.\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(outcome instanceof Callback ? 200 : 400, reply.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply);
      }
      callbacks.offer(outcome); // after answering: the main thread stops this server once it has the callback
    });
    listener.start();
    return listener;
  }

  static Map<String, String> fields(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
    return map;
  }

  public static void main(String[] args) {
    try {
      run();
    } catch (Exception e) {
      System.err.println("FAILED: " + e.getMessage());
      System.exit(1);
    }
  }

  static void run() throws Exception {
    checkAppendixA();
    System.out.println("Appendix A example: md5, AES key and ciphertext match the docs");

    BlockingQueue<Object> callbacks = new ArrayBlockingQueue<>(8);
    HttpServer listener = listenForCallbacks(callbacks);
    String orderId = "JAVA" + System.currentTimeMillis();
    String amount = "1250"; // cents, as a string: 12.50
    try {
      Map<String, String> created = call("ACTIVEPAY", fields(
          "order_id", orderId,
          "operator_id", OPERATOR_ID,
          "amount", amount,
          "tip", "0",
          "biz_type", "WECHATPAY",
          "call_back_url", "http://127.0.0.1:" + listener.getAddress().getPort() + "/ottpay/callback"));
      if (!orderId.equals(created.get("order_id")) || created.get("code_url") == null) {
        throw new IllegalStateException("ACTIVEPAY answered another order or no code_url");
      }

      // The payer scans code_url. In the sandbox, its control API pays the order (not part of OTT Pay's API).
      postJson(SANDBOX_URL + "/sandbox/api/orders/" + orderId + "/pay?merchant_id=" + MERCHANT_ID, "{}");
      System.out.println("pay: order " + orderId + " paid through the sandbox control API");

      Object received = callbacks.poll(10, TimeUnit.SECONDS);
      if (received == null) throw new IllegalStateException("no callback within 10 s");
      if (received instanceof Exception e) throw e;
      Callback callback = (Callback) received;
      Map<String, String> paid = callback.opened().data();
      if (!"SUCCESS".equals(callback.rspCode()) || !orderId.equals(paid.get("order_id")) || !amount.equals(paid.get("amount"))) {
        throw new IllegalStateException("unexpected callback: " + callback.rspCode() + " " + callback.opened().plaintext());
      }
      System.out.println("callback: SUCCESS, md5 verified: " + callback.opened().plaintext());
    } finally {
      listener.stop(0);
    }

    Map<String, String> status = call("STATUS_QUERY", fields("order_id", orderId));
    if (!"success".equals(status.get("order_status"))) throw new IllegalStateException("order_status is " + status.get("order_status") + ", not success");

    Map<String, String> refund = call("REFUND", fields("order_id", orderId + "R1", "ori_order_id", orderId, "refund_amt", "250"));
    if (!"250".equals(refund.get("refund_amt"))) throw new IllegalStateException("REFUND answered another amount");
    System.out.println("all steps passed");
  }

  /**
   * Just enough JSON for flat OTT Pay objects, as the JDK has no JSON library (in an application, use yours,
   * configured to leave "/" and non-ASCII unescaped). Values are kept as their digest text: a string's
   * content, null as "", anything else (number, boolean, nested) as its JSON text.
   */
  static final class Json {
    static String write(Map<String, String> map) {
      StringBuilder out = new StringBuilder("{");
      for (Map.Entry<String, String> entry : map.entrySet()) {
        if (out.length() > 1) out.append(',');
        quote(out, entry.getKey()).append(':');
        quote(out, entry.getValue());
      }
      return out.append('}').toString();
    }

    static StringBuilder quote(StringBuilder out, String text) {
      out.append('"');
      for (char c : text.toCharArray()) {
        if (c == '"' || c == '\\') out.append('\\').append(c);
        else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
        else out.append(c); // "/" and non-ASCII stay as they are, as the docs' plaintext has them
      }
      return out.append('"');
    }

    static Map<String, String> read(String text) {
      Json parser = new Json(text);
      Map<String, String> map = new LinkedHashMap<>();
      parser.expect('{');
      if (parser.peek() != '}') {
        do {
          String key = parser.string();
          parser.expect(':');
          map.put(key, parser.peek() == '"' ? parser.string() : parser.raw());
        } while (parser.accept(','));
      }
      parser.expect('}');
      return map;
    }

    private final String text;
    private int at;

    private Json(String text) {
      this.text = text;
    }

    private char peek() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
      if (at >= text.length()) throw new IllegalArgumentException("JSON ends early");
      return text.charAt(at);
    }

    private boolean accept(char c) {
      if (peek() != c) return false;
      at++;
      return true;
    }

    private void expect(char c) {
      if (!accept(c)) throw new IllegalArgumentException("JSON: expected " + c + " at " + at);
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      for (char c = text.charAt(at++); c != '"'; c = text.charAt(at++)) {
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = text.charAt(at++);
        switch (e) {
          case 'u' -> { out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; }
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          default -> out.append(e); // \" \\ \/
        }
      }
      return out.toString();
    }

    /** A non-string value, as its JSON text ("" for null); nested objects and arrays whole. */
    private String raw() {
      int start = at;
      int depth = 0;
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '"') {
          string();
          continue;
        }
        if (depth == 0 && (c == ',' || c == '}')) break;
        if (c == '{' || c == '[') depth++;
        if (c == '}' || c == ']') depth--;
        at++;
      }
      String value = text.substring(start, at).trim();
      return value.equals("null") ? "" : value;
    }
  }
}

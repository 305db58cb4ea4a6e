// OTT Pay processV2 reference client in C#: ACTIVEPAY, pay, callback, STATUS_QUERY, REFUND.
// Written from the OTT Pay docs (Common Specifications, Appendix A) with the base class library only, so it
// builds with Debian's Mono (mono-mcs) as well as on .NET:
//   mcs -out:/tmp/ActivePay.exe examples/csharp/ActivePay.cs && SANDBOX_URL=http://127.0.0.1:8080 mono /tmp/ActivePay.exe
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

public static class ActivePay
{
    static readonly string SandboxUrl = Env("SANDBOX_URL", "http://127.0.0.1:8080").TrimEnd('/');
    static readonly string MerchantId = Env("MERCHANT_ID", "QC00005496");
    static readonly string SignKey = Env("SIGN_KEY", "SANDBOXKEY000001");
    static readonly string OperatorId = Env("OPERATOR_ID", "0000020156");
    // UTF-8 without a byte-order mark, for every byte that goes on the wire.
    static readonly Encoding Utf8 = new UTF8Encoding(false);

    static string Env(string name, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? fallback : value;
    }

    // --- Appendix A --------------------------------------------------------------------------------------

    static string Md5Hex(string text)
    {
        using (var md5 = MD5.Create())
        {
            return string.Concat(md5.ComputeHash(Utf8.GetBytes(text)).Select(b => b.ToString("X2")));
        }
    }

    /// <summary>Steps 1-2: values sorted by key, concatenated without separator; uppercase MD5. Values are
    /// strings: send every amount as a string ("100" cents), never a number whose text depends on the runtime.</summary>
    public static string Md5Of(IDictionary<string, string> data)
    {
        // StringComparer.Ordinal: the default string sort is culture-aware ("b" before "B", "_z" before "Z"),
        // the digest needs code-point order ("B", "Z", "_z", "b").
        return Md5Hex(string.Concat(data.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => data[k])));
    }

    /// <summary>Steps 3-4: "16-bit MD5" = characters 8..24 of the uppercase MD5 of md5 + signkey, as 16 ASCII
    /// bytes (not hex-decoded).</summary>
    public static byte[] AesKey(string md5, string signKey)
    {
        return Encoding.ASCII.GetBytes(Md5Hex(md5 + signKey).Substring(8, 16));
    }

    static Aes Cipher(byte[] key)
    {
        var aes = Aes.Create();
        // Appendix A: ECB and PKCS5 (PKCS7 on 16-byte blocks). Set both: .NET defaults to CBC, which needs an IV.
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.PKCS7;
        aes.Key = key;
        return aes;
    }

    /// <summary>Encrypts request data (kept in insertion order): data = Base64(AES-128-ECB/PKCS5(JSON)), md5.</summary>
    public static KeyValuePair<string, string> Seal(IDictionary<string, string> data, string signKey)
    {
        var md5 = Md5Of(data);
        using (var aes = Cipher(AesKey(md5, signKey)))
        using (var encryptor = aes.CreateEncryptor())
        {
            var plain = Utf8.GetBytes(Json.Write(data));
            return new KeyValuePair<string, string>(Convert.ToBase64String(encryptor.TransformFinalBlock(plain, 0, plain.Length)), md5);
        }
    }

    /// <summary>An opened answer or callback: the decrypted text and its fields.</summary>
    public sealed class Opened
    {
        public string Plaintext;
        public IDictionary<string, string> Data;
    }

    /// <summary>Decrypts an answer's or a callback's data with the key derived from its md5, then checks that
    /// md5 is the digest of what it decrypted.</summary>
    public static Opened Open(IDictionary<string, string> body, string signKey)
    {
        // The docs print Base64 wrapped over several lines: FromBase64String skips the whitespace.
        var raw = Convert.FromBase64String(body["data"]);
        using (var aes = Cipher(AesKey(body["md5"], signKey)))
        using (var decryptor = aes.CreateDecryptor())
        {
            var plaintext = Utf8.GetString(decryptor.TransformFinalBlock(raw, 0, raw.Length));
            var data = Json.Read(plaintext);
            if (Md5Of(data) != body["md5"])
                throw new InvalidDataException("md5 mismatch: received " + body["md5"] + ", the decrypted data digests to " + Md5Of(data));
            return new Opened { Plaintext = plaintext, Data = data };
        }
    }

    /// <summary>The docs' worked example, byte for byte: proves the digest, the key and the UTF-8 JSON are right.</summary>
    static void CheckAppendixA()
    {
        var data = new Dictionary<string, string>
        {
            { "orderId", "1234567890" },
            { "idCardName", "\u5f20\u4e09" }, // 张三, escaped so that the compiler reads it whatever the file encoding
            { "idCardNum", "123456789012345678" },
            { "bankCardNum", "62000000000010" },
            { "mobile", "13711111111" },
            { "idCardType", "1" }
        };
        var sealedData = Seal(data, "6698851A525C9433");
        const string expected = "Y2+GoqBBPc6EJ9JzXRFoOziKd+DqWg5FiUZY1IYoVBVv0xfFznT9/qanMpiNEamEN2NM7J+hxoRn8VGSJImA2soeip9nYr+VJvTXe7D8j4aX"
            + "iKyFipuPVCQLiCDg3jkJP+S2EezYMf7crqKY/YAni1CCeIwr2aJfFVT1vYhsWIm8t3eyPL//cY4kwombAKhE2gAdEFXz6gVvencz80aRWQ==";
        if (sealedData.Value != "C12F9560769C2CB55E6954935B325916"
            || Encoding.ASCII.GetString(AesKey(sealedData.Value, "6698851A525C9433")) != "EF1712FC070C2C21"
            || sealedData.Key != expected)
            throw new InvalidDataException("the Appendix A worked example does not match");
    }

    // --- processV2 ---------------------------------------------------------------------------------------

    static IDictionary<string, string> PostJson(string url, string json)
    {
        // WebClient is in every .NET; on .NET 6+ HttpClient is the modern choice, the bytes are the same.
        using (var client = new WebClient { Encoding = Utf8 })
        {
            client.Headers[HttpRequestHeader.Accept] = "application/json";
            client.Headers[HttpRequestHeader.ContentType] = "application/json";
            var token = Environment.GetEnvironmentVariable("ADMIN_TOKEN");
            if (!string.IsNullOrEmpty(token)) client.Headers["x-admin-token"] = token;
            return Json.Read(client.UploadString(url, "POST", json)); // throws WebException unless 2xx
        }
    }

    /// <summary>POSTs one sealed request to processV2; returns the verified, decrypted answer data.</summary>
    static IDictionary<string, string> Call(string action, IDictionary<string, string> data)
    {
        var sealedData = Seal(data, SignKey);
        var body = new Dictionary<string, string>
        {
            { "action", action }, { "version", "1.0" }, { "merchant_id", MerchantId },
            { "data", sealedData.Key }, { "md5", sealedData.Value }
        };
        var answer = PostJson(SandboxUrl + "/processV2", Json.Write(body));
        string code, message;
        answer.TryGetValue("rsp_code", out code);
        answer.TryGetValue("rsp_msg", out message);
        if (code != "SUCCESS") throw new InvalidOperationException(action + ": " + code + " " + message);
        var opened = Open(answer, SignKey);
        Console.WriteLine(action + ": SUCCESS, md5 verified: " + opened.Plaintext);
        return opened.Data;
    }

    /// <summary>A verified callback: its level-1 outcome and its opened data.</summary>
    public sealed class Callback
    {
        public string RspCode;
        public Opened Opened;
    }

    /// <summary>What a callback handler at call_back_url does with the POSTed JSON: verify, decrypt, check the merchant.</summary>
    public static Callback OpenCallback(string rawBody)
    {
        var body = Json.Read(rawBody);
        string merchant;
        if (!body.TryGetValue("merchant_id", out merchant) || merchant != MerchantId)
            throw new InvalidDataException("callback for another merchant: " + merchant);
        return new Callback { RspCode = body["rsp_code"], Opened = Open(body, SignKey) };
    }

    /// <summary>Receives one callback on an HttpListener, answers it, and returns it (or why it was refused).</summary>
    static Callback ReceiveCallback(HttpListener listener)
    {
        var pending = listener.GetContextAsync();
        if (!pending.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("no callback within 10 s");
        var context = pending.Result;
        Callback callback = null;
        Exception refused = null;
        try
        {
            using (var reader = new StreamReader(context.Request.InputStream, Utf8))
                callback = OpenCallback(reader.ReadToEnd());
        }
        catch (Exception e) // a callback that does not verify is refused, and the run fails
        {
            refused = e;
        }
        var reply = Utf8.GetBytes(refused == null ? "{\"rsp_code\":\"SUCCESS\",\"rsp_msg\":\"success\"}" : "{\"rsp_code\":\"FAIL\",\"rsp_msg\":\"failure.\"}");
        context.Response.StatusCode = refused == null ? 200 : 400;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = reply.Length;
        context.Response.OutputStream.Write(reply, 0, reply.Length);
        context.Response.Close();
        if (refused != null) throw refused;
        return callback;
    }

    /// <summary>HttpListener needs a port number: ask the system for a free one.</summary>
    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public static int Main()
    {
        try
        {
            Run();
            return 0;
        }
        catch (Exception e)
        {
            var inner = e is AggregateException ? e.InnerException : e;
            Console.Error.WriteLine("FAILED: " + inner.Message);
            return 1;
        }
    }

    static void Run()
    {
        CheckAppendixA();
        Console.WriteLine("Appendix A example: md5, AES key and ciphertext match the docs");

        var port = FreePort();
        var listener = new HttpListener();
        listener.Prefixes.Add("http://127.0.0.1:" + port + "/ottpay/callback/");
        listener.Start();
        var orderId = "CS" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const string amount = "1250"; // cents, as a string: 12.50
        try
        {
            var created = Call("ACTIVEPAY", new Dictionary<string, string>
            {
                { "order_id", orderId },
                { "operator_id", OperatorId },
                { "amount", amount },
                { "tip", "0" },
                { "biz_type", "WECHATPAY" },
                { "call_back_url", "http://127.0.0.1:" + port + "/ottpay/callback/" }
            });
            string codeUrl;
            if (created["order_id"] != orderId || !created.TryGetValue("code_url", out codeUrl) || codeUrl == "")
                throw new InvalidDataException("ACTIVEPAY answered another order or no code_url");

            // The payer scans code_url. In the sandbox, its control API pays the order (not part of OTT Pay's API).
            PostJson(SandboxUrl + "/sandbox/api/orders/" + orderId + "/pay?merchant_id=" + MerchantId, "{}");
            Console.WriteLine("pay: order " + orderId + " paid through the sandbox control API");

            var callback = ReceiveCallback(listener);
            var paid = callback.Opened.Data;
            if (callback.RspCode != "SUCCESS" || paid["order_id"] != orderId || paid["amount"] != amount)
                throw new InvalidDataException("unexpected callback: " + callback.RspCode + " " + callback.Opened.Plaintext);
            Console.WriteLine("callback: SUCCESS, md5 verified: " + callback.Opened.Plaintext);
        }
        finally
        {
            listener.Close();
        }

        var status = Call("STATUS_QUERY", new Dictionary<string, string> { { "order_id", orderId } });
        if (status["order_status"] != "success") throw new InvalidDataException("order_status is " + status["order_status"] + ", not success");

        var refund = Call("REFUND", new Dictionary<string, string>
        {
            { "order_id", orderId + "R1" }, { "ori_order_id", orderId }, { "refund_amt", "250" }
        });
        if (refund["refund_amt"] != "250") throw new InvalidDataException("REFUND answered another amount");
        Console.WriteLine("all steps passed");
    }

    /// <summary>
    /// Just enough JSON for flat OTT Pay objects, as Mono's base library has none. On .NET, System.Text.Json works
    /// with JavaScriptEncoder.UnsafeRelaxedJsonEscaping: its default encoder writes non-ASCII, '+' and '&amp;' as
    /// \uXXXX, unlike the docs' plaintext. Values are kept as their digest text: a string's content, null as "",
    /// anything else (number, boolean, nested) as its JSON text.
    /// </summary>
    static class Json
    {
        public static string Write(IDictionary<string, string> map)
        {
            var output = new StringBuilder("{");
            foreach (var entry in map)
            {
                if (output.Length > 1) output.Append(',');
                Quote(output, entry.Key).Append(':');
                Quote(output, entry.Value);
            }
            return output.Append('}').ToString();
        }

        static StringBuilder Quote(StringBuilder output, string text)
        {
            output.Append('"');
            foreach (var c in text)
            {
                if (c == '"' || c == '\\') output.Append('\\').Append(c);
                else if (c < 0x20) output.Append("\\u").Append(((int)c).ToString("x4"));
                else output.Append(c); // "/" and non-ASCII stay as they are, as the docs' plaintext has them
            }
            return output.Append('"');
        }

        // Dictionary keeps insertion order while nothing is removed, which is all these maps need.
        public static IDictionary<string, string> Read(string text)
        {
            var at = 0;
            var map = new Dictionary<string, string>();
            Expect(text, ref at, '{');
            if (Peek(text, ref at) != '}')
            {
                do
                {
                    var key = ReadString(text, ref at);
                    Expect(text, ref at, ':');
                    map[key] = Peek(text, ref at) == '"' ? ReadString(text, ref at) : ReadRaw(text, ref at);
                } while (Accept(text, ref at, ','));
            }
            Expect(text, ref at, '}');
            return map;
        }

        static char Peek(string text, ref int at)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at])) at++;
            if (at >= text.Length) throw new FormatException("JSON ends early");
            return text[at];
        }

        static bool Accept(string text, ref int at, char c)
        {
            if (Peek(text, ref at) != c) return false;
            at++;
            return true;
        }

        static void Expect(string text, ref int at, char c)
        {
            if (!Accept(text, ref at, c)) throw new FormatException("JSON: expected " + c + " at " + at);
        }

        static string ReadString(string text, ref int at)
        {
            Expect(text, ref at, '"');
            var output = new StringBuilder();
            for (var c = text[at++]; c != '"'; c = text[at++])
            {
                if (c != '\\') { output.Append(c); continue; }
                var e = text[at++];
                switch (e)
                {
                    case 'u': output.Append((char)Convert.ToInt32(text.Substring(at, 4), 16)); at += 4; break;
                    case 'n': output.Append('\n'); break;
                    case 't': output.Append('\t'); break;
                    case 'r': output.Append('\r'); break;
                    case 'b': output.Append('\b'); break;
                    case 'f': output.Append('\f'); break;
                    default: output.Append(e); break; // \" \\ \/
                }
            }
            return output.ToString();
        }

        /// <summary>A non-string value, as its JSON text ("" for null); nested objects and arrays whole.</summary>
        static string ReadRaw(string text, ref int at)
        {
            var start = at;
            var depth = 0;
            while (at < text.Length)
            {
                var c = text[at];
                if (c == '"') { ReadString(text, ref at); continue; }
                if (depth == 0 && (c == ',' || c == '}')) break;
                if (c == '{' || c == '[') depth++;
                if (c == '}' || c == ']') depth--;
                at++;
            }
            var value = text.Substring(start, at - start).Trim();
            return value == "null" ? "" : value;
        }
    }
}

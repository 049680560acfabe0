using System.Globalization;
using System.Security.Cryptography;
using System.Text;

// Not Klaviyo.Tests.Webhooks: that namespace would hide the generated Webhooks class from the other tests.
namespace Klaviyo.Tests.IncomingWebhooks;

/// <summary>
/// Signs deliveries the way Klaviyo documents it, written independently of the library: HMAC-SHA256 with
/// <see cref="HMACSHA256"/> over the body bytes followed by the timestamp's UTF-8 bytes, lowercase hex.
/// </summary>
internal sealed record SignedDelivery(byte[] Body, string Timestamp, string Signature)
{
    public const string Secret = "whsec-test-0123456789abcdef";

    public static readonly DateTimeOffset SentAt = new(2026, 7, 15, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A small delivery shaped like Klaviyo's example: one Sent SMS event.</summary>
    public static string Json(string webhookId = "01JWEBHOOK000000000000TEST") =>
        """
            {"data":[{"topic":"event:klaviyo.sent_sms","external_id":"4L3cwQae2TX","payload":{"data":{"type":"event","id":"4L3cwQae2TX","attributes":{"timestamp":1784109600,"event_properties":{"message_body":"hi"},"datetime":"2026-07-15T10:00:00+00:00","uuid":"a5a3b480-3f5a-11f1-8001-000000000000"},"relationships":{"profile":{"data":{"type":"profile","id":"01JPROFILE"}},"metric":{"data":{"type":"metric","id":"SMSMET"}}},"links":{"self":"https://a.klaviyo.com/api/events/4L3cwQae2TX/"}}}}],"meta":{"klaviyo_account_id":"AbC123","klaviyo_webhook_id":"WEBHOOK_ID","timestamp":"2026-07-15T10:00:00+00:00","version":"2024-06-28"}}
            """.Replace("WEBHOOK_ID", webhookId);

    /// <summary>The IMF-fixdate spelling Klaviyo's example uses: <c>Wed, 15 Jul 2026 10:00:00 GMT</c>.</summary>
    public static string HttpDate(DateTimeOffset t) =>
        t.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    public static SignedDelivery Sign(
        string body,
        string? timestamp = null,
        string secret = Secret
    ) => Sign(Encoding.UTF8.GetBytes(body), timestamp ?? HttpDate(SentAt), secret);

    public static SignedDelivery Sign(byte[] body, string timestamp, string secret = Secret)
    {
        var message = new byte[body.Length + Encoding.UTF8.GetByteCount(timestamp)];
        body.CopyTo(message, 0);
        Encoding.UTF8.GetBytes(timestamp, 0, timestamp.Length, message, body.Length);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return new SignedDelivery(body, timestamp, Convert.ToHexStringLower(mac));
    }

    public Dictionary<string, string> Headers =>
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Klaviyo-Signature"] = Signature,
            ["Klaviyo-Timestamp"] = Timestamp,
            ["Klaviyo-Webhook-Id"] = "01JWEBHOOK000000000000TEST",
        };

    public Func<string, string?> Lookup => LookupIn(Headers);

    public static Func<string, string?> LookupIn(IReadOnlyDictionary<string, string> headers) =>
        name => headers.TryGetValue(name, out var v) ? v : null;
}

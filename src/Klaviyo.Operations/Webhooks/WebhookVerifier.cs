using System.Security.Cryptography;
using System.Text;

namespace Klaviyo;

/// <summary>
/// Checks that a webhook delivery came from Klaviyo, unchanged and recently. Klaviyo signs each system-webhook
/// request with HMAC-SHA256, keyed with the webhook's <c>secret_key</c>, over the raw body followed by the
/// <c>Klaviyo-Timestamp</c> header value, and sends the hex digest in <c>Klaviyo-Signature</c>. Pure: the time is
/// passed in (a <see cref="DateTimeOffset"/> or a <see cref="TimeProvider"/>), and nothing is read but the
/// arguments. Create one per webhook and share it; it is immutable and thread-safe.
/// </summary>
/// <example><code>
/// var verifier = new WebhookVerifier(Secret.Of(Environment.GetEnvironmentVariable("KLAVIYO_WEBHOOK_SECRET")!));
/// var result = verifier.Verify(body, name => headers.GetValueOrDefault(name), TimeProvider.System);
/// if (result is WebhookVerification.Valid) { /* decode with WebhookDelivery.Decode(body) */ }
/// </code></example>
public sealed class WebhookVerifier
{
    /// <summary>The header carrying the hex HMAC-SHA256 signature: <c>Klaviyo-Signature</c>.</summary>
    public const string SignatureHeader = "Klaviyo-Signature";

    /// <summary>The header carrying when the request was sent, signed after the body: <c>Klaviyo-Timestamp</c>.</summary>
    public const string TimestampHeader = "Klaviyo-Timestamp";

    /// <summary>The header naming the webhook: <c>Klaviyo-Webhook-Id</c> (not signed; see <see cref="WebhookDelivery.Decode"/>).</summary>
    public const string WebhookIdHeader = "Klaviyo-Webhook-Id";

    /// <summary>
    /// Five minutes: wide enough for delivery latency and ordinary clock drift between Klaviyo and an NTP-synced
    /// server, narrow enough that a captured delivery cannot be replayed later. The same window Stripe, Slack and
    /// Svix use.
    /// </summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private readonly byte[][] _keys;
    private readonly TimeSpan _tolerance = DefaultTolerance;

    /// <summary>
    /// A verifier accepting deliveries signed with any of <paramref name="secrets"/>. Pass one secret normally; pass
    /// the new and the old one while rotating the webhook's <c>secret_key</c>, then drop the old one once
    /// <see cref="WebhookVerification.Valid.SecretIndex"/> shows it is no longer used.
    /// </summary>
    /// <param name="secrets">The webhook's signing secrets (its <c>secret_key</c>); at least one, none empty.</param>
    /// <exception cref="ArgumentException">No secret, or an empty one.</exception>
    public WebhookVerifier(params IEnumerable<Secret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var keys = new List<byte[]>();
        foreach (var secret in secrets)
        {
            if (secret is null || secret.Length == 0)
                throw new ArgumentException(
                    "a webhook signing secret must not be null or empty",
                    nameof(secrets)
                );
            keys.Add(Encoding.UTF8.GetBytes(secret.Reveal()));
        }
        if (keys.Count == 0)
            throw new ArgumentException(
                "give at least one webhook signing secret",
                nameof(secrets)
            );
        _keys = [.. keys];
    }

    /// <summary>How many secrets are accepted.</summary>
    public int SecretCount => _keys.Length;

    /// <summary>
    /// The largest accepted distance between the delivery's timestamp and now, in either direction (a timestamp in
    /// the future beyond it is as suspect as one in the past). Default <see cref="DefaultTolerance"/>;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the check off (not recommended: replays are then accepted).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, other than <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public TimeSpan Tolerance
    {
        get => _tolerance;
        init =>
            _tolerance =
                value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
                    ? value
                    : throw new ArgumentOutOfRangeException(
                        nameof(value),
                        "the tolerance must not be negative (use Timeout.InfiniteTimeSpan to turn the check off)"
                    );
    }

    /// <summary>Which signed timestamp is checked for freshness; <see cref="WebhookTimestampSource.Header"/> by default.</summary>
    public WebhookTimestampSource TimestampSource { get; init; } = WebhookTimestampSource.Header;

    /// <summary>Verifies a delivery against the current time of <paramref name="clock"/>. Never throws.</summary>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="header">Looks up a request header by name (case-insensitively), <c>null</c> when absent.</param>
    /// <param name="clock">The clock: <see cref="TimeProvider.System"/>, or a fake one in tests.</param>
    public WebhookVerification Verify(
        ReadOnlySpan<byte> body,
        Func<string, string?> header,
        TimeProvider clock
    )
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Verify(body, header, clock.GetUtcNow());
    }

    /// <summary>
    /// Verifies a delivery: the headers are well formed, the signature matches the body and timestamp under one of
    /// the secrets (compared in constant time), and the timestamp is within <see cref="Tolerance"/> of
    /// <paramref name="now"/>. Never throws, whatever the body and headers hold.
    /// </summary>
    /// <param name="body">The raw request body, exactly as received (read it before any JSON parsing or model binding).</param>
    /// <param name="header">
    /// Looks up a request header by name, <c>null</c> (or empty) when absent; names are given as
    /// <see cref="SignatureHeader"/> and <see cref="TimestampHeader"/> spell them. With ASP.NET Core:
    /// <c>name =&gt; request.Headers[name]</c>.
    /// </param>
    /// <param name="now">The current time.</param>
    public WebhookVerification Verify(
        ReadOnlySpan<byte> body,
        Func<string, string?> header,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(header);
        var signatureText = header(SignatureHeader)?.Trim();
        if (string.IsNullOrEmpty(signatureText))
            return Missing(SignatureHeader);
        var timestampText = header(TimestampHeader)?.Trim();
        if (string.IsNullOrEmpty(timestampText))
            return Missing(TimestampHeader);

        Span<byte> given = stackalloc byte[WebhookSigning.SignatureBytes];
        if (!WebhookSigning.TryDecodeHex(signatureText, given))
            return new WebhookVerification.Malformed(
                $"the {SignatureHeader} header must be one HMAC-SHA256 in hex (64 hex digits), but it is "
                    + $"{WebhookText.Quote(signatureText)}."
            );
        if (timestampText.Length > WebhookSigning.MaxTimestampLength)
            return BadTimestamp(TimestampHeader, timestampText);
        var headerSentAt = default(DateTimeOffset);
        if (
            TimestampSource == WebhookTimestampSource.Header
            && !WebhookSigning.TryParseTimestamp(timestampText, out headerSentAt)
        )
            return BadTimestamp(TimestampHeader, timestampText);

        var timestamp = WebhookSigning.Utf8(timestampText);
        Span<byte> expected = stackalloc byte[WebhookSigning.SignatureBytes];
        var matched = -1;
        // Every secret is tried, so the time taken does not depend on which one (if any) matched.
        for (var i = 0; i < _keys.Length; i++)
        {
            WebhookSigning.Compute(_keys[i], body, timestamp, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, given) && matched < 0)
                matched = i;
        }
        CryptographicOperations.ZeroMemory(expected);
        if (matched < 0)
            return new WebhookVerification.BadSignature(_keys.Length);

        // Signed, so the timestamp is Klaviyo's: check it is fresh.
        var sentAt = headerSentAt;
        if (TimestampSource == WebhookTimestampSource.Body)
        {
            var sentText = WebhookSigning.MetaTimestamp(body);
            if (sentText is null)
                return new WebhookVerification.Malformed(
                    "the signature is valid but the body has no meta.timestamp to check for freshness "
                        + "(TimestampSource is Body); use WebhookTimestampSource.Header for these deliveries."
                );
            if (!WebhookSigning.TryParseTimestamp(sentText.Trim(), out sentAt))
                return BadTimestamp("meta.timestamp in the body", sentText);
        }
        if (_tolerance != Timeout.InfiniteTimeSpan && !Within(now - sentAt, _tolerance))
            return new WebhookVerification.Stale(sentAt, now, _tolerance, TimestampSource);
        return new WebhookVerification.Valid(sentAt, matched);
    }

    /// <summary>The number of secrets and the settings; never a secret.</summary>
    public override string ToString() =>
        $"WebhookVerifier {{ Secrets = {_keys.Length}, Tolerance = {WebhookText.Duration(_tolerance)}, TimestampSource = {TimestampSource} }}";

    private static bool Within(TimeSpan distance, TimeSpan tolerance) =>
        distance >= -tolerance && distance <= tolerance;

    private static WebhookVerification Missing(string name) =>
        new WebhookVerification.Malformed(
            $"the {name} header is missing or empty: this is not a signed Klaviyo system-webhook delivery "
                + "(flow webhook actions are not signed), or a proxy dropped the header."
        );

    private static WebhookVerification BadTimestamp(string where, string text) =>
        new WebhookVerification.Malformed(
            $"{where} is not a timestamp this verifier reads (an HTTP date such as 'Thu, 04 Jan 2024 18:05:25 GMT', "
                + $"ISO 8601, or Unix seconds): it is {WebhookText.Quote(text)}."
        );
}

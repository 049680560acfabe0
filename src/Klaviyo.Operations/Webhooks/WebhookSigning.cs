using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Klaviyo;

/// <summary>
/// Klaviyo's signing scheme, in one place: HMAC-SHA256 keyed with the UTF-8 bytes of the webhook's
/// <c>secret_key</c>, over the raw body followed directly by the <c>Klaviyo-Timestamp</c> value (no separator),
/// hex-encoded. Plus the timestamp grammar the verifier accepts.
/// </summary>
internal static class WebhookSigning
{
    /// <summary>An HMAC-SHA256 is 32 bytes, 64 hex digits.</summary>
    public const int SignatureBytes = 32;

    /// <summary>Longer timestamps are rejected before parsing: every accepted form is under 40 characters.</summary>
    public const int MaxTimestampLength = 64;

    /// <summary>The HMAC of <paramref name="body"/> followed by <paramref name="timestamp"/>, into <paramref name="destination"/>.</summary>
    public static void Compute(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<byte> timestamp,
        Span<byte> destination
    )
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(body);
        hmac.AppendData(timestamp);
        hmac.GetHashAndReset(destination);
    }

    /// <summary>Decodes exactly 64 hex digits (either case) into 32 bytes; false for anything else.</summary>
    public static bool TryDecodeHex(ReadOnlySpan<char> text, Span<byte> destination) =>
        text.Length == SignatureBytes * 2
        && Convert.FromHexString(text, destination, out var read, out var written)
            == System.Buffers.OperationStatus.Done
        && read == text.Length
        && written == SignatureBytes;

    /// <summary>
    /// Reads a timestamp in any form seen for Klaviyo's: an HTTP date (IMF-fixdate, <c>Thu, 04 Jan 2024 18:05:25 GMT</c>,
    /// as in Klaviyo's example), ISO 8601 with or without fraction and offset (<c>2026-04-13T22:50:12.101159+00:00</c>;
    /// no offset means UTC), or Unix seconds.
    /// </summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is 0 or > MaxTimestampLength)
            return false;
        if (IsDigits(text))
        {
            if (
                text.Length <= 12
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                && s <= MaxUnixSeconds
            )
            {
                value = DateTimeOffset.FromUnixTimeSeconds(s);
                return true;
            }
            return false;
        }
        return DateTimeOffset.TryParseExact(
            text,
            Formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value
        );
    }

    /// <summary>
    /// The body's <c>meta.timestamp</c> string, read with a forward-only reader (no tree is built); <c>null</c> when
    /// the body is not a JSON object or has none. Never throws.
    /// </summary>
    public static string? MetaTimestamp(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMeta = reader.ValueTextEquals("meta"u8);
                reader.Read();
                if (!isMeta || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isTimestamp = reader.ValueTextEquals("timestamp"u8);
                    reader.Read();
                    if (isTimestamp)
                        return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                return null;
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>UTF-8 of a header value; header values are short (checked before).</summary>
    public static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);

    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z

    private static readonly string[] Formats =
    [
        "r",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    private static bool IsDigits(string s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9')
                return false;
        return true;
    }
}

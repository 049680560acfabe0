using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>How secrets are hidden wherever the library prints or stores a request.</summary>
public static class Redaction
{
    /// <summary>The text shown instead of a secret.</summary>
    public const string Mask = "[REDACTED]";

    /// <summary>Header names whose values are secrets (case-insensitive).</summary>
    public static readonly System.Collections.Generic.HashSet<string> SecretHeaders = new(
        StringComparer.OrdinalIgnoreCase
    )
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
    };

    /// <summary>Form and JSON body fields whose values are secrets (case-insensitive).</summary>
    public static readonly System.Collections.Generic.HashSet<string> SecretFields = new(
        StringComparer.OrdinalIgnoreCase
    )
    {
        "client_secret",
        "refresh_token",
        "access_token",
        "code",
        "code_verifier",
        "password",
        "api_key",
    };

    /// <summary>
    /// The value of header <paramref name="name"/> as it may be shown: for <c>authorization</c> the scheme is
    /// kept and the credential masked (<c>Klaviyo-API-Key [REDACTED]</c>); other secret headers are masked whole.
    /// </summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    public static string HeaderValue(string name, string value)
    {
        if (!SecretHeaders.Contains(name))
            return value;
        if (
            name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
            || name.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase)
        )
        {
            var space = value.IndexOf(' ');
            return space > 0 ? value[..space] + " " + Mask : Mask;
        }
        return Mask;
    }

    /// <summary>
    /// Replaces every occurrence of each secret in <paramref name="text"/> by <see cref="Mask"/>: as it is, and as
    /// it looks percent-encoded (upper- or lower-case hex) or form-encoded, since a server may echo a query or a form
    /// body back in an error.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="secrets">The secret values.</param>
    public static string Scrub(string text, Seq<string> secrets)
    {
        if (secrets.IsEmpty || string.IsNullOrEmpty(text))
            return text;
        // string.Replace returns the same instance when there is nothing to replace: no copy for clean text.
        foreach (var s in secrets)
        {
            if (s is null || s.Length < 4)
                continue;
            text = text.Replace(s, Mask, StringComparison.Ordinal);
            if (!PercentEncoding.IsWellFormed(s))
                continue;
            var encoded = PercentEncoding.Encode(s);
            if (ReferenceEquals(encoded, s))
                continue;
            text = text.Replace(encoded, Mask, StringComparison.Ordinal);
            var lowerHex = LowerHex(encoded);
            if (lowerHex != encoded)
                text = text.Replace(lowerHex, Mask, StringComparison.Ordinal);
            if (encoded.Contains("%20", StringComparison.Ordinal))
            {
                text = text.Replace(encoded.Replace("%20", "+"), Mask, StringComparison.Ordinal);
                text = text.Replace(lowerHex.Replace("%20", "+"), Mask, StringComparison.Ordinal);
            }
        }
        return text;
    }

    private static string LowerHex(string encoded)
    {
        var chars = encoded.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
                i += 2;
            }
        return new string(chars);
    }
}

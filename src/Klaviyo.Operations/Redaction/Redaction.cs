using System.Text.Encodings.Web;
using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The one definition of what is secret: header names, body and query field names (built in, plus those the spec
/// marks as secret), and how a secret value is scrubbed from free text (error messages, network error text) in
/// every form it may take there (as is, percent-encoded, form-encoded).
/// </summary>
internal static class Redaction
{
    /// <summary>The text shown instead of a secret.</summary>
    public const string Mask = Secret.Mask;

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

    /// <summary>
    /// Form, query and JSON field names whose values are secrets in requests (case-insensitive): OAuth's token
    /// fields, passwords and keys, and every field the spec marks as secret (<see cref="OperationCatalog.SecretBodyFields"/>,
    /// e.g. a webhook's <c>secret_key</c>).
    /// </summary>
    public static readonly System.Collections.Generic.HashSet<string> SecretFields = new(
        new[]
        {
            "client_secret",
            "refresh_token",
            "access_token",
            "id_token",
            "code",
            "code_verifier",
            "password",
            "api_key",
            "private_key",
            "token",
        }.Concat(OperationCatalog.SecretBodyFields),
        StringComparer.OrdinalIgnoreCase
    );

    /// <summary>
    /// The same for responses, less <c>code</c> and <c>token</c>: JSON:API error objects carry a <c>code</c> that is
    /// not a secret, and a push-token resource's <c>token</c> attribute is the data asked for.
    /// </summary>
    public static readonly System.Collections.Generic.HashSet<string> ResponseSecretFields = new(
        SecretFields.Where(f =>
            !f.Equals("code", StringComparison.OrdinalIgnoreCase)
            && !f.Equals("token", StringComparison.OrdinalIgnoreCase)
        ),
        StringComparer.OrdinalIgnoreCase
    );

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
        return
            name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
            || name.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase)
            ? SchemeOnly(value)
            : Mask;
    }

    /// <summary>An authorization value with its credential masked: <c>Bearer [REDACTED]</c>.</summary>
    /// <param name="value">The whole authorization value.</param>
    public static string SchemeOnly(string value)
    {
        var space = value.IndexOf(' ');
        return space > 0 && IsSchemeToken(value.AsSpan(0, space))
            ? value[..space] + " " + Mask
            : Mask;
    }

    private static bool IsSchemeToken(ReadOnlySpan<char> scheme)
    {
        foreach (var c in scheme)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return false;
        return true;
    }

    /// <summary>The revealed values of <paramref name="secrets"/>, for scrubbing text.</summary>
    /// <param name="secrets">The secrets.</param>
    public static Seq<string> Values(Seq<Secret> secrets) => secrets.Map(s => s.Reveal());

    /// <summary>Scrubs <paramref name="text"/> of every secret in <paramref name="secrets"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="secrets">The secrets.</param>
    public static string Scrub(string text, Seq<Secret> secrets) =>
        secrets.IsEmpty ? text : Scrub(text, Values(secrets));

    /// <summary>
    /// Replaces every occurrence of each secret in <paramref name="text"/> by <see cref="Mask"/>: as it is, and as
    /// it looks percent-encoded (upper- or lower-case hex) or form-encoded, since a server may echo a query or a form
    /// body back in an error. Secrets shorter than 4 characters are left alone (masking them would mangle text).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="secrets">The secret values.</param>
    public static string Scrub(string text, Seq<string> secrets) =>
        secrets.IsEmpty || string.IsNullOrEmpty(text) ? text : SecretForms.Of(secrets).Scrub(text);

    /// <summary>Whether <paramref name="text"/> contains any secret (as <see cref="Scrub(string, Seq{string})"/> would find it).</summary>
    /// <param name="text">The text.</param>
    /// <param name="secrets">The secret values.</param>
    public static bool ContainsAny(string text, Seq<string> secrets) =>
        !ReferenceEquals(Scrub(text, secrets), text);

    // A secret quoted inside JSON text (a request body echoed in an error) is escaped: by the default encoder
    // (non-ASCII and HTML-sensitive characters as \uXXXX), by a relaxed one (quotes and backslashes only), or with
    // lower-case hex. Each distinct form other than the secret itself.
    internal static string[] JsonEscapedForms(string secret)
    {
        var strict = JsonEncodedText.Encode(secret).ToString();
        var relaxed = JsonEncodedText
            .Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
            .ToString();
        return new[] { strict, relaxed, LowerUnicodeEscapes(strict) }
            .Distinct()
            .Where(form => form != secret)
            .ToArray();
    }

    private static string LowerUnicodeEscapes(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (var i = 0; i + 5 < chars.Length; i++)
            if (chars[i] == '\\' && chars[i + 1] == 'u')
            {
                for (var k = i + 2; k < i + 6; k++)
                    chars[k] = char.ToLowerInvariant(chars[k]);
                i += 5;
            }
        return new string(chars);
    }

    internal static string LowerHex(string encoded)
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

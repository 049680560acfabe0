using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Klaviyo.Tests;

/// <summary>
/// What a leaked secret looks like in printed text: as it is, percent-encoded (upper- or lower-case hex),
/// form-encoded, JSON-escaped (strict and relaxed encoders), shell-quoted, and — so that no encoding and no
/// truncation around it can hide it — every run of 12 or more ASCII letters and digits it contains. Text is also
/// searched after its JSON escapes are undone (twice, for double escaping), so <c>\u0070k_…</c> is found too.
/// </summary>
public static partial class SecretForms
{
    /// <summary>Each form of <paramref name="secret"/> with its name; distinct, empty forms left out.</summary>
    public static IReadOnlyList<(string Form, string Text)> Of(string secret)
    {
        var forms = new List<(string, string)>
        {
            ("as is", secret),
            ("percent-encoded", Uri.EscapeDataString(secret)),
            ("percent-encoded, lower-case hex", LowerHex(Uri.EscapeDataString(secret))),
            ("form-encoded", WebUtility.UrlEncode(secret)),
            ("JSON-escaped", JsonSerializer.Serialize(secret)[1..^1]),
            (
                "JSON-escaped (relaxed)",
                JsonSerializer.Serialize(
                    secret,
                    new JsonSerializerOptions
                    {
                        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                    }
                )[1..^1]
            ),
            ("shell-quoted", secret.Replace("'", "'\\''")),
        };
        foreach (Match run in Alphanumeric().Matches(secret))
            forms.Add(("part", run.Value));
        return forms.Where(f => f.Item2.Length >= 4).Distinct().ToArray();
    }

    /// <summary>Where <paramref name="secret"/> shows in <paramref name="text"/> (a description), or <c>null</c>.</summary>
    public static string? Find(string text, string secret) => Find(text, Of(secret));

    /// <summary>Where any of <paramref name="forms"/> (from <see cref="Of"/>) shows in <paramref name="text"/>, or <c>null</c>.</summary>
    public static string? Find(string text, IReadOnlyList<(string Form, string Text)> forms)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        foreach (
            var candidate in new[] { text, JsonUnescape(text), JsonUnescape(JsonUnescape(text)) }
        )
        foreach (var (form, value) in forms)
        {
            var at = candidate.IndexOf(value, StringComparison.Ordinal);
            if (at >= 0)
                return $"the secret ({form}) at …{Around(candidate, at, value.Length)}…";
        }
        return null;
    }

    /// <summary>Fails when <paramref name="text"/> shows <paramref name="secret"/> in any form.</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="where">What printed the text, for the message.</param>
    /// <param name="text">The text.</param>
    public static void AssertAbsent(string secret, string where, string? text) =>
        AssertAbsent(Of(secret), where, text);

    /// <summary>Fails when <paramref name="text"/> shows any of <paramref name="forms"/> (from <see cref="Of"/>).</summary>
    public static void AssertAbsent(
        IReadOnlyList<(string Form, string Text)> forms,
        string where,
        string? text
    )
    {
        if (text is not null && Find(text, forms) is { } found)
            throw new XunitException($"{where} shows {found}");
    }

    /// <summary>Undoes JSON string escapes (<c>\uXXXX</c>, <c>\"</c>, <c>\\</c>, <c>\/</c>, <c>\n</c>…) wherever they appear.</summary>
    public static string JsonUnescape(string text) =>
        text.Contains('\\')
            ? Escape()
                .Replace(
                    text,
                    m =>
                        m.Groups[1].Success
                            ? ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString()
                            : m.Groups[2].Value switch
                            {
                                "n" => "\n",
                                "r" => "\r",
                                "t" => "\t",
                                "b" => "\b",
                                "f" => "\f",
                                var c => c,
                            }
                )
            : text;

    private static string LowerHex(string encoded)
    {
        var sb = new StringBuilder(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length)
            {
                sb.Append('%').Append(char.ToLowerInvariant(encoded[i + 1]));
                sb.Append(char.ToLowerInvariant(encoded[i + 2]));
                i += 2;
            }
            else
                sb.Append(encoded[i]);
        }
        return sb.ToString();
    }

    private static string Around(string text, int at, int length)
    {
        var from = Math.Max(0, at - 60);
        var to = Math.Min(text.Length, at + length + 20);
        return text[from..to].ReplaceLineEndings(" ");
    }

    [GeneratedRegex("[A-Za-z0-9]{12,}")]
    private static partial Regex Alphanumeric();

    [GeneratedRegex(@"\\(?:u([0-9a-fA-F]{4})|([""\\/bfnrt]))")]
    private static partial Regex Escape();
}

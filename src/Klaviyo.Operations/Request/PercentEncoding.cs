using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>RFC 3986 percent-encoding: every byte of the UTF-8 form outside the unreserved set is escaped.</summary>
internal static class PercentEncoding
{
    /// <summary>
    /// Encodes <paramref name="value"/> so that it is one path segment, one query name or one query value:
    /// only <c>A–Z a–z 0–9 - . _ ~</c> stay as they are; everything else (including <c>/ ? # [ ] &amp; = + %</c>
    /// and spaces) becomes <c>%XX</c> with upper-case hex.
    /// </summary>
    /// <param name="value">The text to encode; must be well-formed Unicode (see <see cref="IsWellFormed"/>).</param>
    public static string Encode(string value)
    {
        var firstEscape = FirstToEscape(value);
        if (firstEscape < 0)
            return value;
        var sb = new StringBuilder(value.Length + 16);
        AppendEncoded(sb, value);
        return sb.ToString();
    }

    /// <summary>Appends the encoded form of <paramref name="value"/> to <paramref name="sb"/>.</summary>
    /// <param name="sb">The builder.</param>
    /// <param name="value">The text to encode.</param>
    public static void AppendEncoded(StringBuilder sb, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsUnreserved(c))
            {
                sb.Append(c);
                continue;
            }
            int written;
            if (
                char.IsHighSurrogate(c)
                && i + 1 < value.Length
                && char.IsLowSurrogate(value[i + 1])
            )
            {
                written = Encoding.UTF8.GetBytes(value.AsSpan(i, 2), utf8);
                i++;
            }
            else
            {
                written = Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            }
            for (var b = 0; b < written; b++)
            {
                sb.Append('%');
                sb.Append(Hex[utf8[b] >> 4]);
                sb.Append(Hex[utf8[b] & 0xF]);
            }
        }
    }

    /// <summary>Whether <paramref name="value"/> is well-formed UTF-16 (no lone surrogates), so it encodes losslessly.</summary>
    /// <param name="value">The text.</param>
    public static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Appends <c>name=value&amp;…</c> with every name and value encoded.</summary>
    /// <param name="sb">The builder.</param>
    /// <param name="pairs">The pairs.</param>
    /// <param name="first">The character before the first pair (<c>?</c> for a query), or <c>'\0'</c> for none.</param>
    public static void AppendPairs(
        StringBuilder sb,
        Seq<(string Name, string Value)> pairs,
        char first
    )
    {
        var isFirst = true;
        foreach (var (name, value) in pairs)
        {
            if (!isFirst)
                sb.Append('&');
            else if (first != '\0')
                sb.Append(first);
            isFirst = false;
            AppendEncoded(sb, name);
            sb.Append('=');
            AppendEncoded(sb, value);
        }
    }

    /// <summary>The pairs as <c>name=value&amp;…</c> (a form body, or a query without its <c>?</c>).</summary>
    /// <param name="pairs">The pairs.</param>
    public static string EncodePairs(Seq<(string Name, string Value)> pairs)
    {
        var sb = new StringBuilder();
        AppendPairs(sb, pairs, '\0');
        return sb.ToString();
    }

    private const string Hex = "0123456789ABCDEF";

    private static bool IsUnreserved(char c) =>
        c
            is (>= 'A' and <= 'Z')
                or (>= 'a' and <= 'z')
                or (>= '0' and <= '9')
                or '-'
                or '.'
                or '_'
                or '~';

    private static int FirstToEscape(string value)
    {
        for (var i = 0; i < value.Length; i++)
            if (!IsUnreserved(value[i]))
                return i;
        return -1;
    }
}

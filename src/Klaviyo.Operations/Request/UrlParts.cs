using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>Splits an absolute URL into origin, path and query, and decodes its components. Pure.</summary>
internal static class UrlParts
{
    /// <summary>
    /// Splits <paramref name="url"/> into <c>scheme://authority</c>, the path (at least <c>/</c>) and the query
    /// without its <c>?</c> (<c>null</c> when there is none). A fragment, if any, is dropped.
    /// </summary>
    /// <param name="url">The absolute URL.</param>
    public static (string Origin, string Path, string? Query) Split(string url)
    {
        var hash = url.IndexOf('#');
        if (hash >= 0)
            url = url[..hash];
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var pathStart = url.IndexOfAny(['/', '?'], authorityStart);
        if (pathStart < 0)
            return (url, "/", null);
        var origin = url[..pathStart];
        var question = url.IndexOf('?', pathStart);
        var path = question < 0 ? url[pathStart..] : url[pathStart..question];
        if (path.Length == 0)
            path = "/";
        return (origin, path, question < 0 ? null : url[(question + 1)..]);
    }

    /// <summary>The authority (<c>host[:port]</c>) of an origin such as <c>https://a.klaviyo.com</c>.</summary>
    /// <param name="origin">The origin.</param>
    public static string Authority(string origin)
    {
        var schemeEnd = origin.IndexOf("://", StringComparison.Ordinal);
        return schemeEnd < 0 ? origin : origin[(schemeEnd + 3)..];
    }

    /// <summary>The raw <c>name=value</c> pieces of a query or form body, split on <c>&amp;</c>; empty pieces dropped.</summary>
    /// <param name="query">The query without <c>?</c>.</param>
    public static string[] Pieces(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The decoded name and value of one <c>name=value</c> piece.</summary>
    /// <param name="piece">The raw piece.</param>
    /// <param name="plusIsSpace">Whether <c>+</c> means a space (form bodies).</param>
    public static (string Name, string Value) DecodePiece(string piece, bool plusIsSpace)
    {
        var eq = piece.IndexOf('=');
        return eq < 0
            ? (Decode(piece, plusIsSpace), "")
            : (Decode(piece[..eq], plusIsSpace), Decode(piece[(eq + 1)..], plusIsSpace));
    }

    /// <summary>The decoded pairs of a query or form body, in order.</summary>
    /// <param name="query">The query without <c>?</c>, or <c>null</c>.</param>
    /// <param name="plusIsSpace">Whether <c>+</c> means a space (form bodies).</param>
    public static Seq<(string Name, string Value)> ParsePairs(string? query, bool plusIsSpace) =>
        query is null
            ? Seq<(string, string)>.Empty
            : Pieces(query).Select(p => DecodePiece(p, plusIsSpace)).ToSeq().Strict();

    /// <summary>Percent-decodes <paramref name="value"/>; malformed escapes are kept as they are.</summary>
    /// <param name="value">The encoded text.</param>
    /// <param name="plusIsSpace">Whether <c>+</c> means a space.</param>
    public static string Decode(string value, bool plusIsSpace)
    {
        if (plusIsSpace && value.Contains('+'))
            value = value.Replace('+', ' ');
        return value.Contains('%') ? Uri.UnescapeDataString(value) : value;
    }

    /// <summary>Encodes a pair as <c>name=value</c> (RFC 3986).</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    public static string EncodePiece(string name, string value)
    {
        var sb = new StringBuilder(name.Length + value.Length + 8);
        PercentEncoding.AppendEncoded(sb, name);
        sb.Append('=');
        PercentEncoding.AppendEncoded(sb, value);
        return sb.ToString();
    }
}
